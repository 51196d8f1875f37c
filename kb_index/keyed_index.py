"""Passages under their own keys, for large and changing knowledge bases: add, update, remove, search.

The FAISS kind is chosen by size (``kb_index.faiss_index.choose_kind``): exact (``flat``) while small, an
HNSW graph in the middle, and from ``IndexOptions.ivf_above`` on an inverted file over 8-bit scalar-quantised
vectors (``ivf-sq8``), where a quarter of the memory matters: a million 384-dimension vectors take 1.5 GB as
float32 and 0.38 GB as 8-bit codes.

Removal differs by kind. A flat index and an inverted file remove their own ids: the inverted file keeps a
hash-table direct map and takes the keys as its ids, because ``IndexIDMap2`` wrapped around an IVF aborts on
``remove_ids``. An HNSW graph cannot remove a node, so this class keeps its own map from graph slot to key:
a removed key's slot becomes a tombstone that a search selector skips, and the graph is built again from the
live vectors once tombstones pass ``COMPACT_SHARE`` of its slots. An update is a removal and an add.
"""

from __future__ import annotations

from collections.abc import Sequence

import faiss
import numpy as np

from core.ports import Vectors
from kb_index.faiss_index import IndexOptions, choose_kind, ivf_index, ivf_lists
from kb_index.vector_index import Ids, Scores, as_matrix

# The HNSW graph is rebuilt once this share of its slots are tombstones.
COMPACT_SHARE = 0.25

KINDS = ("flat", "hnsw", "ivf-sq8")


def as_keys(keys: Sequence[int] | Ids) -> Ids:
    """Keys as an int64 vector; negative keys are refused (FAISS uses -1 for "no result")."""
    array = np.ascontiguousarray(keys, dtype=np.int64).reshape(-1)
    if len(array) and int(array.min()) < 0:
        raise ValueError("passage keys must be zero or positive")
    return array


class KeyedIndex:
    """Vectors stored under caller-chosen int64 keys, searched by inner product, updated in place."""

    def __init__(self, dimension: int, kind: str, options: IndexOptions | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown keyed index kind {kind!r} (expected one of {', '.join(KINDS)})")
        self.dimension, self.kind = dimension, kind
        self._options = options or IndexOptions()
        self._index: faiss.Index | None = None
        self._keys = np.zeros(0, dtype=np.int64)  # HNSW: slot -> key
        self._slots: dict[int, int] = {}  # HNSW: key -> live slot
        self._dead: set[int] = set()  # HNSW: tombstoned slots
        self._selector: tuple[faiss.IDSelector, faiss.IDSelector] | None = None
        self._live: set[int] = set()  # flat and IVF: the keys present
        self._lists = 0  # IVF: how many inverted lists it was trained with
        if kind == "flat":
            self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        elif kind == "hnsw":
            self._index = self._new_graph()

    @classmethod
    def build(cls, keys: Sequence[int] | Ids, vectors: Vectors, options: IndexOptions | None = None) -> KeyedIndex:
        """The index kind ``options`` chooses for this many vectors, filled with them."""
        options = options or IndexOptions()
        kind = choose_kind(len(vectors), options)
        index = cls(int(np.shape(vectors)[1]), "flat" if kind == "numpy" else kind, options)
        index.add(keys, vectors)
        return index

    def _new_graph(self) -> faiss.Index:
        graph = faiss.IndexHNSWFlat(self.dimension, self._options.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = self._options.ef_construction
        return graph

    def add(self, keys: Sequence[int] | Ids, vectors: Vectors) -> None:
        """Store new keys; a key already present is refused (``update`` replaces one)."""
        key_array, matrix = as_keys(keys), as_matrix(vectors, self.dimension)
        if len(key_array) != len(matrix):
            raise ValueError(f"{len(key_array)} keys for {len(matrix)} vectors")
        if len(set(key_array.tolist())) != len(key_array):
            raise ValueError("the same key is given twice")
        present = [int(k) for k in key_array if int(k) in self]
        if present:
            raise ValueError(f"key {present[0]} is already in the index: use update to replace it")
        if not len(matrix):
            return
        if self.kind == "hnsw":
            self._add_to_graph(key_array, matrix)
            return
        if self._index is None:  # an inverted file is trained on its first batch
            ivf = ivf_index(self.dimension, ivf_lists(len(matrix)))
            ivf.train(matrix)
            ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
            self._index, self._lists = ivf, int(ivf.nlist)
        self._index.add_with_ids(matrix, key_array)
        self._live.update(key_array.tolist())

    def _add_to_graph(self, keys: Ids, matrix: Vectors) -> None:
        assert self._index is not None
        first = int(self._index.ntotal)
        self._index.add(matrix)
        self._keys = np.concatenate([self._keys, keys])
        self._slots.update({int(key): first + i for i, key in enumerate(keys)})

    def update(self, keys: Sequence[int] | Ids, vectors: Vectors) -> None:
        """Replace the vectors of these keys, adding the keys that are not there yet."""
        key_array = as_keys(keys)
        self.remove(key_array)
        self.add(key_array, vectors)

    def remove(self, keys: Sequence[int] | Ids) -> int:
        """Take these keys out; keys that are not there are ignored. Returns how many were removed."""
        gone = [int(k) for k in dict.fromkeys(as_keys(keys).tolist()) if int(k) in self]
        if not gone:
            return 0
        if self.kind == "hnsw":
            self._dead.update(self._slots.pop(key) for key in gone)
            self._selector = None
            assert self._index is not None
            if len(self._dead) > COMPACT_SHARE * int(self._index.ntotal):
                self._compact()
        else:
            assert self._index is not None
            self._index.remove_ids(np.asarray(gone, dtype=np.int64))  # type: ignore[arg-type]
            self._live.difference_update(gone)
        return len(gone)

    def _compact(self) -> None:
        """Build the graph again from the live slots only."""
        assert self._index is not None
        slots = np.asarray(sorted(self._slots.values()), dtype=np.int64)
        vectors = np.asarray(self._index.reconstruct_n(0, int(self._index.ntotal)), dtype=np.float32)[slots]
        keys = self._keys[slots]
        self._index, self._keys, self._slots, self._dead = self._new_graph(), np.zeros(0, np.int64), {}, set()
        self._selector = None
        if len(keys):
            self._add_to_graph(keys, vectors)

    @property
    def search_options(self) -> IndexOptions:
        """The options searches read (``ef_search``, ``ivf_nprobe``); they can change between searches."""
        return self._options

    @search_options.setter
    def search_options(self, options: IndexOptions) -> None:
        self._options = options

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        """The ``k`` best keys per query with their scores, best first; missing places are -1 with -inf."""
        queries = as_matrix(queries, self.dimension)
        scores_out = np.full((len(queries), max(k, 0)), -np.inf, dtype=np.float32)
        keys_out = np.full((len(queries), max(k, 0)), -1, dtype=np.int64)
        if k <= 0 or len(self) == 0 or self._index is None:
            return scores_out, keys_out
        scores, found = self._index.search(queries, k, params=self._params(k))
        if self.kind == "hnsw":
            found = np.where(found < 0, -1, self._keys[np.maximum(found, 0)])
        scores_out[:], keys_out[:] = np.where(found < 0, -np.inf, scores), found
        return scores_out, keys_out

    def _params(self, k: int) -> faiss.SearchParameters | None:
        o = self._options
        if self.kind == "ivf-sq8":
            # Present at run time; the bundled type stubs miss them.
            return faiss.SearchParametersIVF(nprobe=min(o.ivf_nprobe, self._lists))  # type: ignore[call-arg]
        if self.kind != "hnsw":
            return None
        if self._dead and self._selector is None:
            batch = faiss.IDSelectorBatch(np.asarray(sorted(self._dead), dtype=np.int64))
            self._selector = (batch, faiss.IDSelectorNot(batch))  # the batch must outlive its negation
        if self._selector is None:
            return faiss.SearchParametersHNSW(efSearch=max(o.ef_search, k))  # type: ignore[attr-defined, no-any-return]
        return faiss.SearchParametersHNSW(  # type: ignore[attr-defined, no-any-return]
            efSearch=max(o.ef_search, k), sel=self._selector[1]
        )

    def vector(self, key: int) -> Vectors:
        """The stored vector of one key (decoded from its 8-bit code for ``ivf-sq8``)."""
        if key not in self:
            raise KeyError(key)
        assert self._index is not None
        slot = self._slots[key] if self.kind == "hnsw" else key
        return np.asarray(self._index.reconstruct(int(slot)), dtype=np.float32)

    def __contains__(self, key: object) -> bool:
        """Whether the key is present (not removed)."""
        return (key in self._slots) if self.kind == "hnsw" else (key in self._live)

    def __len__(self) -> int:
        """Number of live keys."""
        return len(self._slots) if self.kind == "hnsw" else len(self._live)
