"""Which language a message is written in, and whether the configured model serves it.

Detection is py3langid (a small n-gram model shipped as NumPy arrays, no pickle), restricted to the
languages customers plausibly write in, because short messages otherwise read as anything. A
message too short or too mixed to tell comes back as ``UNKNOWN`` and is treated as the model's own.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

UNKNOWN = ""
ANY_LANGUAGE = "*"
# The languages the detector chooses among: the widely written ones with Latin, Cyrillic or CJK scripts.
CANDIDATES = (
    "en", "de", "es", "fr", "it", "pt", "nl", "pl", "sv", "da", "no", "fi", "cs", "tr", "ru", "uk", "ja", "zh", "ko",
)  # fmt: skip
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


class LanguageDetector(Protocol):
    """Names the language of a text (an ISO 639-1 code), or ``UNKNOWN``."""

    def detect(self, text: str) -> str:
        """The language ``text`` is written in, or ``UNKNOWN`` when it cannot tell."""
        ...


@dataclass(frozen=True)
class Languages:
    """The languages the configured model reads well; ``*`` means every language (a multilingual model)."""

    served: tuple[str, ...] = ("en",)

    def serves(self, language: str) -> bool:
        """True when messages in ``language`` can be classified and answered by the model."""
        return language == UNKNOWN or ANY_LANGUAGE in self.served or language in self.served

    @classmethod
    def of(cls, codes: Iterable[str]) -> Languages:
        """From configured codes, lower-cased."""
        return cls(tuple(code.strip().lower() for code in codes if code.strip()))


class LangidDetector:
    """py3langid, loaded once on first use, choosing among ``candidates``."""

    def __init__(
        self, candidates: Sequence[str] = CANDIDATES, *, min_confidence: float = 0.9, min_letters: int = 12
    ) -> None:
        self._candidates = tuple(candidates)
        self._min_confidence = min_confidence
        self._min_letters = min_letters
        self._identifier: Any = None
        self._lock = threading.Lock()

    def detect(self, text: str) -> str:
        """The language of ``text``; ``UNKNOWN`` for short text or a guess below ``min_confidence``."""
        if len(LETTER.findall(text)) < self._min_letters:
            return UNKNOWN
        code, confidence = self._loaded().classify(text)
        return str(code) if float(confidence) >= self._min_confidence else UNKNOWN

    def _loaded(self) -> Any:
        with self._lock:
            if self._identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(self._candidates))
                self._identifier = identifier
            return self._identifier
