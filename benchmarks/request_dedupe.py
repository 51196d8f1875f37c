"""The duplicate threshold of feature requests, measured: cosine similarity of labelled request pairs.

``python -m benchmarks.request_dedupe`` embeds both sides of every pair in ``tests/data/request_pairs.jsonl``
with the configured (by default the bundled) model, picks the threshold with the best F1 on the ``tune``
half (the higher one on a tie: a wrong "vote for this instead" costs more than a missed one) and reports
precision and recall at it on the ``test`` half. The result is in docs/requests.md and docs/benchmarks.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.ports import Embedder

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "request_pairs.jsonl"


@dataclass(frozen=True)
class Pair:
    """Two requests and whether a person would call them the same wish."""

    first: str
    second: str
    same: bool
    split: str


@dataclass(frozen=True)
class Scored:
    """Precision, recall and F1 of "same" at one threshold."""

    threshold: float
    precision: float
    recall: float
    f1: float


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Pair(r["a"], r["b"], bool(r["same"]), r["split"]) for r in rows]


def similarities(embedder: Embedder, pairs: Sequence[Pair]) -> list[float]:
    """The cosine similarity of each pair (the embedder's vectors are unit length)."""
    first = embedder.embed([p.first for p in pairs])
    second = embedder.embed([p.second for p in pairs])
    return [float(x) for x in np.sum(first * second, axis=1)]


def score_at(threshold: float, scores: Sequence[float], labels: Sequence[bool]) -> Scored:
    """How well "similarity ≥ threshold" finds the same wishes."""
    said = [s >= threshold for s in scores]
    hits = sum(1 for s, y in zip(said, labels, strict=True) if s and y)
    precision = hits / sum(said) if any(said) else 1.0
    recall = hits / sum(labels) if any(labels) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scored(threshold, precision, recall, f1)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> Scored:
    """The threshold (to two decimals) with the best F1; the higher one on a tie."""
    candidates = [round(t, 2) for t in np.arange(0.20, 0.96, 0.01)]
    return max((score_at(t, scores, labels) for t in candidates), key=lambda s: (round(s.f1, 6), s.threshold))


def measure(embedder: Embedder, pairs: Sequence[Pair]) -> tuple[Scored, Scored]:
    """The threshold chosen on the tune half, and how it scores on the test half."""
    scores = similarities(embedder, pairs)
    tune = [(s, p.same) for s, p in zip(scores, pairs, strict=True) if p.split == "tune"]
    test = [(s, p.same) for s, p in zip(scores, pairs, strict=True) if p.split == "test"]
    chosen = best_threshold([s for s, _ in tune], [y for _, y in tune])
    return chosen, score_at(chosen.threshold, [s for s, _ in test], [y for _, y in test])


def main() -> None:
    """Measure with the configured model and print the result."""
    from bots.bootstrap import build_embedder
    from config.settings import load_settings

    pairs = load_pairs()
    chosen, held_out = measure(build_embedder(load_settings()), pairs)
    same = sum(p.same for p in pairs)
    print(f"{len(pairs)} pairs ({same} same, {len(pairs) - same} different), half to tune, half to test")
    print(f"threshold {chosen.threshold:.2f}: tune precision {chosen.precision:.3f} recall {chosen.recall:.3f} "
          f"F1 {chosen.f1:.3f}")  # fmt: skip
    print(f"held out: precision {held_out.precision:.3f} recall {held_out.recall:.3f} F1 {held_out.f1:.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
