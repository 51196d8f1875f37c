"""Which adapters ``helpline serve`` starts, and the reason it gives for each one it does not."""

from __future__ import annotations

from pathlib import Path

import bots.cli.serve
from bots.adapters import AdapterSpec, AdapterStatus, adapter_status
from bots.registry import ADAPTERS

SLACK = AdapterSpec("slack", ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"), available=True)
DISCORD = AdapterSpec("discord", ("DISCORD_TOKEN",), available=False)


def _shipped(env: dict[str, str]) -> dict[str, AdapterStatus]:
    """The shipped adapters' statuses in ``env``, by platform."""
    return {status.platform: status for status in adapter_status(env, ADAPTERS)}


def test_missing_credentials_keep_an_adapter_off_naming_every_missing_variable() -> None:
    [status] = adapter_status({}, (SLACK,))
    assert not status.on
    assert "SLACK_BOT_TOKEN" in status.reason and "SLACK_SIGNING_SECRET" in status.reason


def test_only_the_variables_still_missing_are_named() -> None:
    [status] = adapter_status({"SLACK_BOT_TOKEN": "xoxb-1"}, (SLACK,))
    assert not status.on
    assert "SLACK_SIGNING_SECRET" in status.reason
    assert "SLACK_BOT_TOKEN" not in status.reason


def test_credentials_without_an_adapter_in_this_build_are_off_and_say_so() -> None:
    [status] = adapter_status({"DISCORD_TOKEN": "abc"}, (DISCORD,))
    assert not status.on
    assert "no adapter yet" in status.reason


def test_credentials_and_an_adapter_turn_it_on() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}
    assert adapter_status(env, (SLACK,)) == [AdapterStatus("slack", True, "credentials found")]


def test_blank_values_count_as_missing() -> None:
    [status] = adapter_status({"SLACK_BOT_TOKEN": "   ", "SLACK_SIGNING_SECRET": ""}, (SLACK,))
    assert not status.on
    assert "SLACK_BOT_TOKEN" in status.reason and "SLACK_SIGNING_SECRET" in status.reason


def test_each_adapter_is_judged_on_its_own_credentials() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}
    statuses = adapter_status(env, (DISCORD, SLACK))
    assert [(s.platform, s.on) for s in statuses] == [("discord", False), ("slack", True)]
    assert "DISCORD_TOKEN" in statuses[0].reason


def test_the_shipped_adapters_are_all_off_in_an_empty_environment() -> None:
    statuses = _shipped({})
    assert set(statuses) == {"discord", "slack", "github", "email"} == {spec.platform for spec in ADAPTERS}
    assert not any(s.on for s in statuses.values())
    assert "DISCORD_TOKEN" in statuses["discord"].reason
    assert "GITHUB_TOKEN" in statuses["github"].reason and "GITHUB_WEBHOOK_SECRET" in statuses["github"].reason
    assert "HELPLINE_EMAIL_MAILBOXES" in statuses["email"].reason


def test_the_discord_bot_is_part_of_this_build_and_runs_with_a_token() -> None:
    statuses = _shipped({"DISCORD_TOKEN": "abc"})
    assert statuses["discord"] == AdapterStatus("discord", True, "credentials found")


def test_the_github_bot_runs_on_its_webhook_secret_and_says_when_it_cannot_act() -> None:
    listening = _shipped({"GITHUB_WEBHOOK_SECRET": "s3cret"})["github"]
    assert listening.on and "GITHUB_TOKEN not set" in listening.reason
    acting = _shipped({"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_TOKEN": "t"})["github"]
    assert acting == AdapterStatus("github", True, "credentials found")


def test_the_slack_bot_is_part_of_this_build_over_http_or_socket_mode() -> None:
    http = _shipped({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    socket = _shipped({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert http["slack"].on and socket["slack"].on
    [alone] = [s for s in adapter_status({"SLACK_APP_TOKEN": "xapp-1"}, ADAPTERS) if s.platform == "slack"]
    assert not alone.on and alone.reason == "SLACK_BOT_TOKEN not set"


def test_every_shipped_adapter_is_a_plug_in_and_serve_names_no_platform() -> None:
    assert all(spec.build is not None for spec in ADAPTERS)
    source = Path(bots.cli.serve.__file__).read_text(encoding="utf-8").lower()
    assert not [spec.platform for spec in ADAPTERS if spec.platform in source]
