"""The keyed index: every kind adds, removes, updates and searches by the caller's keys."""

from __future__ import annotations

import numpy as np
import pytest

from kb_index.faiss_index import IndexOptions
from kb_index.keyed_index import COMPACT_SHARE, KINDS, KeyedIndex


def unit_vectors(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


def filled(kind: str, n: int = 400) -> tuple[KeyedIndex, np.ndarray, np.ndarray]:
    keys = np.arange(n, dtype=np.int64) * 10 + 7  # not positions: the keys are the caller's
    data = unit_vectors(n)
    index = KeyedIndex(16, kind, IndexOptions(ef_search=256, ivf_nprobe=64))  # every list read: exact but for codes
    index.add(keys, data)
    return index, keys, data


@pytest.mark.parametrize("kind", KINDS)
def test_a_stored_vector_finds_its_own_key_first(kind: str) -> None:
    index, keys, data = filled(kind)
    scores, found = index.search(data[:20], 3)
    assert found[:, 0].tolist() == keys[:20].tolist()
    assert scores[:, 0] == pytest.approx(np.ones(20), abs=0.02)
    assert len(index) == 400


@pytest.mark.parametrize("kind", KINDS)
def test_a_removed_key_is_never_found_again(kind: str) -> None:
    index, keys, data = filled(kind)
    assert index.remove([int(keys[0]), int(keys[1]), 999_999]) == 2
    _, found = index.search(data[:2], 10)
    assert int(keys[0]) not in found and int(keys[1]) not in found
    assert int(keys[0]) not in index and len(index) == 398
    assert index.remove([int(keys[0])]) == 0  # removing twice changes nothing


@pytest.mark.parametrize("kind", KINDS)
def test_an_updated_key_is_found_by_its_new_vector_only(kind: str) -> None:
    index, keys, data = filled(kind)
    index.update([int(keys[5])], data[300:301])
    _, found = index.search(data[300:301], 2)
    assert set(found[0].tolist()) == {int(keys[5]), int(keys[300])}
    _, by_old = index.search(data[5:6], 1)
    assert by_old[0, 0] != keys[5]
    assert len(index) == 400


@pytest.mark.parametrize("kind", KINDS)
def test_adding_a_key_twice_is_refused_and_changes_nothing(kind: str) -> None:
    index, keys, data = filled(kind)
    with pytest.raises(ValueError, match="already in the index: use update"):
        index.add([int(keys[3])], data[:1])
    with pytest.raises(ValueError, match="twice"):
        index.add([1, 1], data[:2])
    assert len(index) == 400
    assert index.search(data[3:4], 1)[1][0, 0] == keys[3]


@pytest.mark.parametrize("kind", KINDS)
def test_asking_for_more_than_is_left_pads_with_minus_one(kind: str) -> None:
    index, keys, data = filled(kind, n=50)
    index.remove(keys[:45])
    scores, found = index.search(data[:1], 10)
    assert sorted(k for k in found[0].tolist() if k >= 0) == sorted(keys[45:].tolist())
    assert (found[0, 5:] == -1).all() and np.isneginf(scores[0, 5:]).all()


def test_the_hnsw_graph_is_rebuilt_once_tombstones_pile_up() -> None:
    index, keys, data = filled("hnsw")
    index.remove(keys[: int(400 * COMPACT_SHARE) + 1])
    survivor = int(keys[-1])
    assert index.search(data[-1:], 1)[1][0, 0] == survivor
    assert index.vector(survivor) == pytest.approx(data[-1], abs=1e-6)
    index.add(keys[:1], data[:1])  # a removed key can come back
    assert index.search(data[:1], 1)[1][0, 0] == keys[0]


def test_build_chooses_the_kind_by_size() -> None:
    options = IndexOptions(approximate_above=100, ivf_above=300)
    data = unit_vectors(400)
    assert KeyedIndex.build(np.arange(50), data[:50], options).kind == "flat"
    assert KeyedIndex.build(np.arange(200), data[:200], options).kind == "hnsw"
    assert KeyedIndex.build(np.arange(400), data, options).kind == "ivf-sq8"


def test_bad_input_is_refused_with_a_clear_message() -> None:
    index = KeyedIndex(16, "flat")
    with pytest.raises(ValueError, match="zero or positive"):
        index.add([-1], unit_vectors(1))
    with pytest.raises(ValueError, match="2 keys for 1 vectors"):
        index.add([1, 2], unit_vectors(1))
    with pytest.raises(ValueError, match="unknown keyed index kind"):
        KeyedIndex(16, "lsh")
    assert len(index) == 0
