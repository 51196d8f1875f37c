"""The knowledge gaps' ports: the questions the desk could not answer well, and a clustering of vectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from core.knowledge.gap_records import GapQuestion
    from core.ports import Vectors


class GapQuestions(Protocol):
    """The customer questions that got no answer, a low-confidence answer or a not-helpful vote."""

    async def record(self, question: GapQuestion) -> None:
        """Keep ``question``."""
        ...

    async def since(self, since: datetime, *, until: datetime | None = None, limit: int = 5000) -> list[GapQuestion]:
        """The questions kept from ``since`` to before ``until`` (open: now), oldest first; the newest ``limit``."""
        ...


class Clusterer(Protocol):
    """Groups vectors by nearness (HDBSCAN in ``kb_index/clustering.py``); no language model."""

    def cluster(self, vectors: Vectors, min_size: int) -> list[int]:
        """One label per row of ``vectors``: rows with the same label form a cluster; -1 marks noise."""
        ...
