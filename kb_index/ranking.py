"""Ordering the passages for a question: passage or heading similarity, then exact and lexical matches.

A passage's vector mixes its heading with a hundred words of body, so a short question that
names a section ("I forgot my password") can sit closer to a neighbouring section's text than
to the section written for it. Each distinct heading (``Title — Section``) therefore gets a
vector of its own at build time, and a passage scores the better of its text's and its
heading's cosine similarity. On top of that come three bounded boosts: ``IDENTIFIER_BOOST`` for
an error code the question quotes; ``LEXICAL_WEIGHT`` times the passage's BM25 score for the
question's words (scaled so the best passage has 1); and ``HEADING_WEIGHT`` times the share of
the section heading's words that the question uses, since a question that restates a heading
("what's the rate limit?", "The limits") is usually asking what that section answers. Scores
are capped at 1.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.ports import Chunk, SearchHit, Vectors
from kb_index.lexical import IDENTIFIER_BOOST, IdentifierIndex, LexicalIndex, identifiers, words
from kb_index.vector_index import VectorIndex

# How much a passage's BM25 score (1 for the best passage) adds to its similarity.
LEXICAL_WEIGHT = 0.1
# How much restating every word of a passage's section heading adds.
HEADING_WEIGHT = 0.1
# Passages considered per question from each of the dense, heading and lexical searches.
CANDIDATES = 50
HEADINGS_CONSIDERED = 20

Rows = npt.NDArray[np.int64]


def heading_text(chunk: Chunk) -> str:
    """``Title — Section`` (just the title when the section repeats it); empty for an untitled passage."""
    if not chunk.section or chunk.section == chunk.title:
        return chunk.title
    return f"{chunk.title} — {chunk.section}" if chunk.title else chunk.section


@dataclass(frozen=True)
class HeadingVectors:
    """One vector per distinct heading, and for every passage the row of its heading (-1: none)."""

    vectors: Vectors
    rows: Rows

    @classmethod
    def build(
        cls,
        chunks: Sequence[Chunk],
        embed: Callable[[list[str]], Vectors],
        known: Mapping[str, Vectors],
        dimension: int,
    ) -> tuple[HeadingVectors, int]:
        """Vectors for the headings of ``chunks``, reusing ``known`` ones; returns them and how many were embedded."""
        texts = [heading_text(chunk) for chunk in chunks]
        distinct = list(dict.fromkeys(text for text in texts if text.strip()))
        todo = [text for text in distinct if text not in known]
        fresh = dict(zip(todo, embed(todo), strict=True)) if todo else {}
        vectors = [known[text] if text in known else fresh[text] for text in distinct]
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(distinct), dimension)
        row_of = {text: row for row, text in enumerate(distinct)}
        rows = np.asarray([row_of.get(text, -1) for text in texts], dtype=np.int64)
        return cls(matrix, rows), len(todo)

    def by_text(self, chunks: Sequence[Chunk]) -> dict[str, Vectors]:
        """Heading text to vector, for the next build to reuse."""
        return {heading_text(c): self.vectors[row] for c, row in zip(chunks, self.rows, strict=True) if row >= 0}


class Ranker:
    """Searches one loaded version of the index; the word indexes are built on first use."""

    def __init__(self, chunks: list[Chunk], index: VectorIndex, headings: HeadingVectors | None) -> None:
        self.chunks = chunks
        self._index = index
        self._headings = headings
        self._lock = threading.Lock()
        self._words: tuple[IdentifierIndex, LexicalIndex, list[frozenset[str]]] | None = None

    def _word_indexes(self) -> tuple[IdentifierIndex, LexicalIndex, list[frozenset[str]]]:
        """Identifiers, BM25 (the section heading counts twice: it names what the passage answers) and
        each passage's section-heading words (none for an article's opening, whose heading is the title)."""
        with self._lock:
            if self._words is None:
                texts = [f"{c.title}\n{c.section}\n{c.section}\n{c.text}" for c in self.chunks]
                sections = [frozenset(words(c.section)) if c.section != c.title else frozenset() for c in self.chunks]
                self._words = (IdentifierIndex(texts), LexicalIndex(texts), sections)
            return self._words

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """The ``k`` best passages for the question, best first."""
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        scores, ids = self._index.search(query.reshape(1, -1), max(k, CANDIDATES))
        similarity = {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}
        matched: dict[int, float] = {}
        lexical: dict[int, float] = {}
        asked: frozenset[str] = frozenset()
        sections: list[frozenset[str]] = []
        if query_text:
            codes, bm25, sections = self._word_indexes()
            matched = codes.matches(identifiers(query_text))
            lexical = bm25.scores(query_text)
            asked = frozenset(words(query_text))
        heading = self._heading_similarity(query)
        candidates = set(similarity) | set(matched) | set(sorted(lexical, key=lambda r: -lexical[r])[:CANDIDATES])
        if heading is not None:
            candidates |= self._rows_under_best_headings(heading[0])
        extra = sorted(candidates - set(similarity))
        if extra:
            similarity.update(zip(extra, map(float, self._index.reconstruct(extra) @ query), strict=True))
        final = {}
        for row in candidates:
            dense = similarity[row]
            if heading is not None and heading[1][row] >= 0:
                dense = max(dense, float(heading[0][heading[1][row]]))
            boost = IDENTIFIER_BOOST * matched.get(row, 0.0) + LEXICAL_WEIGHT * lexical.get(row, 0.0)
            if asked and sections[row]:
                boost += HEADING_WEIGHT * len(sections[row] & asked) / len(sections[row])
            final[row] = min(1.0, dense + boost)
        best = sorted(final, key=lambda row: (-final[row], row))[:k]
        return [SearchHit(self.chunks[row], final[row]) for row in best]

    def _heading_similarity(self, query: Vectors) -> tuple[Vectors, Rows] | None:
        """Each distinct heading's similarity to the question, with the passages' heading rows."""
        headings = self._headings
        if headings is None or not len(headings.vectors):
            return None
        return headings.vectors @ query, headings.rows

    def _rows_under_best_headings(self, similarity: Vectors) -> set[int]:
        """The passages under the headings most similar to the question."""
        assert self._headings is not None
        top = np.argsort(-similarity)[:HEADINGS_CONSIDERED]
        return {int(row) for row in np.flatnonzero(np.isin(self._headings.rows, top))}
