"""A scripted understander: each message reads as the intent, confidence and passage score a test gives it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.ports import SearchHit
from core.text import clean_message
from core.understanding.classifier import EMPTY_PREDICTION, IntentPrediction
from core.understanding.intents import OUT_OF_SCOPE, IntentCatalog
from core.understanding.language import LangidDetector, LanguageDetector
from core.understanding.understander import Understanding
from tests.desk_fakes import OOM

CATALOG = load_intents(DEFAULT_INTENTS_FILE)
DETECTOR = LangidDetector()  # the real detector: it loads in about a second, once per test session


@dataclass(frozen=True)
class Reading:
    """How the head reads one message: its best label, how sure, and the best passage's score."""

    best: str | None = None
    confidence: float = 0.2
    score: float = 0.0

    @property
    def reason(self) -> str:
        """The classifier's reason for this reading, as ``IntentClassifier.decide`` would give it."""
        if self.best == OUT_OF_SCOPE:
            return "out_of_scope"
        return "confident" if self.best is not None and self.confidence >= 0.3 else "low_confidence"


class ScriptedUnderstander:
    """Reads messages as ``script`` says (unknown text: unsure, no passage), detecting the language for real."""

    def __init__(
        self,
        script: Mapping[str, Reading],
        catalog: IntentCatalog = CATALOG,
        detector: LanguageDetector | None = DETECTOR,
    ) -> None:
        self._script = script
        self._catalog = catalog
        self._detector = detector

    def understand(self, raw: str | bytes) -> Understanding:
        """The Understanding the real pipeline builds, from the script instead of a model."""
        clean = clean_message(raw, 2000)
        if clean.empty:
            return Understanding("", clean.truncated, EMPTY_PREDICTION, None, None, ())
        reading = self._script.get(clean.text, Reading())
        intent = reading.best if reading.reason == "confident" else None
        prediction = IntentPrediction(intent, reading.best, reading.confidence, 0.2, reading.reason)
        spec = self._catalog.get(intent) if intent else None
        hits = (SearchHit(OOM, reading.score),) if reading.score else ()
        language = self._detector.detect(clean.text) if self._detector else ""
        category, priority = (spec.category, spec.base_priority) if spec else (None, None)
        return Understanding(clean.text, clean.truncated, prediction, category, priority, hits, language)
