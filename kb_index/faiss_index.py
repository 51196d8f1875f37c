"""FAISS indexes: exact inner-product search while small, HNSW when large."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from core.ports import Vectors
from kb_index.vector_index import ExactIndex, Ids, Scores, VectorIndex, as_matrix


@dataclass(frozen=True)
class IndexOptions:
    """How to choose and tune the index; all of it is configurable in settings."""

    # "auto" is exact up to approximate_above vectors and HNSW beyond.
    kind: str = "auto"
    approximate_above: int = 20_000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 512


class FaissIndex(VectorIndex):
    """A FAISS index (``IndexFlatIP`` or ``IndexHNSWFlat``) behind the common interface."""

    def __init__(self, index: faiss.Index, kind: str, ef_search: int = IndexOptions.ef_search) -> None:
        super().__init__(index.d)
        self._index = index
        self.kind = kind
        self._ef_search = ef_search

    @classmethod
    def create(cls, dimension: int, kind: str, options: IndexOptions) -> FaissIndex:
        """An empty ``flat`` or ``hnsw`` index."""
        if kind == "flat":
            return cls(faiss.IndexFlatIP(dimension), "flat")
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, options.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = options.ef_construction
            return cls(index, "hnsw", options.ef_search)
        raise ValueError(f"unknown FAISS index kind {kind!r} (expected flat or hnsw)")

    def add(self, vectors: Vectors) -> None:
        """Append vectors (HNSW links them into its graph as they come)."""
        self._index.add(as_matrix(vectors, self.dimension))

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        """Search; HNSW explores at least ``k`` candidates so it can return ``k`` results."""
        queries = as_matrix(queries, self.dimension)
        if k <= 0 or len(self) == 0:
            return (
                np.full((len(queries), max(k, 0)), -np.inf, dtype=np.float32),
                np.full((len(queries), max(k, 0)), -1, dtype=np.int64),
            )
        params = None
        if self.kind == "hnsw":
            # Present at run time; the bundled type stubs miss it.
            params = faiss.SearchParametersHNSW(efSearch=max(self._ef_search, k))  # type: ignore[attr-defined]
        scores, ids = self._index.search(queries, k, params=params)
        scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
        return scores, ids.astype(np.int64)

    def vectors(self) -> Vectors:
        """Every stored vector, read back from FAISS storage."""
        if len(self) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._index.reconstruct_n(0, len(self)), dtype=np.float32)

    def reconstruct(self, ids: Sequence[int]) -> Vectors:
        """Stored vectors read back one by one (flat and HNSW storage both allow it)."""
        if not ids:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._index.reconstruct(int(i)) for i in ids]).astype(np.float32)

    def save(self, path: Path) -> None:
        """Write with ``faiss.write_index`` to a temporary name, then rename into place."""
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, options: IndexOptions) -> FaissIndex:
        """Read an index written by ``save``; only flat and HNSW indexes are accepted."""
        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexHNSWFlat):
            return cls(index, "hnsw", options.ef_search)
        if isinstance(index, faiss.IndexFlatIP):
            return cls(index, "flat")
        raise ValueError(f"{path}: unexpected FAISS index type {type(index).__name__}")

    def __len__(self) -> int:
        """Number of vectors in the FAISS index."""
        return int(self._index.ntotal)


def choose_kind(count: int, options: IndexOptions) -> str:
    """The index kind for ``count`` vectors: exact while small, approximate when large."""
    if options.kind != "auto":
        return options.kind
    return "hnsw" if count > options.approximate_above else "flat"


def build_index(vectors: Vectors, dimension: int, options: IndexOptions) -> VectorIndex:
    """Create the right index for ``vectors`` and fill it."""
    kind = choose_kind(len(vectors), options)
    index: VectorIndex = ExactIndex(dimension) if kind == "numpy" else FaissIndex.create(dimension, kind, options)
    if len(vectors):
        index.add(vectors)
    return index


def load_index(path: Path, options: IndexOptions) -> VectorIndex:
    """Load an index file written by ``VectorIndex.save`` (``.npy`` or FAISS)."""
    if path.suffix == ".npy":
        return ExactIndex.load(path)
    return FaissIndex.load(path, options)
