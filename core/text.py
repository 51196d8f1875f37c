"""Normalising untrusted text before it reaches the model, the index or a log line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing: controls, format characters (zero-width joiners,
# bidirectional overrides, tag characters), surrogates, private-use and unassigned code
# points. They can hide text or make two different messages look the same.
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Invisible letters and marks that Unicode does not classify as format characters, and the
# replacement character that decoding binary garbage produces.
_DROP_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0\ufffd")
_KEEP = frozenset("\n\t")
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_WHITESPACE_RE = re.compile(r"\s+")
# Bidirectional embedding, override and isolate controls: they can reorder what a reader sees.
_BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

DEFAULT_MAX_CHARS = 2000


@dataclass(frozen=True)
class CleanText:
    """A message made safe for the model, with what had to be done to it."""

    text: str
    truncated: bool

    @property
    def empty(self) -> bool:
        """True when nothing readable was left."""
        return not self.text


def to_text(raw: str | bytes) -> str:
    """Decode bytes as UTF-8, replacing what is not valid; strings pass through."""
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    return raw


def strip_invisible(text: str) -> str:
    """Remove zero-width, bidirectional-control and other control characters; keep newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return "".join(ch for ch in text if ch.isprintable() or ch in _KEEP)
    return "".join(
        ch for ch in text if ch in _KEEP or (unicodedata.category(ch) not in _DROP_CATEGORIES and ch not in _DROP_EXTRA)
    )


def strip_bidi(text: str) -> str:
    """Remove only the bidirectional controls, for text echoed back to people (emoji joiners stay)."""
    return _BIDI_CONTROLS_RE.sub("", text)


def clean_document(text: str) -> str:
    """Tidy a knowledge-base document: NFKC, no invisible characters, no runs of blank lines."""
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    lines = [_SPACES_RE.sub(" ", line).rstrip() for line in text.split("\n")]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def clean_message(raw: str | bytes, max_chars: int = DEFAULT_MAX_CHARS) -> CleanText:
    """Normalise a chat message for the model: one line, no tricks, at most ``max_chars``.

    The model reads only a few hundred tokens, so a 100 kB message is cut at a word
    boundary instead of being tokenised in full.
    """
    text = to_text(raw)
    # Cut early so a huge message costs no more than a short one to normalise.
    truncated = len(text) > max_chars * 4
    text = text[: max_chars * 4]
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    text = _WHITESPACE_RE.sub(" ", text).strip()
    truncated = truncated or len(text) > max_chars
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        text = text[: cut if cut > max_chars // 2 else max_chars].rstrip()
    return CleanText(text=text, truncated=truncated)
