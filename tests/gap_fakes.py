"""The knowledge gaps' ports in memory: the kept questions, and a clusterer that needs no scikit-learn."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from core.ports import SearchHit
from tests.store_state import utc

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from core.knowledge.gap_records import GapQuestion
    from core.ports import Chunk, Embedder, Vectors
    from tests.store_state import MemoryState


class InMemoryGapQuestions:
    """The ``GapQuestions`` port in memory, over the shared ``MemoryState``."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    async def record(self, question: GapQuestion) -> None:
        """Keep ``question`` (its time in UTC, as the SQL column reads it back)."""
        self.state.gap_questions.append(replace(question, at=utc(question.at)))

    async def since(self, since: datetime, *, until: datetime | None = None, limit: int = 5000) -> list[GapQuestion]:
        """The questions kept from ``since`` to before ``until`` (open: now), oldest first; the newest ``limit``."""
        kept = (q for q in self.state.gap_questions if q.at >= since and (until is None or q.at < until))
        found = sorted(kept, key=lambda q: q.at)
        return found[-limit:] if limit > 0 else []


class ThresholdClusterer:
    """A deterministic clusterer: each row joins the first cluster whose seed is at least ``similarity`` near.

    Clusters smaller than ``min_size`` are noise (-1), as HDBSCAN labels them.
    """

    def __init__(self, similarity: float = 0.5) -> None:
        self.similarity = similarity
        self.calls = 0

    def cluster(self, vectors: Vectors, min_size: int) -> list[int]:
        """Greedy single-pass clustering by cosine similarity to each cluster's first member."""
        self.calls += 1
        seeds: list[int] = []
        labels: list[int] = []
        for row in range(len(vectors)):
            near = [n for n, seed in enumerate(seeds) if float(np.dot(vectors[row], vectors[seed])) >= self.similarity]
            if near:
                labels.append(near[0])
            else:
                seeds.append(row)
                labels.append(len(seeds) - 1)
        sizes = {label: labels.count(label) for label in set(labels)}
        kept = sorted(label for label, size in sizes.items() if size >= min_size)
        renumber = {label: n for n, label in enumerate(kept)}
        return [renumber.get(label, -1) for label in labels]


class ChunkIndex:
    """A ``KnowledgeIndex`` over a few chunks, by exact cosine similarity of their embeddings."""

    def __init__(self, embedder: Embedder, chunks: Sequence[Chunk]) -> None:
        self._chunks = list(chunks)
        self._vectors = embedder.embed([chunk.embedding_text() for chunk in self._chunks]) if self._chunks else None

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """The ``k`` nearest chunks, best first."""
        if self._vectors is None:
            return []
        scores = self._vectors @ vector[0]
        order = np.argsort(-scores, kind="stable")[:k]
        return [SearchHit(self._chunks[int(row)], float(scores[int(row)])) for row in order]

    def __len__(self) -> int:
        return len(self._chunks)
