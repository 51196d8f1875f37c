"""Model latency for ``/metrics``: thin timing wrappers around the understander and the knowledge index.

The histogram lives in this process (each process times its own model calls), in ``LATENCY_REGISTRY``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Histogram

if TYPE_CHECKING:
    from core.desk.context import MessageUnderstander
    from core.ports import KnowledgeIndex, SearchHit, Vectors
    from core.understanding.understander import Understanding

LATENCY_REGISTRY = CollectorRegistry(auto_describe=True)
MODEL_SECONDS = Histogram(
    "helpline_model_seconds",
    "Time the model spent per message in this process: step=understand (embed, classify, search) or search.",
    ["step"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=LATENCY_REGISTRY,
)


class TimedUnderstander:
    """An understander whose every ``understand`` call is observed as ``step="understand"``."""

    def __init__(self, inner: MessageUnderstander) -> None:
        self._inner = inner

    def understand(self, raw: str | bytes) -> Understanding:
        """What the wrapped understander says, timed."""
        started = time.perf_counter()
        try:
            return self._inner.understand(raw)
        finally:
            MODEL_SECONDS.labels(step="understand").observe(time.perf_counter() - started)


class TimedIndex:
    """A knowledge index whose searches are observed as ``step="search"``."""

    def __init__(self, inner: KnowledgeIndex) -> None:
        self._inner = inner

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """The wrapped index's hits, timed."""
        started = time.perf_counter()
        try:
            return self._inner.search(vector, k, query_text)
        finally:
            MODEL_SECONDS.labels(step="search").observe(time.perf_counter() - started)

    def __len__(self) -> int:
        """Number of chunks that can be found."""
        return len(self._inner)
