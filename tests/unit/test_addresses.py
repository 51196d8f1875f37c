"""Addresses as strings: every address reads back from its string form, and stored strings keep their meaning."""

from __future__ import annotations

import itertools
import random
import string

import pytest

from core.messages import Address

PARTS = ["", "T0ACME", "C0HELP", "1732350000.000100", "org-name", "a/b", "50%", "%2F", " padded ", "ü", ":", "x:y/z"]
PLATFORMS = ["slack", "discord", "github", "console", "my-bot_2"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_combination_of_parts_round_trips(platform: str) -> None:
    for workspace, channel, thread in itertools.product(PARTS, repeat=3):
        address = Address(platform, workspace, channel, thread)
        assert Address.parse(str(address)) == address, str(address)


def test_random_parts_round_trip() -> None:
    alphabet = string.printable + "/%:éü\u200b"
    rng = random.Random(7)
    for _ in range(3000):
        parts = ["".join(rng.choices(alphabet, k=rng.choice([0, 0, 1, 3, 8]))) for _ in range(3)]
        address = Address(rng.choice(PLATFORMS), *parts)
        assert Address.parse(str(address)) == address, repr(address)


def test_the_usual_addresses_keep_their_short_strings() -> None:
    assert str(Address("slack")) == "slack"
    assert str(Address("slack", channel="C123")) == "slack:C123"
    assert str(Address("slack", "T1", "C1")) == "slack:T1/C1"
    assert str(Address("slack", "T1", "C1", "1.2")) == "slack:T1/C1/1.2"
    assert str(Address("github", "acme", "widgets", "12")) == "github:acme/widgets/12"
    assert str(Address("slack", "T1")) == "slack:T1/"


@pytest.mark.parametrize(
    ("stored", "meant"),
    [
        # What earlier versions wrote: these strings could not be read back before, and now mean what they said.
        ("slack:T1/C1/", Address("slack", "T1", "C1")),
        ("slack:T1//", Address("slack", "T1")),
        ("slack:/C1/1.2", Address("slack", "", "C1", "1.2")),
        ("slack://1.2", Address("slack", "", "", "1.2")),
        ("slack:T1//1.2", Address("slack", "T1", "", "1.2")),
        # And what config files hold.
        ("Slack:C0ESC", Address("slack", channel="C0ESC")),
        (" discord:456 ", Address("discord", channel="456")),
        ("console", Address("console")),
        ("console:", Address("console")),
    ],
)
def test_strings_written_before_still_read_as_they_were_meant(stored: str, meant: Address) -> None:
    assert Address.parse(stored) == meant


@pytest.mark.parametrize("text", ["", ":C1", "sl ack:C1", "slack:/", "slack://", "slack:a/b/c/d", "slack!:C1"])
def test_strings_that_are_not_addresses_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ValueError, match="is not an address like"):
        Address.parse(text)
