from __future__ import annotations

import numpy as np

from kb_index.faiss_index import IndexOptions, build_index
from kb_index.vector_index import ExactIndex


def clustered_unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    """Vectors bunched around topics, like sentence embeddings of a documentation set."""
    centres = np.random.default_rng(42).standard_normal((200, dim)).astype(np.float32)
    rng = np.random.default_rng(seed)
    points = centres[rng.integers(0, 200, n)] + 0.5 * rng.standard_normal((n, dim)).astype(np.float32)
    return np.asarray(points / np.linalg.norm(points, axis=1, keepdims=True), dtype=np.float32)


def test_hnsw_above_the_size_limit_keeps_recall_against_exact_search() -> None:
    data = clustered_unit_vectors(30_000, 384, seed=0)
    queries = clustered_unit_vectors(200, 384, seed=1)
    approximate = build_index(data, 384, IndexOptions(approximate_above=20_000))
    assert approximate.kind == "hnsw"
    exact = ExactIndex(384)
    exact.add(data)
    _, truth = exact.search(queries, 10)
    _, found = approximate.search(queries, 10)
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)])
    assert recall >= 0.95, recall
