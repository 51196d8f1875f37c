"""``helpline intents tune`` on a small BANKING77 slice: the tuned model serves its data directory, and better.

BANKING77 is not shipped with Helpline; the test reads it from ``$HELPLINE_BANKING77`` (a folder with
``train.csv`` and ``dev.csv``, as in the benchmarks) and is skipped without it.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from bots.cli import run

pytestmark = [pytest.mark.model, pytest.mark.slow]

BANKING77 = Path(os.environ.get("HELPLINE_BANKING77", "/work/shared/datasets/banking77"))
# Ten card and transfer intents that the untuned model confuses with each other.
LABELS = (
    "card_arrival",
    "card_delivery_estimate",
    "card_not_working",
    "card_swallowed",
    "declined_card_payment",
    "pending_transfer",
    "transfer_not_received_by_recipient",
    "failed_transfer",
    "balance_not_updated_after_bank_transfer",
    "transfer_timing",
)


def _slice(source: Path, target: Path, per_label: int) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["label"] in LABELS]
    kept: list[dict[str, str]] = []
    for label in LABELS:
        kept += [row for row in rows if row["label"] == label][:per_label]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "label"])
        writer.writeheader()
        writer.writerows(kept)
    return target


def _accuracy(out: str) -> float:
    found = re.search(r"accuracy=([0-9.]+)", out)
    assert found, out
    return float(found.group(1))


@pytest.fixture
def slice_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    if not (BANKING77 / "train.csv").is_file():
        pytest.skip(f"BANKING77 not found in {BANKING77} (set HELPLINE_BANKING77)")
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HELPLINE_MODEL__BACKEND", "torch")  # the export has tests of its own; this is about tuning
    monkeypatch.chdir(tmp_path)
    return _slice(BANKING77 / "train.csv", tmp_path / "train.csv", 8), _slice(
        BANKING77 / "dev.csv", tmp_path / "dev.csv", 20
    )


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
