"""FAISS indexes: exact inner-product search while small, HNSW when large, an 8-bit inverted file when huge."""

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

    # "auto" is exact up to approximate_above vectors, HNSW up to ivf_above, and ivf-sq8 beyond.
    kind: str = "auto"
    approximate_above: int = 20_000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 512
    # The inverted file over 8-bit codes (docs/benchmarks.md, "A million passages", chose these).
    ivf_above: int = 250_000
    ivf_nprobe: int = 8


def ivf_lists(count: int) -> int:
    """Inverted lists for ``count`` training vectors: about 4·√n, a power of two, with ≥ 39 vectors per list."""
    wanted = 1 << max(0, round(float(np.log2(max(1.0, 4 * float(np.sqrt(count)))))))
    return max(1, min(wanted, count // 39))


def ivf_index(dimension: int, lists: int) -> faiss.IndexIVFScalarQuantizer:
    """An untrained inverted file of 8-bit scalar-quantised vectors, scored by inner product."""
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    return index  # FAISS's Python layer keeps the quantizer alive with the index


class FaissIndex(VectorIndex):
    """A FAISS index (``IndexFlatIP``, ``IndexHNSWFlat`` or ``IndexIVFScalarQuantizer``) behind the common interface."""

    def __init__(self, index: faiss.Index, kind: str, ef_search: int = IndexOptions.ef_search, nprobe: int = 1) -> None:
        super().__init__(index.d)
        self._index = index
        self.kind = kind
        self._ef_search = ef_search
        self._nprobe = nprobe

    @classmethod
    def create(cls, dimension: int, kind: str, options: IndexOptions, training: Vectors | None = None) -> FaissIndex:
        """An empty ``flat``, ``hnsw`` or ``ivf-sq8`` index; the inverted file is trained on ``training``."""
        if kind == "ivf-sq8":
            if training is None or not len(training):
                raise ValueError("an ivf-sq8 index is trained on vectors: give some")
            matrix = as_matrix(training, dimension)
            ivf = ivf_index(dimension, ivf_lists(len(matrix)))
            ivf.train(matrix)
            ivf.make_direct_map()  # so stored vectors can be read back for a rebuild
            return cls(ivf, "ivf-sq8", nprobe=min(options.ivf_nprobe, int(ivf.nlist)))
        if kind == "flat":
            return cls(faiss.IndexFlatIP(dimension), "flat")
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, options.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = options.ef_construction
            return cls(index, "hnsw", options.ef_search)
        raise ValueError(f"unknown FAISS index kind {kind!r} (expected flat, hnsw or ivf-sq8)")

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
        # Present at run time; the bundled type stubs miss them.
        if self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(self._ef_search, k))  # type: ignore[attr-defined]
        elif self.kind == "ivf-sq8":
            params = faiss.SearchParametersIVF(nprobe=self._nprobe)  # type: ignore[call-arg]
        scores, ids = self._index.search(queries, k, params=params)
        scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
        return scores, ids.astype(np.int64)

    def vectors(self) -> Vectors:
        """Every stored vector, read back from FAISS storage."""
        if len(self) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._index.reconstruct_n(0, len(self)), dtype=np.float32)

    def reconstruct(self, ids: Sequence[int]) -> Vectors:
        """Stored vectors read back one by one (decoded from their 8-bit codes for ``ivf-sq8``)."""
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
        """Read an index written by ``save``; only flat, HNSW and 8-bit IVF indexes are accepted."""
        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexIVFScalarQuantizer):
            index.make_direct_map()
            return cls(index, "ivf-sq8", nprobe=min(options.ivf_nprobe, int(index.nlist)))
        if isinstance(index, faiss.IndexHNSWFlat):
            return cls(index, "hnsw", options.ef_search)
        if isinstance(index, faiss.IndexFlatIP):
            return cls(index, "flat")
        raise ValueError(f"{path}: unexpected FAISS index type {type(index).__name__}")

    def __len__(self) -> int:
        """Number of vectors in the FAISS index."""
        return int(self._index.ntotal)


def choose_kind(count: int, options: IndexOptions) -> str:
    """The index kind for ``count`` vectors: exact while small, HNSW when large, 8-bit IVF when huge."""
    if options.kind != "auto":
        return options.kind
    if count > options.ivf_above:
        return "ivf-sq8"
    return "hnsw" if count > options.approximate_above else "flat"


def build_index(vectors: Vectors, dimension: int, options: IndexOptions) -> VectorIndex:
    """Create the right index for ``vectors`` and fill it."""
    kind = choose_kind(len(vectors), options)
    index: VectorIndex = (
        ExactIndex(dimension) if kind == "numpy" else FaissIndex.create(dimension, kind, options, training=vectors)
    )
    if len(vectors):
        index.add(vectors)
    return index


def load_index(path: Path, options: IndexOptions) -> VectorIndex:
    """Load an index file written by ``VectorIndex.save`` (``.npy`` or FAISS)."""
    if path.suffix == ".npy":
        return ExactIndex.load(path)
    return FaissIndex.load(path, options)
