"""The core's ``Clusterer`` with scikit-learn, imported only when a report clusters.

Two methods (``knowledge.gaps.method``): average-linkage agglomerative clustering cut at a cosine distance
(the default: it recovered the known topics of the synthetic set far better, docs/benchmarks.md), and HDBSCAN.
Serving processes never import scikit-learn for answering: only ``helpline kb gaps``, the digest and the
dashboard's gap page cluster, and the import happens on their first call. The vectors are unit length, so
Euclidean distance orders pairs exactly as cosine similarity does.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from core.knowledge.gap_ports import Clusterer
    from core.ports import Vectors


def clusterer_for(method: str, distance: float) -> Clusterer:
    """The clusterer a setting names: ``agglomerative`` (cut at cosine ``distance``) or ``hdbscan``."""
    if method == "hdbscan":
        return HdbscanClusterer()
    if method == "agglomerative":
        return AgglomerativeClusterer(distance)
    raise ValueError(f"unknown clustering method {method!r}: use agglomerative or hdbscan")


class AgglomerativeClusterer:
    """Average-linkage clusters cut where the mean cosine distance between two groups passes ``distance``.

    Groups smaller than the minimum size are noise (-1), as HDBSCAN labels them.
    """

    def __init__(self, distance: float = 0.75) -> None:
        self.distance = distance

    def cluster(self, vectors: Vectors, min_size: int) -> list[int]:
        """One label per row, -1 for noise; fewer rows than ``min_size`` are all noise."""
        if len(vectors) < max(min_size, 2):
            return [-1] * len(vectors)
        from sklearn.cluster import AgglomerativeClustering  # lazily: a serving process never pays for it

        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=self.distance
        )
        found = [int(label) for label in model.fit_predict(np.asarray(vectors, dtype=np.float64))]
        sizes = Counter(found)
        kept = sorted({label for label in found if sizes[label] >= min_size}, key=found.index)
        renumber = {label: n for n, label in enumerate(kept)}  # numbered in order of first appearance
        return [renumber.get(label, -1) for label in found]


class HdbscanClusterer:
    """Density-based clusters (HDBSCAN): no cluster count to choose, and scattered questions left as noise."""

    def __init__(self, min_samples: int | None = None, selection: str = "eom") -> None:
        self.min_samples = min_samples
        self.selection = selection

    def cluster(self, vectors: Vectors, min_size: int) -> list[int]:
        """One label per row, -1 for noise; fewer rows than ``min_size`` are all noise."""
        if len(vectors) < max(min_size, 2):
            return [-1] * len(vectors)
        from sklearn.cluster import HDBSCAN  # lazily: a serving process never pays for scikit-learn

        model = HDBSCAN(
            min_cluster_size=max(min_size, 2),
            min_samples=self.min_samples,
            metric="euclidean",
            cluster_selection_method=self.selection,
            copy=True,
        )
        labels = model.fit_predict(np.asarray(vectors, dtype=np.float64))
        return [int(label) for label in labels]
