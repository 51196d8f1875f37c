"""``helpline intents tune`` on a small BANKING77 slice: the tuned model serves its data directory, and better.

The slice (ten card and transfer intents, 8 training rows each and 20 dev rows each) is in tests/data,
drawn from the BANKING77 training and dev splits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bots.cli import run

pytestmark = [pytest.mark.model, pytest.mark.slow]

DATA = Path(__file__).resolve().parents[1] / "data"


def _accuracy(out: str) -> float:
    found = re.search(r"accuracy=([0-9.]+)", out)
    assert found, out
    return float(found.group(1))


@pytest.fixture
def slice_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HELPLINE_MODEL__BACKEND", "torch")  # the export has tests of its own; this is about tuning
    monkeypatch.chdir(tmp_path)
    return DATA / "banking77_tune_train.csv", DATA / "banking77_tune_dev.csv"


def test_tuning_improves_intent_accuracy_in_the_same_data_directory(
    slice_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train, dev = slice_files
    evaluate = ["eval", "intents", "--train", str(train), "--test", str(dev)]
    assert run(evaluate) == 0
    before = _accuracy(capsys.readouterr().out)

    assert run(["intents", "tune", "--train", str(train), "--epochs", "4"]) == 0
    out = capsys.readouterr().out
    assert "this data directory now uses" in out
    tuned = [p for p in (tmp_path / "data" / "tuned_models").iterdir() if p.is_dir()]
    assert len(tuned) == 1 and (tuned[0] / "tuned.json").is_file()
    assert str(tuned[0].resolve()) in out  # the embedder now named after the tuned model

    assert run(evaluate) == 0
    after = _accuracy(capsys.readouterr().out)
    assert after >= before + 0.03, (before, after)
