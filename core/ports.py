"""The small interfaces through which the core talks to the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Chunk:
    """A piece of a knowledge-base article, small enough to embed and cite."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    source: str
    url: str | None = None

    def embedding_text(self) -> str:
        """The text the embedder sees: title and section give the passage its context."""
        heading = self.title if not self.section or self.section == self.title else f"{self.title} — {self.section}"
        return f"{heading}\n{self.text}" if heading else self.text


@dataclass(frozen=True)
class SearchHit:
    """One knowledge-base result with its cosine similarity to the query."""

    chunk: Chunk
    score: float


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, so inner product is cosine similarity."""

    @property
    def name(self) -> str:
        """A stable identity of the model; vectors from different names never mix."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""
        ...

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """Return an ``(len(texts), dimension)`` float32 array of unit vectors."""
        ...


class KnowledgeIndex(Protocol):
    """Finds the knowledge-base chunks nearest to a query vector."""

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """Return up to ``k`` hits, best first; ``query_text`` lets the index match exact terms too."""
        ...

    def __len__(self) -> int:
        """Number of chunks that can be found."""
        ...
