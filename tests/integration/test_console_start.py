"""The console's first start: the sample index is built with one plain line, no progress bar, no WARNING."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bots.bootstrap import build_understanding, knowledge_source
from config.settings import Settings
from tests.fakes import HashingEmbedder


def test_the_first_build_is_told_in_the_consoles_words_without_a_bar_or_warning(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    told: list[Path] = []
    with caplog.at_level(logging.INFO):
        parts = build_understanding(settings, HashingEmbedder(), on_first_build=told.append)
    assert told == [knowledge_source(settings)]
    assert len(parts.knowledge) > 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    err = capfd.readouterr().err
    assert "%|" not in err and "Batches" not in err


def test_without_the_console_the_first_build_is_still_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        build_understanding(Settings(data_dir=tmp_path / "data"), HashingEmbedder())
    assert any("no knowledge index yet" in r.getMessage() for r in caplog.records)
