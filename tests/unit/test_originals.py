"""Originals kept sealed for leads: off by default, sealed at the door, opened only with the key, audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from core.errors import ConfigError
from core.privacy.originals import OPENED, OriginalsKeeper
from core.privacy.records import subject_of
from core.privacy.sealing import KEY_VARIABLE, Sealer, SealError, new_key
from tests.desk_fakes import Harness, make_harness
from tests.privacy_fakes import InMemoryOriginals
from tests.unit.test_redaction import GITHUB

KEEP = Settings(privacy={"keep_originals": True})
LEAKY = f"the whole API is down since 401s, my token is {GITHUB}"


def _keeping(monkeypatch: pytest.MonkeyPatch) -> tuple[Harness, str]:
    key = new_key()
    monkeypatch.setenv(KEY_VARIABLE, key)
    return make_harness(tier="enterprise", settings=KEEP), key


@pytest.mark.asyncio
async def test_by_default_the_original_is_dropped() -> None:
    h = make_harness()
    await h.say(LEAKY)
    assert isinstance(h.store.originals, InMemoryOriginals) and h.store.originals.kept == []


@pytest.mark.asyncio
async def test_the_original_is_kept_sealed_and_the_conversation_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    h, key = _keeping(monkeypatch)
    await h.say(LEAKY)
    kept, *_ = await h.store.conversations.messages(1)  # the customer's, then the bot's answer
    assert GITHUB not in kept.text and "[github-token]" in kept.text
    assert isinstance(h.store.originals, InMemoryOriginals)
    [original] = h.store.originals.kept
    assert original.kinds == ("github-token",) and original.author == "discord:ana"
    assert GITHUB.encode() not in original.sealed and b"401" not in original.sealed
    assert Sealer(key).open(original.sealed) == LEAKY


@pytest.mark.asyncio
async def test_opening_a_tickets_originals_is_audited_under_the_requester(monkeypatch: pytest.MonkeyPatch) -> None:
    h, key = _keeping(monkeypatch)
    await h.say(LEAKY)
    await h.say("nothing secret in this one")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None
    keeper = OriginalsKeeper(h.store.originals, Sealer(key))
    opened = await keeper.open([ticket.address], "discord:ana", "cli:lead", h.store.privacy, h.clock.now())
    assert [item.text for item in opened] == [LEAKY]  # only what was redacted was kept
    [audit] = await h.store.privacy.audits(subject_of("discord:ana"))
    assert (audit.action, audit.actor, dict(audit.counts)) == (OPENED, "cli:lead", {"originals": 1})


@pytest.mark.asyncio
async def test_another_key_cannot_open_them(monkeypatch: pytest.MonkeyPatch) -> None:
    h, _ = _keeping(monkeypatch)
    await h.say(LEAKY)
    ticket = await h.store.tickets.get(1)
    assert ticket is not None
    keeper = OriginalsKeeper(h.store.originals, Sealer(new_key()))
    with pytest.raises(SealError, match="sealed with another key"):
        await keeper.open([ticket.address], "discord:ana", "cli:lead", h.store.privacy, h.clock.now())


def test_a_changed_byte_is_refused() -> None:
    sealer = Sealer(new_key())
    sealed = bytearray(sealer.seal("hunter2"))
    sealed[-5] ^= 1
    with pytest.raises(SealError, match="changed"):
        sealer.open(bytes(sealed))


def test_keeping_originals_without_a_key_names_the_file_key_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("privacy:\n  keep_originals: true\n")
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(path) in str(info.value) and "privacy.keep_originals" in str(info.value)
    assert KEY_VARIABLE in str(info.value) and "new-key" in str(info.value)
    with pytest.raises(ConfigError, match="44 characters"):
        load_settings(path, env={KEY_VARIABLE: "not-a-key"})
    assert load_settings(path, env={KEY_VARIABLE: new_key()}).privacy.keep_originals


def test_a_bad_period_for_originals_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("privacy:\n  originals_for: soon\n")
    with pytest.raises(ConfigError, match=r"privacy\.originals_for"):
        load_settings(path, env={})
