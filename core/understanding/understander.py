"""Understanding a message: clean it, embed it once, classify it and find what answers it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.ports import Embedder, KnowledgeIndex, SearchHit
from core.text import DEFAULT_MAX_CHARS, clean_message
from core.tickets.records import Priority
from core.understanding.classifier import EMPTY_PREDICTION, IntentClassifier, IntentPrediction
from core.understanding.frustration import Frustration, read_frustration
from core.understanding.intents import IntentCatalog
from core.understanding.language import UNKNOWN, LanguageDetector
from core.understanding.urgency import message_priority

if TYPE_CHECKING:
    from core.understanding.heads import HeadFollower


@dataclass(frozen=True)
class Understanding:
    """What the core knows about one message."""

    text: str
    truncated: bool
    prediction: IntentPrediction
    category: str | None
    priority: Priority | None
    hits: tuple[SearchHit, ...]
    # ISO 639-1 code of the message's language; empty when unknown (too short to tell, or no detector).
    language: str = UNKNOWN

    @property
    def frustration(self) -> Frustration:
        """The signs of frustration in the text."""
        return read_frustration(self.text)

    @property
    def empty(self) -> bool:
        """True when the message had no readable text."""
        return not self.text


class Understander:
    """Runs the understanding steps with one embedding per message."""

    def __init__(
        self,
        embedder: Embedder,
        classifier: IntentClassifier,
        catalog: IntentCatalog,
        index: KnowledgeIndex | None,
        *,
        top_k: int = 5,
        max_chars: int = DEFAULT_MAX_CHARS,
        language: LanguageDetector | None = None,
        heads: HeadFollower | None = None,
    ) -> None:
        self._embedder = embedder
        self._classifier = classifier
        self._catalog = catalog
        self._index = index
        self._top_k = top_k
        self._max_chars = max_chars
        self._language = language
        # Follows retrained heads (``helpline intents retrain``): one stat of their pointer every few seconds.
        self._heads = heads

    def understand(self, raw: str | bytes) -> Understanding:
        """Classify ``raw`` and retrieve knowledge-base passages for it; never raises on odd input."""
        clean = clean_message(raw, self._max_chars)
        if clean.empty:
            return Understanding("", clean.truncated, EMPTY_PREDICTION, None, None, ())
        vector = self._embedder.embed([clean.text])
        classifier = self._heads.classifier() if self._heads is not None else self._classifier
        prediction = classifier.classify_one(vector[0])
        hits: tuple[SearchHit, ...] = ()
        if self._index is not None and len(self._index):
            hits = tuple(self._index.search(vector, self._top_k, query_text=clean.text))
        category = priority = None
        if prediction.intent is not None:
            spec = self._catalog.get(prediction.intent)
            category, priority = spec.category, message_priority(clean.text, spec.base_priority)
        language = self._language.detect(clean.text) if self._language is not None else UNKNOWN
        return Understanding(clean.text, clean.truncated, prediction, category, priority, hits, language)
