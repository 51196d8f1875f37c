"""The ``calls:`` settings: quotas per tier, durations and the calendar; a mistake names the file and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import DEFAULT_TIERS_FILE, Settings, load_settings
from config.tiers import load_tiers
from core.calls.support_hours import support_calendar
from core.errors import ConfigError, HelplineError


def _load(tmp_path: Path, body: str) -> Settings:
    path = tmp_path / "helpline.yaml"
    path.write_text(body, encoding="utf-8")
    return load_settings(path, env={})


def test_the_defaults_are_the_specifications_quotas_in_business_hours() -> None:
    calls = Settings().calls.policy()
    assert calls.policy("professional").per_month == 1
    assert calls.policy("enterprise").per_month is None and calls.policy("white-glove").offers_calls
    assert not calls.policy("community").offers_calls and not calls.policy("unknown").offers_calls
    assert calls.reminder == timedelta(minutes=15) and calls.notice == timedelta(hours=2)
    assert support_calendar(calls, load_tiers(DEFAULT_TIERS_FILE)).name == "business-hours"


def test_quotas_lengths_and_the_calendar_are_read(tmp_path: Path) -> None:
    body = (
        "calls:\n  per_month: {professional: 2}\n  instead: {community: the forum}\n  length: 45m\n  calendar: 24x7\n"
    )
    calls = _load(tmp_path, body).calls.policy()
    assert calls.policy("professional").per_month == 2 and calls.policy("professional").length == timedelta(minutes=45)
    assert calls.policy("enterprise").per_month == 0  # named quotas replace the defaults
    assert calls.policy("community").instead == "the forum"
    assert support_calendar(calls, load_tiers(DEFAULT_TIERS_FILE)).name == "24x7"  # open every hour


def test_an_unknown_calendar_is_refused_with_its_key(tmp_path: Path) -> None:
    calls = _load(tmp_path, "calls:\n  calendar: lunchtime\n").calls.policy()
    with pytest.raises(HelplineError, match=r"calls\.calendar: no tier counts in a calendar named 'lunchtime'"):
        support_calendar(calls, load_tiers(DEFAULT_TIERS_FILE))


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("calls:\n  per_month: {gold: 1}\n", "calls.per_month.gold", "unknown tier 'gold'"),
        ("calls:\n  instead: {gold: x}\n", "calls.instead.gold", "unknown tier 'gold'"),
        ("calls:\n  per_month: {professional: -1}\n", "calls.per_month", "must be from 0 to 1000"),
        ("calls:\n  length: 30\n", "calls.length", ""),
        ("calls:\n  jitsi_url: http://meet.example.com\n", "calls.jitsi_url", ""),
        ("calls:\n  rooms: jitsi\n", "calls.rooms", ""),
    ],
)
def test_a_mistake_names_the_file_and_key(tmp_path: Path, body: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, body)
    said = str(info.value)
    assert "helpline.yaml" in said and key in said and problem in said
