"""The ``github`` settings section: defaults, nested environment overrides, and errors naming the key."""

from __future__ import annotations

import pytest

from config.settings import load_settings
from core.errors import ConfigError


def test_labels_and_switches_come_from_the_environment() -> None:
    env = {"HELPLINE_GITHUB__LABELS__BUG": "type: bug", "HELPLINE_GITHUB__CLOSE_ON_RESOLVE": "false"}
    github = load_settings(env=env).github
    assert (github.labels.bug, github.labels.high, github.close_on_resolve) == ("type: bug", "P1-high", False)


def test_a_bad_github_setting_names_its_key() -> None:
    with pytest.raises(ConfigError, match=r"github\.labels\.escalated"):
        load_settings(env={"HELPLINE_GITHUB__LABELS__ESCALATED": ""})
    with pytest.raises(ConfigError, match=r"github\.max_attempts"):
        load_settings(env={"HELPLINE_GITHUB__MAX_ATTEMPTS": "0"})
