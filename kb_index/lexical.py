"""Matching the customer's own words, which sentence embeddings blur.

A model reads ``TL-E1042`` as a few word pieces with little meaning, so a question quoting an
error code can land on the wrong article. Passages that contain the very identifier the
customer quoted get a fixed boost on top of their cosine similarity. Likewise "Ubuntu" or
"refund" weigh little in a 384-number vector: ``LexicalIndex`` scores passages by the
question's words (BM25), which ``kb_index.ranking`` adds as a smaller boost.
"""

from __future__ import annotations

import math
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


# Words that say nothing about which passage answers a question.
_STOP_TEXT = (
    "a an and are as at be by can do does don for from get how i if in is it its me my of on or our so that the "
    "their them there this to was we what when where which who why will with won you your"
)
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(word: str) -> str:
    """A crude stem, the same for every form seen: cancelling, cancelled, cancel -> cancel; policies -> policy."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    # A doubled final consonant: install, installing -> instal; cancelling -> cancel; access stays.
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeious":
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The content words of ``text``, lower-cased and stemmed (``_stem``)."""
    found = []
    for token in _WORD.findall(text.lower()):
        word = token.split("'", 1)[0]  # what's -> what, don't -> don
        if word not in _STOP_WORDS:
            found.append(_stem(word))
    return found


class LexicalIndex:
    """BM25 over the words of each passage: how strongly a passage uses the question's own words."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self._k1, self._b = k1, b
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths: list[int] = []
        for row, text in enumerate(texts):
            counts: dict[str, int] = defaultdict(int)
            for word in words(text):
                counts[word] += 1
            self._lengths.append(sum(counts.values()))
            for word, count in counts.items():
                self._postings[word].append((row, count))
        self._average = max(1.0, sum(self._lengths) / max(1, len(self._lengths)))

    def scores(self, query: str) -> dict[int, float]:
        """Passage row to its BM25 score for ``query``, scaled so the best passage has 1.0 (empty if none match)."""
        total = len(self._lengths)
        found: dict[int, float] = defaultdict(float)
        for word in set(words(query)):
            postings = self._postings.get(word)
            if not postings:
                continue
            idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            for row, count in postings:
                norm = self._k1 * (1 - self._b + self._b * self._lengths[row] / self._average)
                found[row] += idf * count * (self._k1 + 1) / (count + norm)
        best = max(found.values(), default=0.0)
        return {row: score / best for row, score in found.items()} if best > 0 else {}
