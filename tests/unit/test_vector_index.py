from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb_index.faiss_index import FaissIndex, IndexOptions, build_index, choose_kind, load_index
from kb_index.vector_index import ExactIndex


def unit_vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


def test_exact_index_returns_best_first_with_scores() -> None:
    index = ExactIndex(3)
    index.add(np.array([[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]], dtype=np.float32))
    scores, ids = index.search(np.array([[1, 0, 0]], dtype=np.float32), 2)
    assert ids.tolist() == [[0, 2]]
    assert scores[0].tolist() == pytest.approx([1.0, 0.6])


def test_asking_for_more_results_than_stored_pads_with_minus_one() -> None:
    index = ExactIndex(4)
    index.add(unit_vectors(2, 4))
    scores, ids = index.search(unit_vectors(1, 4, seed=9), 5)
    assert ids[0, 2:].tolist() == [-1, -1, -1]
    assert np.isneginf(scores[0, 2:]).all()


def test_empty_index_finds_nothing() -> None:
    for index in (ExactIndex(8), FaissIndex.create(8, "flat", IndexOptions())):
        _, ids = index.search(unit_vectors(1, 8), 3)
        assert (ids == -1).all()


def test_wrong_dimension_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="dimension 8"):
        ExactIndex(8).add(unit_vectors(2, 4))


def test_faiss_flat_matches_the_numpy_reference() -> None:
    data, queries = unit_vectors(2000), unit_vectors(50, seed=1)
    exact, flat = ExactIndex(32), FaissIndex.create(32, "flat", IndexOptions())
    exact.add(data)
    flat.add(data)
    e_scores, e_ids = exact.search(queries, 10)
    f_scores, f_ids = flat.search(queries, 10)
    assert (e_ids == f_ids).mean() > 0.99  # ties aside, the same neighbours in the same order
    np.testing.assert_allclose(e_scores, f_scores, atol=1e-5)


@pytest.mark.parametrize("kind", ["numpy", "flat", "hnsw", "ivf-sq8"])
def test_saved_index_loads_with_the_same_results_and_vectors(tmp_path: Path, kind: str) -> None:
    data, queries = unit_vectors(500), unit_vectors(5, seed=3)
    index = build_index(data, 32, IndexOptions(kind=kind))
    path = tmp_path / ("index.npy" if kind == "numpy" else "index.faiss")
    index.save(path)
    loaded = load_index(path, IndexOptions())
    assert loaded.kind == kind
    assert len(loaded) == 500
    # 8-bit codes read back within a quantisation step; the others exactly.
    np.testing.assert_allclose(loaded.vectors(), data, atol=0.02 if kind == "ivf-sq8" else 1e-6)
    assert (loaded.search(queries, 5)[1] == index.search(queries, 5)[1]).all()


def test_numpy_index_file_is_never_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "evil.npy"
    np.save(path, np.array([{"not": "vectors"}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="pickle"):
        load_index(path, IndexOptions())


def test_auto_kind_is_exact_while_small_and_approximate_when_large() -> None:
    options = IndexOptions(approximate_above=1000)
    assert choose_kind(1000, options) == "flat"
    assert choose_kind(1001, options) == "hnsw"
    assert choose_kind(250_000, IndexOptions()) == "hnsw"
    assert choose_kind(250_001, IndexOptions()) == "ivf-sq8"
    assert choose_kind(10, IndexOptions(kind="hnsw")) == "hnsw"


def test_ivf_index_finds_the_exact_neighbours_of_a_small_set() -> None:
    data, queries = unit_vectors(2000), unit_vectors(20, seed=5)
    ivf = build_index(data, 32, IndexOptions(kind="ivf-sq8", ivf_nprobe=64))
    _, exact_ids = build_index(data, 32, IndexOptions(kind="numpy")).search(queries, 10)
    _, ivf_ids = ivf.search(queries, 10)
    assert ivf.kind == "ivf-sq8"
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact_ids.tolist(), ivf_ids.tolist(), strict=True)])
    assert recall >= 0.9  # 51 lists, all probed: only the 8-bit codes differ from exact search


def test_ivf_index_without_vectors_to_train_on_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="trained on vectors"):
        FaissIndex.create(32, "ivf-sq8", IndexOptions())
