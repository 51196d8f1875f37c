from __future__ import annotations

from pathlib import Path

import pytest

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, load_settings
from core.errors import ConfigError
from core.tickets.records import Priority

GOOD_INTENT = """
  - name: billing
    category: billing
    base_priority: medium
    examples: ["I was charged twice"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_intents_cover_the_support_intents_with_their_priorities() -> None:
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    expected = {
        "how_to_question": Priority.LOW,
        "bug_report": Priority.HIGH,
        "feature_request": Priority.MEDIUM,
        "billing": Priority.MEDIUM,
        "account_access": Priority.MEDIUM,
        "service_down": Priority.CRITICAL,
        "security_issue": Priority.CRITICAL,
        "data_loss": Priority.CRITICAL,
        "performance_issue": Priority.HIGH,
        "greeting_or_thanks": Priority.LOW,
        "human_request": Priority.MEDIUM,
    }
    assert {i.name: i.base_priority for i in catalog.intents} == expected
    assert all(len(set(i.examples)) >= 15 for i in catalog.intents)


def test_broken_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "intents.yaml", "intents:\n  - name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"intents\.yaml: invalid YAML: line \d+") as info:
        load_intents(path)
    assert info.value.path == str(path)


def test_bad_priority_names_the_key(tmp_path: Path) -> None:
    text = "intents:" + GOOD_INTENT + GOOD_INTENT.replace("billing", "outage").replace("medium", "urgent")
    with pytest.raises(ConfigError) as info:
        load_intents(write(tmp_path, "intents.yaml", text))
    assert info.value.key == "intents[1].base_priority"
    assert "critical" in info.value.problem


def test_missing_examples_and_unknown_keys_are_reported(tmp_path: Path) -> None:
    no_examples = "intents:" + GOOD_INTENT + "  - {name: other, category: x, base_priority: low}\n"
    with pytest.raises(ConfigError, match=r"intents\[1\]\.examples"):
        load_intents(write(tmp_path, "a.yaml", no_examples))
    typo = "intents:" + GOOD_INTENT + GOOD_INTENT.replace("billing", "b2").replace("examples", "exmaples")
    with pytest.raises(ConfigError, match=r"intents\[1\]\.exmaples"):
        load_intents(write(tmp_path, "b.yaml", typo))


def test_duplicate_and_reserved_intent_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="duplicate intent names: billing"):
        load_intents(write(tmp_path, "a.yaml", "intents:" + GOOD_INTENT + GOOD_INTENT))
    with pytest.raises(ConfigError, match="reserved"):
        load_intents(
            write(tmp_path, "b.yaml", "intents:" + GOOD_INTENT + GOOD_INTENT.replace("name: billing", "name: oos"))
        )


def test_missing_intents_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: file not found"):
        load_intents(tmp_path / "nope.yaml")


def test_settings_defaults_need_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.model.name == "bundled"
    assert settings.knowledge.source is None
    assert settings.intents.file == DEFAULT_INTENTS_FILE


def test_settings_file_and_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "helpline.yaml", "data_dir: data\nknowledge:\n  source: docs\n  top_k: 3\n")
    settings = load_settings(path, env={"HELPLINE_KNOWLEDGE__TOP_K": "7", "HELPLINE_MODEL__NAME": "/models/x"})
    assert settings.data_dir == tmp_path / "data"  # relative to the file, not the working directory
    assert settings.knowledge.source == tmp_path / "docs"
    assert settings.knowledge.top_k == 7
    assert settings.model.name == "/models/x"


def test_bad_setting_names_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "helpline.yaml", "knowledge:\n  top_k: lots\n")
    with pytest.raises(ConfigError, match=r"helpline\.yaml: knowledge\.top_k: .*integer"):
        load_settings(path, env={})
    path = write(tmp_path, "typo.yaml", "modle:\n  name: x\n")
    with pytest.raises(ConfigError, match=r"typo\.yaml: modle: "):
        load_settings(path, env={})


def test_bad_environment_variable_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    problem = r"^environment: model\.batch_size \(from HELPLINE_MODEL__BATCH_SIZE\): .*greater than"
    with pytest.raises(ConfigError, match=problem):
        load_settings(env={"HELPLINE_MODEL__BATCH_SIZE": "0"})


def test_settings_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_settings(write(tmp_path, "helpline.yaml", "- just\n- a list\n"), env={})


def test_example_settings_file_parses_and_matches_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example = Path(__file__).resolve().parents[2] / "config" / "helpline.example.yaml"
    assert load_settings(example, env={}) == load_settings(env={})


def test_index_defaults_in_settings_match_the_index_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bots.bootstrap import index_options
    from kb_index.faiss_index import IndexOptions

    monkeypatch.chdir(tmp_path)
    assert index_options(load_settings(env={})) == IndexOptions()


def test_discord_settings_from_file_and_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "helpline.yaml", "discord:\n  support_channels: [111, 222]\n  staff_channel: 333\n")
    settings = load_settings(
        path, env={"HELPLINE_DISCORD__ON_CALL_ROLE": "444", "HELPLINE_DISCORD__COMMAND_GUILDS": "5,6"}
    )
    assert settings.discord.support_channels == (111, 222)
    assert (settings.discord.staff_channel, settings.discord.on_call_role) == (333, 444)
    assert settings.discord.command_guilds == (5, 6) and settings.discord.message_content


def test_a_bad_discord_id_names_the_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "helpline.yaml", "discord:\n  support_channels: [help-channel]\n")
    with pytest.raises(ConfigError, match=r"helpline\.yaml: discord\.support_channels\[0\]: .*integer"):
        load_settings(path, env={})


def test_job_concurrency_from_file_and_its_limits(tmp_path: Path) -> None:
    assert load_settings(env={}).jobs.concurrency == 8
    assert load_settings(write(tmp_path, "helpline.yaml", "jobs:\n  concurrency: 2\n"), env={}).jobs.concurrency == 2
    with pytest.raises(ConfigError, match=r"helpline\.yaml: jobs\.concurrency: .*greater than or equal to 1"):
        load_settings(write(tmp_path, "helpline.yaml", "jobs:\n  concurrency: 0\n"), env={})
