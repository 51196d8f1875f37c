"""The duplicate threshold's measurement: the labelled pairs, the F1 sweep, and the shipped value it chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.request_dedupe import PAIRS, best_threshold, load_pairs, measure, score_at
from bots.embedders import build_embedder
from config.settings import ModelSettings, Settings
from core.requests.impact import DUPLICATE_SCORE


def test_the_labelled_set_is_balanced_and_split_in_halves() -> None:
    pairs = load_pairs(PAIRS)
    assert len(pairs) == 80 and sum(p.same for p in pairs) == 40
    assert {p.split for p in pairs} == {"tune", "test"} and sum(p.split == "tune" for p in pairs) == 40
    assert all(p.first.strip() and p.second.strip() and p.first != p.second for p in pairs)


def test_the_sweep_keeps_the_higher_threshold_of_equal_f1() -> None:
    scores, labels = [0.9, 0.8, 0.5, 0.3], [True, True, False, False]
    best = best_threshold(scores, labels)
    assert (best.precision, best.recall, best.f1) == (1.0, 1.0, 1.0) and best.threshold == 0.8
    assert score_at(0.4, scores, labels).precision == pytest.approx(2 / 3)
    assert score_at(0.95, scores, labels).recall == 0.0


@pytest.mark.model
def test_the_shipped_threshold_is_the_one_measured_with_the_bundled_model(onnx_exports: Path) -> None:
    # Measured on the default backend, onnx-int8 (torch's vectors chose 0.36, with the same held-out scores).
    embedder = build_embedder(Settings(model=ModelSettings(export_dir=onnx_exports)))
    chosen, held_out = measure(embedder, load_pairs(PAIRS))
    assert chosen.threshold == DUPLICATE_SCORE
    assert held_out.precision >= 0.8 and held_out.recall >= 0.9  # as reported in docs/requests.md
