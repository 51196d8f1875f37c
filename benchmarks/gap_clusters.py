"""How well knowledge-gap clustering recovers known topics: adjusted Rand index and purity.

Run from the repository root::

    /work/venv/bin/python -m benchmarks.gap_clusters [--sweep] [--scale 5000]

The data is ``tests/data/gap_questions.jsonl``: 96 questions on 8 topics the sample knowledge base does not
cover (12 phrasings each) and 20 scattered questions on nothing in particular (``topic`` null). The questions
are embedded with the bundled all-MiniLM-L6-v2 and clustered as ``helpline kb gaps`` clusters them (unit
vectors, the shipped ``AgglomerativeClusterer``; ``--sweep`` adds other distances and HDBSCAN). Scores:

- ARI: adjusted Rand index over every question, each scattered question and each question left as noise
  counting as a cluster of its own (so lumping noise together costs, and leaving it out does not);
- topic ARI: the same over the topic questions only;
- purity: of the questions put in a cluster, the share that belong to their cluster's main topic;
- topics found: topics that are the main topic of at least one cluster; noise kept out: scattered questions
  left as noise; clustered: topic questions put in some cluster.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.knowledge.gap_records import GapSettings

if TYPE_CHECKING:
    from core.knowledge.gap_ports import Clusterer
    from core.ports import Embedder

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "gap_questions.jsonl"


@dataclass(frozen=True)
class Scores:
    """How a clustering compares with the known topics."""

    ari: float
    topic_ari: float
    purity: float
    topics_found: int
    topics: int
    noise_kept_out: float
    clustered: float
    clusters: int


def load(path: Path = DATA) -> tuple[list[str], list[str | None]]:
    """The questions and their topics (None for a scattered one)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["text"] for row in rows], [row["topic"] for row in rows]


def _ari(truth: Sequence[object], found: Sequence[object]) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score([str(t) for t in truth], [str(f) for f in found]))


def score(topics: Sequence[str | None], labels: Sequence[int]) -> Scores:
    """Compare cluster ``labels`` (-1 noise) with the known ``topics``."""
    truth = [t if t is not None else f"scattered-{n}" for n, t in enumerate(topics)]
    found = [str(label) if label >= 0 else f"noise-{n}" for n, label in enumerate(labels)]
    on_topic = [n for n, t in enumerate(topics) if t is not None]
    members: dict[int, list[str]] = {}
    for topic, label in zip(topics, labels, strict=True):
        if label >= 0:
            members.setdefault(label, []).append(topic or "(scattered)")
    main = {label: Counter(ts).most_common(1)[0] for label, ts in members.items()}
    in_clusters = sum(len(ts) for ts in members.values())
    scattered = [n for n, t in enumerate(topics) if t is None]
    return Scores(
        ari=_ari(truth, found),
        topic_ari=_ari([truth[n] for n in on_topic], [found[n] for n in on_topic]),
        purity=sum(count for _, count in main.values()) / in_clusters if in_clusters else 0.0,
        topics_found=len({topic for topic, _ in main.values() if topic != "(scattered)"}),
        topics=len(set(t for t in topics if t is not None)),
        noise_kept_out=sum(1 for n in scattered if labels[n] < 0) / len(scattered) if scattered else 1.0,
        clustered=sum(1 for n in on_topic if labels[n] >= 0) / len(on_topic) if on_topic else 0.0,
        clusters=len(members),
    )


def cluster_labels(texts: Sequence[str], embedder: Embedder, clusterer: Clusterer, min_size: int) -> list[int]:
    """The labels ``find_gaps`` gives ``texts``: one per question, -1 for noise."""
    import numpy as np

    vectors = embedder.embed(list(texts))
    vectors = np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)
    return clusterer.cluster(vectors, min_size)


def configurations(sweep: bool) -> list[tuple[str, Clusterer, int]]:
    """The shipped clusterer, and with ``sweep`` the others compared in docs/benchmarks.md."""
    from kb_index.clustering import AgglomerativeClusterer, HdbscanClusterer

    shipped = GapSettings()
    found: list[tuple[str, Clusterer, int]] = [("agglomerative 0.75 (shipped)", AgglomerativeClusterer(), 3)]
    if sweep:
        found += [(f"agglomerative {d}", AgglomerativeClusterer(d), 3) for d in (0.6, 0.65, 0.7, 0.8, 0.85)]
        found += [(f"hdbscan min {m}", HdbscanClusterer(), m) for m in (2, 3, 4, 5)]
    assert shipped.min_cluster_size == 3
    return found


def timing(clusterer: Clusterer, rows: int, dimension: int = 384) -> float:
    """Seconds to cluster ``rows`` vectors around 50 centres (the cost of a report at scale, model aside)."""
    import numpy as np

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(50, dimension))
    spread = centres[rng.integers(0, 50, rows)] + rng.normal(scale=0.6, size=(rows, dimension))
    vectors = np.asarray(spread / np.linalg.norm(spread, axis=1, keepdims=True), dtype=np.float32)
    started = time.perf_counter()
    clusterer.cluster(vectors, 3)
    return time.perf_counter() - started


def main() -> None:
    """Print the scores with the bundled model (with ``--sweep`` for other settings too) and the time at scale."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also try other distances and HDBSCAN")
    parser.add_argument("--scale", type=int, default=0, help="also time clustering this many vectors")
    args = parser.parse_args()
    from bots.bootstrap import build_embedder
    from config.settings import Settings

    embedder = build_embedder(Settings())
    texts, topics = load()
    print(f"{len(texts)} questions, {len(set(t for t in topics if t))} topics, {topics.count(None)} scattered")
    print(f"{'clusterer':<30} {'ARI':>6} {'topicARI':>8} {'purity':>6} topics noise-out clustered clusters")
    for name, clusterer, size in configurations(args.sweep):
        s = score(topics, cluster_labels(texts, embedder, clusterer, size))
        print(
            f"{name:<30} {s.ari:6.3f} {s.topic_ari:8.3f} {s.purity:6.3f} {s.topics_found:>3}/{s.topics}"
            f" {s.noise_kept_out:9.2f} {s.clustered:9.2f} {s.clusters:8}"
        )
    if args.scale:
        for name, clusterer, _ in configurations(sweep=False):
            print(f"{name}: {args.scale} vectors clustered in {timing(clusterer, args.scale):.2f} s")


if __name__ == "__main__":
    main()
