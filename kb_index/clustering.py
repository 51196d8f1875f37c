"""The core's ``Clusterer`` with scikit-learn's HDBSCAN, imported only when a report clusters.

Serving processes never import scikit-learn: only ``helpline kb gaps``, the digest and the dashboard's gap
page cluster, and the import happens on their first call. The vectors are unit length, so Euclidean
distance orders pairs exactly as cosine similarity does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from core.ports import Vectors


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
