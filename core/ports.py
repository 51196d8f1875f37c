"""The small interfaces through which the core talks to the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from core.messages import Outbound

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

    @property
    def heading(self) -> str:
        """``Title › Section``, or just the title when the section adds nothing."""
        return f"{self.title} › {self.section}" if self.section and self.section != self.title else self.title

    @property
    def link(self) -> str:
        """Where the passage can be read: its URL, else its source."""
        return self.url or self.source

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


class Clock(Protocol):
    """The time, injectable so tests and the console can move it."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class Notifier(Protocol):
    """Delivers messages the core starts itself; each platform adapter implements it."""

    async def send(self, outbound: Outbound) -> None:
        """Deliver one message; raise if it could not be delivered, so the caller can retry."""
        ...


class Deliveries(Protocol):
    """Platform deliveries already handled, so a retried or duplicated one is handled once."""

    async def claim_delivery(self, platform: str, delivery_id: str, at: datetime) -> bool:
        """Record that this platform delivery is being handled; False if it was already claimed (a retry or duplicate).

        Uniqueness is enforced by the database, so it holds across restarts and processes. Raises
        ``ValueError`` for an empty id or one longer than the store keeps, rather than cutting it
        (two long ids sharing a prefix would then count as one delivery).
        """
        ...

    async def forget_deliveries(self, before: datetime) -> int:
        """Delete delivery records older than ``before`` (platforms stop retrying after hours); returns how many."""
        ...
