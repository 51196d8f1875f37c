"""The ``digest:`` settings: a schedule from the file, and mistakes named by file and key."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from config.settings import load_settings
from core.errors import ConfigError
from core.messages import Address


def _load(tmp_path: Path, body: str) -> object:
    path = tmp_path / "helpline.yaml"
    path.write_text(body)
    return load_settings(path, env={}).digest.schedule()


def test_the_digest_is_off_by_default_and_read_from_the_file(tmp_path: Path) -> None:
    assert _load(tmp_path, "support: {}\n") is None
    schedule = _load(
        tmp_path,
        'digest: {enabled: true, weekday: friday, time: "16:30", timezone: Europe/Berlin, channel: "slack:C1"}\n',
    )
    assert schedule is not None
    assert (schedule.weekday, schedule.at, schedule.zone, schedule.channel) == (  # type: ignore[attr-defined]
        4,
        time(16, 30),
        "Europe/Berlin",
        Address("slack", channel="C1"),
    )


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ("digest: {enabled: true}\n", "digest", "names no channel"),
        ("digest: {weekday: someday}\n", "digest.weekday", "not a weekday"),
        ("digest: {time: 25:00}\n", "digest.time", "not a time"),
        ("digest: {timezone: Mars/Olympus}\n", "digest.timezone", "not a known time zone"),
        ("digest: {channel: 'slack:T1//1.2'}\n", "digest.channel", "names no channel"),
    ],
)
def test_a_digest_mistake_names_the_file_and_key(tmp_path: Path, body: str, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, body)
    message = str(caught.value)
    assert "helpline.yaml" in message and key in message and words in message
