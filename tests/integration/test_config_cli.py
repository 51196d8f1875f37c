"""The ``helpline`` command on broken config: one ``error:`` line and exit 2, never a traceback; data files private."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import DEFAULT_TIERS_FILE, Settings
from core.understanding.classifier import train_head
from kb_index.knowledge_base import KnowledgeBase
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import ARTICLES, write_kb


@pytest.fixture(autouse=True)
def usual_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The umask most systems run with (files 0644, folders 0755), and no stray HELPLINE_ variables."""
    for key in [k for k in os.environ if k.startswith("HELPLINE_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    yield
    os.umask(old)


def replan(tmp_path: Path, settings: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run ``helpline --config helpline.yaml sla replan``; its exit code and standard error."""
    (tmp_path / "helpline.yaml").write_text(settings, encoding="utf-8")
    code = run(["--config", str(tmp_path / "helpline.yaml"), "sla", "replan"])
    return code, capsys.readouterr().err


# The shipped file's holiday list, wherever its comments put it: the error must name that line.
SHIPPED_TIERS = DEFAULT_TIERS_FILE.read_text(encoding="utf-8").splitlines()
HOLIDAYS_LINE = next(n for n, line in enumerate(SHIPPED_TIERS, 1) if "holidays: [2026-12-25" in line)


def tiers_with(tmp_path: Path, old: str, new: str) -> str:
    text = DEFAULT_TIERS_FILE.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "tiers.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return "data_dir: data\nsupport:\n  tiers_file: tiers.yaml\n"


def test_good_settings_replan_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = replan(tmp_path, tiers_with(tmp_path, "version: 1", "version: 1"), capsys)
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "medium: 72h",
            "medium: 99999999999999d",
            "tiers.community.first_response.medium: '99999999999999d' is too long",
        ),
        ("    escalation: {target: console", '    escalation: {target: "smoke-signal:1"', "unknown platform"),
        ("    escalation: {target: console", "    escalation: {target: consol", "did you mean console?"),
        ("    escalation: {target: console", '    escalation: {target: "slack:#general"', "'#general' is not"),
        ('mention: "console:group:engineering"', 'mention: "slack:user:#general"', "nobody would be notified"),
        ("default_tier: community\n", "default_tier: community\ndefault_tier: professional\n", "duplicate key"),
        ("default_tier: community\n", "default_tier: community\nextra: " + "[" * 5000 + "\n", "levels deep"),
        ("holidays: [2026-12-25", "holidays: [2026-13-45", f"line {HOLIDAYS_LINE}: '2026-13-45' is not a date"),
    ],
)
def test_a_broken_tiers_file_is_one_error_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, problem: str
) -> None:
    code, err = replan(tmp_path, tiers_with(tmp_path, old, new), capsys)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(f"error: {tmp_path / 'tiers.yaml'}: ") and problem in line


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (
            "support:\n  ticket_window: 99999999999999d\n",
            "support.ticket_window: '99999999999999d' is too long: durations are at most 3650d (ten years)",
        ),
        ("data_dir: taken\n", "data_dir: " + "{tmp}/taken is a file, not a folder"),
        ("knowledge:\n  topk: 3\n", "knowledge.topk: unknown setting (did you mean top_k?)"),
        ("knowledge:\n  top_k: 3\n  top_k: 4\n", "invalid YAML: line 3: duplicate key 'top_k' (first on line 2)"),
    ],
)
def test_a_broken_settings_file_is_one_error_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, problem: str
) -> None:
    (tmp_path / "taken").write_text("a file where the data folder should be")
    code, err = replan(tmp_path, settings, capsys)
    assert code == 2
    assert err.splitlines() == [f"error: {tmp_path / 'helpline.yaml'}: {problem.format(tmp=tmp_path)}"]


def test_an_unknown_variable_is_named_instead_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPLINE_SUPORT__TICKET_LIMIT", "5")
    code, err = replan(tmp_path, "data_dir: data\n", capsys)
    assert code == 2
    assert err.splitlines() == [
        "error: environment: suport (from HELPLINE_SUPORT__TICKET_LIMIT): unknown setting (did you mean support?)"
    ]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.asyncio
async def test_the_ticket_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data" / "helpline")
    stores, engine = await open_stores(settings)
    try:
        assert await stores.tickets.get(1) is None
        database = settings.data_dir / "helpline.sqlite3"
        files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
        assert (mode(settings.data_dir), mode(settings.data_dir.parent)) == (0o700, 0o700)
    finally:
        await engine.dispose()


def test_the_knowledge_index_folders_and_database_are_private(tmp_path: Path) -> None:
    knowledge = KnowledgeBase(tmp_path / "data" / "kb", HashingEmbedder())
    knowledge.build(write_kb(tmp_path / "articles", ARTICLES))
    folders = [tmp_path / "data", tmp_path / "data" / "kb", tmp_path / "data" / "kb" / "snapshots"]
    folders += [p for p in (tmp_path / "data" / "kb" / "snapshots").iterdir() if p.is_dir()]
    assert len(folders) == 4
    assert {str(p): mode(p) for p in folders} == {str(p): 0o700 for p in folders}
    assert mode(tmp_path / "data" / "kb" / "kb.sqlite3") == 0o600


def test_the_trained_intent_cache_folder_is_private(tmp_path: Path) -> None:
    pairs = [("my invoice is wrong", "billing"), ("refund please", "billing"), ("app crashed", "bug"), ("broke", "bug")]
    train_head(HashingEmbedder(), pairs, cache_dir=tmp_path / "data" / "intents")
    assert (mode(tmp_path / "data"), mode(tmp_path / "data" / "intents")) == (0o700, 0o700)
