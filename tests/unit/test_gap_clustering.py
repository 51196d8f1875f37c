"""The clusterers behind the core's ``Clusterer`` port, on vectors with known groups."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import numpy as np
import pytest

from kb_index.clustering import AgglomerativeClusterer, HdbscanClusterer, clusterer_for

if TYPE_CHECKING:
    from core.knowledge.gap_ports import Clusterer


def groups() -> np.ndarray:
    """Two tight groups of five unit vectors each, and three stray ones."""
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 32))
    rows = [a + 0.05 * rng.normal(size=32) for _ in range(5)] + [b + 0.05 * rng.normal(size=32) for _ in range(5)]
    rows += list(rng.normal(size=(3, 32)))
    vectors = np.array(rows)
    return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)


@pytest.mark.parametrize(
    "clusterer", [AgglomerativeClusterer(0.5), HdbscanClusterer()], ids=["agglomerative", "hdbscan"]
)
def test_tight_groups_become_two_clusters(clusterer: Clusterer) -> None:
    labels = clusterer.cluster(groups(), 3)
    assert len(set(labels[:5])) == 1 and len(set(labels[5:10])) == 1 and labels[0] != labels[5]
    assert labels[0] >= 0 and labels[5] >= 0


def test_agglomerative_leaves_stray_vectors_as_noise() -> None:
    # HDBSCAN may pull a stray into a cluster this small; the benchmark measures both on real questions.
    assert AgglomerativeClusterer(0.5).cluster(groups(), 3)[10:] == [-1, -1, -1]


def test_fewer_rows_than_a_cluster_needs_are_all_noise() -> None:
    assert AgglomerativeClusterer().cluster(groups()[:2], 3) == [-1, -1]
    assert HdbscanClusterer().cluster(groups()[:1], 3) == [-1]


def test_an_unknown_method_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="'kmeans'"):
        clusterer_for("kmeans", 0.7)


def test_the_serving_modules_do_not_import_scikit_learn() -> None:
    code = "import sys, bots.bootstrap, bots.cli, bots.web.app, kb_index.clustering; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
