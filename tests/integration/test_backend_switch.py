"""Switching the embedding backend rebuilds the knowledge index instead of mixing vectors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bots.bootstrap import build_understanding
from config.settings import Settings
from tests.fakes import HashingEmbedder


def _docs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "reset.md").write_text("# Resetting a password\n\nOpen Settings, then Security, then Reset.\n")
    (folder / "refunds.md").write_text("# Refunds\n\nRefunds reach your card within five working days.\n")
    return folder


def test_a_new_backend_rebuilds_the_index_from_its_own_source(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = build_understanding(settings, HashingEmbedder(name="model (torch)"), build_kb=False)
    first.knowledge.build(_docs(tmp_path / "docs"))  # built by hand from a folder the settings do not name
    switched = HashingEmbedder(name="model (onnx-int8)")
    with caplog.at_level(logging.WARNING):
        parts = build_understanding(settings, switched)
    stats = parts.knowledge.stats()
    assert stats.embedder == "model (onnx-int8)"
    assert stats.documents == 2  # rebuilt from the folder it was built from, not the sample KB
    assert any("Open Settings, then Security" in text for text in switched.embedded_texts)  # every passage anew
    assert any("rebuilding it from" in r.getMessage() and "model (torch)" in r.getMessage() for r in caplog.records)
    hit = parts.knowledge.search_text("reset my password", 1)[0]
    assert hit.chunk.heading.startswith("Resetting a password")


def test_the_same_backend_keeps_the_index(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    build_understanding(settings, HashingEmbedder(name="model (onnx-int8)"), build_kb=False).knowledge.build(
        _docs(tmp_path / "docs")
    )
    again = HashingEmbedder(name="model (onnx-int8)")
    parts = build_understanding(settings, again)
    assert parts.knowledge.stats().documents == 2
    assert not any("Open Settings" in text for text in again.embedded_texts)  # nothing was embedded again


def test_the_console_is_told_about_a_rebuild_in_its_words(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    docs = _docs(tmp_path / "docs")
    build_understanding(settings, HashingEmbedder(name="model (torch)"), build_kb=False).knowledge.build(docs)
    told: list[Path] = []
    build_understanding(settings, HashingEmbedder(name="model (onnx)"), on_first_build=told.append)
    assert told == [docs.resolve()]
