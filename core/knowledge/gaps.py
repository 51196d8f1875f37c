"""Knowledge gaps: the questions the desk could not answer well, clustered by meaning and ranked by who asked.

The questions come from ``GapQuestions``; their embeddings are clustered by a ``Clusterer`` (HDBSCAN, with no
language model); each cluster becomes a ``Gap`` with its size, people, tiers, representative questions (the ones
nearest its centre) and when it was first and last seen. Gaps are ranked by their size weighted by tier, so a
question from an enterprise customer counts more than one from the community. A gap is covered once the
knowledge base answers every representative question above the desk's answer threshold.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from core.knowledge.gap_records import Coverage, Gap, GapReport, GapSettings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from core.knowledge.gap_ports import Clusterer, GapQuestions
    from core.knowledge.gap_records import GapQuestion
    from core.ports import Embedder, KnowledgeIndex, Vectors

DEFAULT_SETTINGS = GapSettings()


def cluster_gaps(
    questions: Sequence[GapQuestion], vectors: Vectors, labels: Sequence[int], settings: GapSettings
) -> tuple[list[Gap], int]:
    """The gaps ``labels`` form over ``questions`` (row for row with ``vectors``), heaviest first, and the noise."""
    members: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        if label >= 0:
            members.setdefault(label, []).append(row)
    gaps = [_gap([questions[r] for r in rows], vectors[rows], settings) for rows in members.values()]
    noise = sum(1 for label in labels if label < 0)
    return sorted(gaps, key=lambda g: (-g.weight, -g.size, g.representatives)), noise


def _gap(questions: Sequence[GapQuestion], vectors: Vectors, settings: GapSettings) -> Gap:
    """One cluster's figures; its representatives are its distinct questions nearest the centre."""
    centre = vectors.mean(axis=0)
    nearness = vectors @ centre
    representatives: list[str] = []
    for row in np.argsort(-nearness, kind="stable"):
        text = questions[int(row)].text
        if text.casefold() not in (r.casefold() for r in representatives):
            representatives.append(text)
        if len(representatives) == settings.representatives:
            break
    times = [q.at for q in questions]
    return Gap(
        size=len(questions),
        people=len({q.person for q in questions}),
        tiers=dict(Counter(q.tier for q in questions).most_common()),
        weight=round(sum(settings.weight(q.tier) for q in questions), 6),
        representatives=tuple(representatives),
        first_seen=min(times),
        last_seen=max(times),
        reasons=dict(Counter(q.reason.value for q in questions).most_common()),
    )


def coverage(gap: Gap, embedder: Embedder, index: KnowledgeIndex, answer_score: float) -> Coverage:
    """Whether ``index`` now answers each of the gap's representatives at ``answer_score`` or more."""
    if len(index) == 0 or not gap.representatives:
        return Coverage(False, 0.0)
    vectors = embedder.embed(list(gap.representatives))
    best = [index.search(vectors[row : row + 1], 1, text) for row, text in enumerate(gap.representatives)]
    scores = [hits[0].score if hits else 0.0 for hits in best]
    lowest = min(scores)
    found = [hits[0].chunk for hits in best if hits]
    if not found:
        return Coverage(False, 0.0)
    link = Counter(chunk.link for chunk in found).most_common(1)[0][0]  # the article most of them find
    chunk = next(chunk for chunk in found if chunk.link == link)
    return Coverage(lowest >= answer_score, round(float(lowest), 4), chunk.link, chunk.title)


def find_gaps(
    questions: Sequence[GapQuestion],
    embedder: Embedder,
    clusterer: Clusterer,
    settings: GapSettings = DEFAULT_SETTINGS,
) -> tuple[list[Gap], int]:
    """Embed and cluster ``questions``: the gaps, heaviest first, and how many questions were noise."""
    if len(questions) < settings.min_cluster_size:
        return [], len(questions)
    vectors = embedder.embed([q.text for q in questions])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)
    labels = clusterer.cluster(vectors, settings.min_cluster_size)
    return cluster_gaps(questions, vectors, labels, settings)


class GapFinder:
    """The gap report over the kept questions: the CLI's, the digest's and the dashboard's one computation."""

    def __init__(
        self,
        questions: GapQuestions,
        embedder: Embedder,
        clusterer: Clusterer,
        index: KnowledgeIndex | None,
        answer_score: float,
        settings: GapSettings = DEFAULT_SETTINGS,
    ) -> None:
        self._questions, self._embedder, self._clusterer = questions, embedder, clusterer
        self._index, self._answer_score, self.settings = index, answer_score, settings

    async def report(self, since: datetime, until: datetime) -> GapReport:
        """The gaps among the questions kept from ``since`` to ``until`` (the model runs in a worker thread)."""
        kept = await self._questions.since(since, until=until, limit=self.settings.max_questions)
        return await asyncio.to_thread(self._report, distinct(kept), since, until)

    def _report(self, questions: list[GapQuestion], since: datetime, until: datetime) -> GapReport:
        gaps, noise = find_gaps(questions, self._embedder, self._clusterer, self.settings)
        if self._index is not None:
            index = self._index
            gaps = [replace(g, coverage=coverage(g, self._embedder, index, self._answer_score)) for g in gaps]
        return GapReport(since, until, len(questions), noise, tuple(gaps))


def distinct(questions: Sequence[GapQuestion]) -> list[GapQuestion]:
    """Each thread's question once: a low-confidence answer later marked not helpful is one question, not two."""
    seen: set[tuple[object, str]] = set()
    found = []
    for question in questions:
        key = (question.address, question.text.casefold())
        if key not in seen:
            seen.add(key)
            found.append(question)
    return found


def gap_dict(gap: Gap) -> dict[str, Any]:
    """One gap as JSON (the CLI's ``--format json``, the digest's document; docs/knowledge.md)."""
    c = gap.coverage
    return {
        "size": gap.size,
        "people": gap.people,
        "weight": gap.weight,
        "tiers": dict(gap.tiers),
        "reasons": dict(gap.reasons),
        "representatives": list(gap.representatives),
        "first_seen": gap.first_seen.isoformat(),
        "last_seen": gap.last_seen.isoformat(),
        "covered": None if c is None else c.covered,
        "covered_by": {"url": c.url, "title": c.title, "score": c.best_score} if c is not None and c.covered else None,
    }


def report_dict(report: GapReport) -> dict[str, Any]:
    """The whole report as JSON."""
    return {
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "questions": report.questions,
        "noise": report.noise,
        "gaps": [gap_dict(g) for g in report.gaps],
    }
