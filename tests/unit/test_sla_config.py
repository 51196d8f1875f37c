"""The SLA parts of tiers.yaml: the shipped file, and broken files naming the file and the key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.tiers import DEFAULT_TIERS_FILE, load_tiers
from core.errors import ConfigError
from core.sla.plan import ON_CALL
from tests.unit.test_sla_worker import TIERS


def test_shipped_calendars_chains_and_on_call() -> None:
    directory = load_tiers(DEFAULT_TIERS_FILE)
    professional, enterprise = directory.get("professional"), directory.get("enterprise")
    assert professional.sla.calendar.name == "business-hours" and not professional.sla.calendar.always_open
    assert enterprise.sla.calendar.always_open and directory.get("white-glove").sla.calendar.always_open
    assert [level.name for level in enterprise.sla.chain] == [
        "L1 first contact",
        "L2 technical support",
        "L3 engineering",
        "L4 leadership",
    ]
    assert enterprise.sla.chain[0].mentions == (ON_CALL,) and enterprise.level_target(1) == "console"
    assert enterprise.sla.warning_share == 0.75 and enterprise.sla.reminder_every == timedelta(minutes=30)
    assert enterprise.sla.stale_after == timedelta(days=3)
    assert [shift.name for shift in directory.on_call.shifts] == ["americas", "emea", "apac"]
    # A tier without a chain escalates to its target alone, as before chains existed.
    assert [level.name for level in professional.sla.chain] == ["the support manager"]


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("    calendar: office\n", "    calendar: nowhere\n", "tiers.office.calendar", "unknown calendar 'nowhere'"),
        ("zone: Europe/Berlin", "zone: Mars/Olympus", "calendars.office.zone", "not a known time zone"),
        ("      mon: [", "      monday: [", "calendars.office.hours.monday", "not a weekday"),
        ('mon: ["09:00-17:00"]', 'mon: ["17:00-09:00"]', "calendars.office.hours.mon", "ends before it starts"),
        ("warning_share: 50%", "warning_share: 150%", "sla.warning_share", "between 0 and 1"),
        ("stale_after: 2d", "stale_after: 2", "sla.stale_after", "duration"),
        ('hours: "16:00-24:00"', 'hours: "16:00-23:00"', "on_call.shifts", "no shift covers 23:00"),
        ('"discord:user:77"', '"discord:77"', "tiers.gold.escalation.chain[1].mention[0]", "not a mention"),
        ("wait: 30m", "wait: soon", "tiers.gold.escalation.chain[0].wait", "not a duration"),
    ],
)
def test_broken_sla_settings_name_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    assert old in TIERS
    path = tmp_path / "tiers.yaml"
    path.write_text(TIERS.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_tiers(path)
    assert str(info.value).startswith(f"{path}: {key}: ") and problem in str(info.value)


def test_on_call_mentions_need_shifts(tmp_path: Path) -> None:
    text = TIERS[: TIERS.index("on_call:")] + TIERS[TIERS.index("tiers:") :]
    path = tmp_path / "tiers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tiers\.gold\.escalation\.chain\[0\]\.mention.*on_call\.shifts"):
        load_tiers(path)
