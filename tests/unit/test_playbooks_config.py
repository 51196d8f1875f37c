"""``config/playbooks.yaml``: the shipped file loads, and each kind of mistake is refused naming its file and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.playbooks_config import DEFAULT_PLAYBOOKS_FILE, load_playbooks
from core.customers.outreach import ActionKind, Audience, Trigger
from core.errors import ConfigError

TIERS = ("community", "professional", "enterprise", "white-glove")


def test_the_shipped_playbooks_cover_every_trigger_with_the_specifications_thresholds() -> None:
    policy = load_playbooks(DEFAULT_PLAYBOOKS_FILE, TIERS)
    by_name = {p.name: p for p in policy.playbooks}
    assert {p.trigger for p in policy.playbooks} == set(Trigger)
    assert (by_name["health_at_risk"].threshold, by_name["health_critical"].threshold) == (70, 50)
    assert [a.audience for a in by_name["health_critical"].actions] == [Audience.CSM, Audience.LEADERSHIP]
    assert by_name["usage_limit"].threshold == 0.85 and by_name["low_adoption"].threshold == 0.3
    assert by_name["low_adoption"].after == timedelta(days=30)
    assert by_name["renewal"].days == (60, 30, 14, 7, 1)
    assert by_name["enterprise_escalation"].tiers == ("enterprise",)
    assert ActionKind.MESSAGE in {a.kind for a in by_name["milestone"].actions}
    assert (policy.messages, policy.window, policy.every) == (2, timedelta(days=7), timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (
            "playbooks: {p: {trigger: health, threshold: 70, actions: [{notice: csm}], colour: red}}",
            "playbooks.p.colour",
            "unknown setting",
        ),
        ("playbooks: {p: {trigger: health, actions: [{notice: csm}]}}", "playbooks.p", "needs a threshold"),
        (
            "playbooks: {p: {trigger: usage_limit, threshold: 85, actions: [{notice: csm}]}}",
            "playbooks.p",
            "share from 0 to 1",
        ),
        (
            "playbooks: {p: {trigger: health, threshold: 70, days: [3], actions: [{notice: csm}]}}",
            "playbooks.p",
            "days is not a setting of a health playbook",
        ),
        ("playbooks: {p: {trigger: renewal, actions: [{notice: csm}]}}", "playbooks.p", "needs days"),
        ("playbooks: {p: {trigger: weather, actions: [{notice: csm}]}}", "playbooks.p.trigger", "health"),
        (
            "playbooks: {p: {trigger: renewal, days: [30], actions: [{message: 'Hi {colour}'}]}}",
            "playbooks.p.actions[0].message",
            "unknown template field {colour}",
        ),
        (
            "playbooks: {p: {trigger: renewal, days: [30], actions: [{notice: customer}]}}",
            "playbooks.p.actions[0]",
            "a notice is for staff",
        ),
        (
            "playbooks: {p: {trigger: renewal, days: [30], actions: [{notice: csm, task: x}]}}",
            "playbooks.p.actions[0]",
            "an action is one of",
        ),
        (
            "playbooks: {p: {trigger: renewal, days: [30, 30], actions: [{notice: csm}]}}",
            "playbooks.p.days",
            "each once",
        ),
        (
            "playbooks: {p: {trigger: escalation, tiers: [gold], actions: [{notice: csm}]}}",
            "playbooks.p.tiers[0]",
            "unknown tier 'gold'",
        ),
        ("playbooks: {p: {trigger: renewal, days: [30], actions: []}}", "playbooks.p.actions", "at least 1"),
        ("settings: {window: soon}", "settings.window", "soon"),
        ("settings: {staff_channel: 'not an address'}", "settings.staff_channel", "is not an address"),
        ("accounts: {Acme: {channel: 'slack:C1'}}", "accounts", "is not an account id"),
        ("accounts: {acme: {contact: 'fax:123'}}", "accounts.acme.contact", "is not an identity"),
        (
            "accounts: {acme: {contact: 'discord:81234'}}",
            "accounts.acme.contact",
            "direct messages go out on slack only",
        ),
    ],
)
def test_a_mistake_is_named_with_its_file_and_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = tmp_path / "playbooks.yaml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as raised:
        load_playbooks(path, TIERS)
    assert (raised.value.path, raised.value.key) == (str(path), key)
    assert words in raised.value.problem


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_playbooks(tmp_path / "nope.yaml")
