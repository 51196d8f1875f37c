"""The ``analytics:`` settings: defaults, a file's values, and mistakes named by file and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import load_settings
from core.analytics.metrics import ReportPolicy
from core.errors import ConfigError


def test_defaults_are_the_documented_thresholds(tmp_path: Path) -> None:
    assert load_settings(None, {"HELPLINE_CONFIG": ""}).analytics.policy() == ReportPolicy()


def test_a_file_and_the_environment_set_thresholds_and_window(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("analytics:\n  thresholds:\n    fcr: 0.8\n  deflection_window: 2d\n", encoding="utf-8")
    policy = load_settings(path, {"HELPLINE_ANALYTICS__THRESHOLDS__CSAT": "4.5"}).analytics.policy()
    assert (policy.fcr, policy.csat, policy.deflection_window) == (0.8, 4.5, timedelta(days=2))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("analytics:\n  thresholds:\n    fcr: 70\n", r"helpline\.yaml: analytics\.thresholds\.fcr: "),
        ("analytics:\n  deflection_window: soon\n", r"helpline\.yaml: analytics\.deflection_window: .*duration"),
        ("analytics:\n  treshold: 1\n", r"helpline\.yaml: analytics\.treshold: "),
    ],
)
def test_a_bad_value_names_the_file_and_key(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=where):
        load_settings(path, {})
