"""The ``requests:`` settings: typed, and a mistake names the file and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import load_settings
from core.errors import ConfigError


def _load(tmp_path: Path, body: str) -> object:
    path = tmp_path / "helpline.yaml"
    path.write_text(body, encoding="utf-8")
    return load_settings(path, env={})


def test_weights_and_windows_become_the_policy(tmp_path: Path) -> None:
    settings = _load(tmp_path, "requests:\n  tier_weights: {enterprise: 10}\n  trending_window: 14d\n")
    policy = settings.requests.policy()  # type: ignore[attr-defined]
    assert policy.weight("enterprise") == 10 and policy.weight("community") == 1
    assert policy.trending_window == timedelta(days=14) and policy.duplicate_score == 0.37


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("requests:\n  tier_weights: {gold: 5}\n", "requests.tier_weights.gold", "unknown tier 'gold'"),
        ("requests:\n  tier_weights: {enterprise: -1}\n", "requests.tier_weights", "must be from 0 to 1000"),
        ("requests:\n  trending_window: soon\n", "requests.trending_window", ""),
        ("requests:\n  duplicate_score: 2\n", "requests.duplicate_score", ""),
        ("requests:\n  weights: {}\n", "requests.weights", ""),
    ],
)
def test_a_mistake_names_the_file_and_key(tmp_path: Path, body: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, body)
    said = str(info.value)
    assert "helpline.yaml" in said and key in said and problem in said
