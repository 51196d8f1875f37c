"""Vector indexes over unit vectors, searched by inner product (cosine similarity).

``ExactIndex`` is plain NumPy: the reference every other index is checked against, and
the index tests use. ``kb_index.faiss_index`` holds the FAISS implementations.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.ports import Vectors

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]


def as_matrix(vectors: npt.ArrayLike, dimension: int) -> Vectors:
    """Return ``vectors`` as a C-contiguous float32 matrix with ``dimension`` columns."""
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dimension:
        raise ValueError(f"expected vectors of dimension {dimension}, got shape {matrix.shape}")
    return matrix


class VectorIndex(ABC):
    """Stores vectors under consecutive ids 0..n-1 and finds the nearest by inner product."""

    kind: str

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension

    @abstractmethod
    def add(self, vectors: Vectors) -> None:
        """Append vectors; they get the next consecutive ids."""

    @abstractmethod
    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        """Return ``(scores, ids)`` of shape ``(len(queries), k)``, best first; missing ids are -1."""

    @abstractmethod
    def vectors(self) -> Vectors:
        """All stored vectors in id order, so a rebuild can reuse them without re-embedding."""

    @abstractmethod
    def reconstruct(self, ids: Sequence[int]) -> Vectors:
        """The stored vectors with the given ids."""

    @abstractmethod
    def save(self, path: Path) -> None:
        """Write the index to ``path`` (atomically: a reader never sees half a file)."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of stored vectors."""


class ExactIndex(VectorIndex):
    """Brute-force search in NumPy: exact, simple, and the reference for the others."""

    kind = "numpy"

    def __init__(self, dimension: int) -> None:
        super().__init__(dimension)
        self._matrix: Vectors = np.zeros((0, dimension), dtype=np.float32)

    def add(self, vectors: Vectors) -> None:
        """Append vectors to the matrix."""
        self._matrix = np.vstack([self._matrix, as_matrix(vectors, self.dimension)])

    def search(self, queries: Vectors, k: int) -> tuple[Scores, Ids]:
        """Score every stored vector and keep the ``k`` best for each query."""
        queries = as_matrix(queries, self.dimension)
        n = len(self._matrix)
        scores_out = np.full((len(queries), k), -np.inf, dtype=np.float32)
        ids_out = np.full((len(queries), k), -1, dtype=np.int64)
        if n == 0 or k <= 0:
            return scores_out, ids_out
        take = min(k, n)
        scores = queries @ self._matrix.T
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        ids_out[:, :take] = np.take_along_axis(top, order, axis=1)
        scores_out[:, :take] = np.take_along_axis(top_scores, order, axis=1)
        return scores_out, ids_out

    def vectors(self) -> Vectors:
        """A copy of the stored matrix."""
        return self._matrix.copy()

    def reconstruct(self, ids: Sequence[int]) -> Vectors:
        """Rows of the matrix."""
        return self._matrix[list(ids)]

    def save(self, path: Path) -> None:
        """Save as a ``.npy`` file (never pickled)."""
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.save(fh, self._matrix, allow_pickle=False)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> ExactIndex:
        """Read a matrix written by ``save``; refuses pickled content."""
        matrix = np.load(path, allow_pickle=False)
        index = cls(int(matrix.shape[1]))
        index.add(matrix)
        return index

    def __len__(self) -> int:
        """Number of rows in the matrix."""
        return len(self._matrix)
