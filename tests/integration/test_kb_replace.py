"""``helpline kb build`` never silently replaces the knowledge base the chat answers from."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import bots.cli.kb
from bots.bootstrap import build_knowledge_base
from bots.cli import run
from config.settings import Settings
from kb_index.knowledge_base import KnowledgeBase
from tests.fakes import HashingEmbedder

EMBEDDER = HashingEmbedder()


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two article folders and an empty data directory; the CLI embeds with the hashing fake."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)

    def knowledge(settings: Settings, embedder: object = None) -> KnowledgeBase:
        return build_knowledge_base(settings, EMBEDDER)

    monkeypatch.setattr(bots.cli.kb, "build_knowledge_base", knowledge)
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, topic in ((first, "billing"), (second, "deploys")):
        folder.mkdir()
        for n in range(3):
            (folder / f"{topic}-{n}.md").write_text(f"# {topic} {n}\n\nAll about {topic}, part {n}.\n")
    return first, second


def _documents(capsys: pytest.CaptureFixture[str]) -> str:
    assert run(["kb", "stats"]) == 0
    return capsys.readouterr().out


def test_building_from_another_source_stops_and_says_what_would_be_replaced(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = folders
    assert run(["kb", "build", str(first)]) == 0
    capsys.readouterr()
    assert run(["kb", "build", str(second)]) == 2
    err = capsys.readouterr().err
    assert f"3 passages from 3 documents, built from {first.resolve()}" in err
    assert "--replace" in err and "Nothing changed" in err
    assert f"source:     {first.resolve()}" in _documents(capsys)


def test_replace_builds_from_the_new_source(folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    first, second = folders
    assert run(["kb", "build", str(first)]) == 0
    assert run(["kb", "build", str(second), "--replace"]) == 0
    assert "3 removed" in capsys.readouterr().out
    assert f"source:     {second.resolve()}" in _documents(capsys)


def test_rebuilding_the_same_source_asks_nothing(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = folders
    assert run(["kb", "build", str(first)]) == 0
    assert run(["kb", "build", str(first)]) == 0
    assert "0 embedded" in capsys.readouterr().out


class Typed(io.StringIO):
    """What a person types at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "replaced"), [("y\n", True), ("n\n", False)])
def test_at_a_terminal_it_asks_first(
    folders: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    replaced: bool,
) -> None:
    first, second = folders
    assert run(["kb", "build", str(first)]) == 0
    monkeypatch.setattr(sys, "stdin", Typed(answer))
    assert run(["kb", "build", str(second)]) == (0 if replaced else 2)
    out = capsys.readouterr().out
    assert "Replace the index?" in out and "replaces them" in out
    assert f"source:     {(second if replaced else first).resolve()}" in _documents(capsys)
