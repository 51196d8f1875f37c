"""Exact matching of identifiers (error codes, versions) that sentence embeddings blur.

A model reads ``TL-E1042`` as a few word pieces with little meaning, so a question quoting an
error code can land on the wrong article. Passages that contain the very identifier the
customer quoted get a fixed boost on top of their cosine similarity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

# A token of letters, digits, '-' or '_' with at least one letter and one digit, 3+ long:
# TL-E1042, E1042, 0x80070005, 2FA, v1.2 is not (the dot splits it).
_IDENTIFIER = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[^\W_][\w-]{2,}(?<!-)(?![\w-])")
# How much an exact identifier match adds to a passage's cosine similarity.
IDENTIFIER_BOOST = 0.2
# More matches than this means the identifier is too common to single anything out.
MAX_MATCHES = 64


def identifiers(text: str) -> set[str]:
    """The identifier-like tokens of ``text``, upper-cased."""
    return {token.upper() for token in _IDENTIFIER.findall(text)}


class IdentifierIndex:
    """Which passages contain which identifiers."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._rows: dict[str, list[int]] = defaultdict(list)
        for row, text in enumerate(texts):
            for token in identifiers(text):
                self._rows[token].append(row)

    def matches(self, codes: Iterable[str]) -> dict[int, float]:
        """Passage row to the share of ``codes`` it contains (codes found too often are ignored)."""
        wanted = [code for code in codes if 0 < len(self._rows.get(code, ())) <= MAX_MATCHES]
        found: dict[int, float] = defaultdict(float)
        for code in wanted:
            for row in self._rows[code]:
                found[row] += 1.0 / len(wanted)
        return dict(found)
