"""Ordering the passages for a question: first the article, then the section within it.

Step one finds the article. Each candidate passage scores its cosine similarity plus bounded
boosts for the question's own words: ``IDENTIFIER_BOOST`` for an error code the question quotes;
``LEXICAL_WEIGHT`` times its BM25 score (scaled so the best passage has 1); and
``HEADING_WEIGHT`` times the share of its section heading's words the question uses, since a
question that restates a heading is usually asking what that section answers.

Step two picks the section. A passage's vector mixes its heading with a hundred words of body,
so a short question that names a section ("I forgot my password") can sit closer to a
neighbouring section's text than to the section written for it. Each distinct heading
(``Title — Section``) therefore has a vector of its own, built with the index, and every
passage of the best article scores the better of its text's and its heading's similarity (plus
the same boosts). Headings only reorder sections within that article: across articles a
heading alone ("Cancelling a paid subscription") would outvote the passage that answers a
question about refunds. Scores stay similarities, capped at 1.

Phrasings are other ways customers asked what an article answers (a resolved ticket's question,
say). Each has a vector of its own, and an article's score in step one is the better of its best
passage's and its best phrasing's similarity; step two then picks that article's section as
above, and that passage leads with the article's score. A phrasing is never a passage: it helps
find the article but is never the text an answer quotes.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.ports import Chunk, SearchHit, Vectors
from core.text import clean_message
from kb_index.lexical import IDENTIFIER_BOOST, IdentifierIndex, LexicalIndex, identifiers, words
from kb_index.vector_index import VectorIndex

# How much a passage's BM25 score (1 for the best passage) adds to its similarity.
LEXICAL_WEIGHT = 0.1
# How much restating every word of a passage's section heading adds.
HEADING_WEIGHT = 0.1
# Passages considered per question from each of the vector and the word searches.
CANDIDATES = 50

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


@dataclass(frozen=True)
class PhrasingVectors:
    """One vector per phrasing, with the article (``doc_id``) it stands for and the text that was embedded."""

    vectors: Vectors
    docs: list[str]
    texts: list[str]

    @classmethod
    def build(
        cls,
        phrasings: Sequence[tuple[str, str]],
        embed: Callable[[list[str]], Vectors],
        known: Mapping[str, Vectors],
        dimension: int,
    ) -> tuple[PhrasingVectors, int]:
        """Vectors for ``(doc_id, question)`` pairs, reusing ``known`` ones; returns them and how many were embedded.

        A question is embedded as a customer's message is (``clean_message``), so the two compare alike.
        """
        cleaned = ((doc_id, clean_message(question).text) for doc_id, question in phrasings)
        pairs = list(dict.fromkeys((doc_id, text) for doc_id, text in cleaned if text))
        todo = list(dict.fromkeys(text for _, text in pairs if text not in known))
        fresh = dict(zip(todo, embed(todo), strict=True)) if todo else {}
        vectors = [known[text] if text in known else fresh[text] for _, text in pairs]
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(pairs), dimension)
        return cls(matrix, [doc_id for doc_id, _ in pairs], [text for _, text in pairs]), len(todo)

    def by_text(self) -> dict[str, Vectors]:
        """Embedded text to vector, for the next build to reuse."""
        return dict(zip(self.texts, self.vectors, strict=True))

    def best_by_article(self, query: Vectors) -> dict[str, float]:
        """Each article's best phrasing similarity to the question (articles without phrasings left out)."""
        best: dict[str, float] = {}
        for doc_id, score in zip(self.docs, map(float, self.vectors @ query), strict=True):
            best[doc_id] = max(score, best.get(doc_id, score))
        return best


class Ranker:
    """Searches one loaded version of the index; the word indexes are built on first use."""

    def __init__(
        self,
        chunks: list[Chunk],
        index: VectorIndex,
        headings: HeadingVectors | None,
        phrasings: PhrasingVectors | None = None,
    ) -> None:
        self.chunks = chunks
        self._index = index
        self._headings = headings
        self._phrasings = phrasings
        self._lock = threading.Lock()
        self._words: tuple[IdentifierIndex, LexicalIndex, list[frozenset[str]]] | None = None
        self._rows_by_article: dict[str, list[int]] | None = None

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
        """The ``k`` best passages for the question, best first: the best article's best section leads."""
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        scores, ids = self._index.search(query.reshape(1, -1), max(k, CANDIDATES))
        similarity = {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}
        boost: dict[int, float] = {}
        if query_text:
            boost = self._word_boosts(query_text)
        candidates = set(similarity) | set(sorted(boost, key=lambda r: -boost[r])[:CANDIDATES])
        self._add_similarity(similarity, candidates, query)
        final = {row: min(1.0, similarity[row] + boost.get(row, 0.0)) for row in candidates}
        article, phrased = self._article(final, query)
        if article is None:
            return []
        # Step two: every section of the article found, each also by its heading's similarity.
        if self._headings is not None or phrased is not None:
            rows = self._articles()[article]
            self._add_similarity(similarity, rows, query)
            heading = self._heading_similarity(self._headings, rows, query) if self._headings is not None else {}
            for row in rows:
                dense = max(similarity[row], heading.get(row, -1.0))
                final[row] = min(1.0, dense + boost.get(row, 0.0))
            if phrased is not None:  # found by a phrasing: its best section answers with the phrasing's score
                lead = max(rows, key=lambda row: (final[row], -row))
                final[lead] = max(final[lead], min(1.0, phrased))
        best = sorted(final, key=lambda row: (-final[row], row))[:k]
        return [SearchHit(self.chunks[row], final[row]) for row in best]

    def _article(self, final: Mapping[int, float], query: Vectors) -> tuple[str | None, float | None]:
        """The article that answers best, and its phrasing's similarity when a phrasing outscored every passage."""
        best = max(final, key=lambda row: (final[row], -row)) if final else None
        article, score = (self.chunks[best].doc_id, final[best]) if best is not None else (None, -np.inf)
        if self._phrasings is None:
            return article, None
        served = self._articles()
        phrased = {doc: s for doc, s in self._phrasings.best_by_article(query).items() if doc in served}
        top = max(phrased, key=lambda doc: (phrased[doc], doc), default=None)
        if top is None or phrased[top] <= score:
            return article, None
        return top, phrased[top]

    def _word_boosts(self, query_text: str) -> dict[int, float]:
        """What exact identifiers, BM25 and a restated section heading add to each passage that has any."""
        codes, bm25, sections = self._word_indexes()
        boost: dict[int, float] = defaultdict(float)
        for row, share in codes.matches(identifiers(query_text)).items():
            boost[row] += IDENTIFIER_BOOST * share
        asked = frozenset(words(query_text))
        for row, score in bm25.scores(query_text).items():  # a heading's words are in its passage's BM25 text
            boost[row] += LEXICAL_WEIGHT * score
            if sections[row]:
                boost[row] += HEADING_WEIGHT * len(sections[row] & asked) / len(sections[row])
        return dict(boost)

    def _add_similarity(self, similarity: dict[int, float], rows: Iterable[int], query: Vectors) -> None:
        """Fill in the cosine similarity of passages the vector search did not return."""
        extra = sorted(set(rows) - set(similarity))
        if extra:
            similarity.update(zip(extra, map(float, self._index.reconstruct(extra) @ query), strict=True))

    def _articles(self) -> dict[str, list[int]]:
        """Each article's passage rows (built on first use)."""
        with self._lock:
            if self._rows_by_article is None:
                grouped: dict[str, list[int]] = defaultdict(list)
                for row, chunk in enumerate(self.chunks):
                    grouped[chunk.doc_id].append(row)
                self._rows_by_article = dict(grouped)
            return self._rows_by_article

    @staticmethod
    def _heading_similarity(headings: HeadingVectors, rows: Sequence[int], query: Vectors) -> dict[int, float]:
        """Passage row to its heading's similarity to the question, for the passages in ``rows`` that have one."""
        heading_rows = headings.rows[list(rows)]
        known = heading_rows >= 0
        similarity = headings.vectors[heading_rows[known]] @ query
        return dict(zip(np.asarray(rows)[known].tolist(), map(float, similarity), strict=True))
