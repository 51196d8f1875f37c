"""Requests close in meaning to a new one: cosine similarity of their embeddings, above a measured threshold."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.requests.records import FeatureRequest, RequestStatus

if TYPE_CHECKING:
    from core.ports import Embedder, Vectors

CACHE_SIZE = 10_000  # request texts whose vectors are kept, so a submission embeds only itself
# Requests one may still vote for; a completed or declined one is not offered as "the same".
OPEN_TO_VOTES = frozenset({RequestStatus.OPEN, RequestStatus.PLANNED, RequestStatus.STARTED})


@dataclass(frozen=True)
class Match:
    """An existing request and how close it is to the new text (cosine similarity)."""

    request: FeatureRequest
    score: float


def request_text(request: FeatureRequest) -> str:
    """What a request is compared by: its title, and its description when it says more."""
    if request.description.strip() and request.description.strip() != request.title.strip():
        return f"{request.title}\n{request.description}"
    return request.title


class RequestMatcher:
    """Finds the open requests most similar to a text, embedding each request's text once per process."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._cache: OrderedDict[str, Vectors] = OrderedDict()

    def similar(self, text: str, requests: Sequence[FeatureRequest], threshold: float, limit: int) -> list[Match]:
        """Up to ``limit`` requests open to votes at least ``threshold`` similar to ``text``, closest first."""
        candidates = [r for r in requests if r.status in OPEN_TO_VOTES]
        if not candidates or limit < 1:
            return []
        query = self._embedder.embed([text])[0]
        scores = self._vectors([request_text(r) for r in candidates]) @ query
        order = np.argsort(-scores, kind="stable")
        found = [Match(candidates[i], float(scores[i])) for i in order if scores[i] >= threshold]
        return found[:limit]

    def _vectors(self, texts: list[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, self._embedder.embed(missing), strict=True):
                self._cache[text] = vector
        for text in texts:
            self._cache.move_to_end(text)
        stacked = np.stack([self._cache[t] for t in texts])
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return stacked
