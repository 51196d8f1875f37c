"""Config mistakes that used to pass silently or end in a traceback: each is one ConfigError naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, load_settings
from config.tiers import load_tiers
from config.yaml_loader import parse_yaml
from core.errors import ConfigError
from tests.unit.test_tiers_config import GOOD, write

CHAIN = '{target: "slack:C0ESC", contact: the customer success manager}'
WITH_CHAIN = GOOD.replace(
    CHAIN,
    '{target: "slack:C0ESC", chain: [{name: L1, mention: "slack:group:S0L1", wait: 1h}, {name: L2}]}',
)
WITH_CALENDAR = GOOD.replace(
    "    priority_boost: 1\n  professional:",
    "    priority_boost: 1\n    calendar: office\n  professional:",
) + ("calendars:\n  office:\n    zone: Europe/Berlin\n    hours: {mon: 09:00-17:00}\n    holidays: [2026-12-25]\n")


def refused(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_tiers(path)
    assert info.value.path == str(path)
    return info.value


def test_a_second_tier_with_the_same_name_is_refused_naming_both_lines(tmp_path: Path) -> None:
    professional = GOOD[GOOD.index("  professional:\n") : GOOD.index("rules:")]
    text = GOOD.replace("rules:", professional.replace("professional", "enterprise", 1) + "rules:", 1)
    lines = text.splitlines()
    first = lines.index("  enterprise:") + 1
    again = lines.index("  enterprise:", first) + 1
    error = refused(write(tmp_path, text))
    assert f"line {again}: duplicate key 'enterprise' (first on line {first})" in error.problem


def test_duplicate_keys_in_the_settings_file_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "knowledge:\n  top_k: 3\n  top_k: 8\n", "helpline.yaml")
    with pytest.raises(
        ConfigError, match=r"helpline\.yaml: invalid YAML: line 3: duplicate key 'top_k' \(first on line 2\)"
    ):
        load_settings(path, env={})


def test_yaml_merge_keys_may_still_override_what_they_bring() -> None:
    text = "base: &b {top_k: 3, hnsw_m: 16}\nknowledge:\n  <<: *b\n  top_k: 8\n"
    assert parse_yaml(text)["knowledge"] == {"top_k": 8, "hnsw_m": 16}


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("smoke-signal:1", "unknown platform 'smoke-signal'"),
        ("consol", "unknown platform 'consol' (did you mean console?)"),
        ("slack:#general", "'#general' is not a channel id like C0123ABC"),
        ("discord:staff-room", "'staff-room' is not a channel id (digits)"),
    ],
)
def test_an_escalation_target_nobody_can_post_to_is_refused(tmp_path: Path, target: str, problem: str) -> None:
    error = refused(write(tmp_path, GOOD.replace('"slack:C0ESC"', f'"{target}"')))
    assert error.key == "tiers.enterprise.escalation.target"
    assert problem in error.problem


def test_a_channel_on_an_unknown_platform_is_refused(tmp_path: Path) -> None:
    error = refused(write(tmp_path, GOOD.replace("channels: [slack, discord]", "channels: [slack, discrod]")))
    assert error.key == "tiers.professional.channels[1]"
    assert "did you mean discord?" in error.problem


@pytest.mark.parametrize(
    ("mention", "problem"),
    [
        ("slack:user:#general", "'#general' is not a user id like U0123ABC, so nobody would be notified"),
        ("slack:group:U0ANA", "'U0ANA' is not a user-group id like S0123ABC"),
        ("discord:group:moderators", "'moderators' is not a role id (digits)"),
        ("pager:user:7", "unknown platform 'pager'"),
    ],
)
def test_a_chain_mention_that_would_be_dropped_is_refused(tmp_path: Path, mention: str, problem: str) -> None:
    error = refused(write(tmp_path, WITH_CHAIN.replace("slack:group:S0L1", mention)))
    assert error.key == "tiers.enterprise.escalation.chain[0].mention[0]"
    assert problem in error.problem


def test_a_holiday_that_is_no_date_names_its_line(tmp_path: Path) -> None:
    assert load_tiers(write(tmp_path, WITH_CALENDAR)) is not None
    text = WITH_CALENDAR.replace("2026-12-25", "2026-13-45")
    line = text.splitlines().index("    holidays: [2026-13-45]") + 1
    error = refused(write(tmp_path, text))
    assert f"line {line}: '2026-13-45' is not a date" in error.problem


@pytest.mark.parametrize("target", ["first_response: {critical: 99999999999999d", "first_response: {critical: 3651d"])
def test_a_target_longer_than_ten_years_is_refused(tmp_path: Path, target: str) -> None:
    error = refused(write(tmp_path, GOOD.replace("first_response: {critical: 2h", target)))
    assert error.key == "tiers.enterprise.first_response.critical"
    assert "durations are at most 3650d" in error.problem


def test_thousands_of_nested_brackets_are_one_clear_error(tmp_path: Path) -> None:
    for load, name in ((load_tiers, "tiers.yaml"), (load_intents, "intents.yaml")):
        path = write(tmp_path, "tiers: " + "[" * 5000 + "]" * 5000 + "\n", name)
        with pytest.raises(ConfigError, match="nested more than 50 levels deep"):
            load(path)


def test_an_unknown_setting_says_so_and_suggests_the_nearest_key(tmp_path: Path) -> None:
    path = write(tmp_path, "knowledge:\n  topk: 3\n", "helpline.yaml")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value) == f"{path}: knowledge.topk: unknown setting (did you mean top_k?)"
    tiers = refused(write(tmp_path, GOOD.replace("priority_boost: 1\n  prof", "priorty_boost: 1\n  prof")))
    assert tiers.problem == "unknown setting (did you mean priority_boost?)"
    intents = write(tmp_path, DEFAULT_INTENTS_FILE.read_text().replace("  - name:", "  - nmae:", 1), "intents.yaml")
    with pytest.raises(ConfigError, match=r"intents\[0\]\.nmae: unknown setting \(did you mean name\?\)"):
        load_intents(intents)


def test_an_unknown_environment_variable_is_named_not_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "knowledge:\n  top_k: 3\n", "helpline.yaml")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={"HELPLINE_KNOWLEDGE__TOPK": "3"})
    assert str(info.value) == (
        "environment: knowledge.topk (from HELPLINE_KNOWLEDGE__TOPK): unknown setting (did you mean top_k?)"
    )


def test_the_secret_variables_sharing_the_prefix_are_not_settings(tmp_path: Path) -> None:
    # HELPLINE_DASHBOARD_SECRET turns the dashboard on; it used to stop every command as an "unknown setting".
    secrets = {
        "HELPLINE_DASHBOARD_SECRET": "x" * 40,
        "HELPLINE_API_TOKEN": "t" * 32,
        "HELPLINE_METRICS_TOKEN": "m" * 32,
    }
    settings = load_settings(write(tmp_path, "knowledge:\n  top_k: 3\n", "helpline.yaml"), env=secrets)
    assert settings.knowledge.top_k == 3


def test_a_huge_ticket_window_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "support:\n  ticket_window: 99999999999999d\n", "helpline.yaml")
    with pytest.raises(ConfigError, match=r"support\.ticket_window: .* durations are at most 3650d"):
        load_settings(path, env={})


def test_a_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a folder")
    for data_dir in ("taken", "taken/below"):
        path = write(tmp_path, f"data_dir: {data_dir}\n", "helpline.yaml")
        with pytest.raises(ConfigError, match=r"helpline\.yaml: data_dir: .*taken is a file, not a folder"):
            load_settings(path, env={})


def test_a_key_with_a_newline_in_it_is_quoted_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, '? "to\\npk"\n: 3\n', "helpline.yaml")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value) == f"{path}: ['to\\npk']: unknown setting"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("{platform: discord, role: Pro", "{platform: discrod, role: Pro", "rules[1].platform"),
        ('["slack:U0BETA"]', '["slak:U0BETA"]', "customers[1].identities[0]"),
    ],
)
def test_a_rule_or_identity_on_an_unknown_platform_is_refused(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in GOOD
    error = refused(write(tmp_path, GOOD.replace(old, new)))
    assert error.key == key
    assert "unknown platform" in error.problem
    assert "platforms are console, discord, slack, github, email" in error.problem


def test_a_number_of_thousands_of_digits_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "knowledge:\n  top_k: " + "9" * 5000 + "\n", "helpline.yaml")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(info.value) == f"{path}: invalid YAML: line 2: a number of 5000 characters is too long"
