"""Measures for the evaluation commands: intent accuracy, out-of-scope detection, retrieval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.understanding.intents import OUT_OF_SCOPE


@dataclass(frozen=True)
class IntentScores:
    """Classification quality on a labelled test set."""

    accuracy: float
    macro_f1: float
    in_scope_accuracy: float | None
    oos_recall: float | None
    oos_precision: float | None

    def summary(self) -> str:
        """The one-line result the evaluation command ends with."""
        line = f"accuracy={self.accuracy:.4f} macro_f1={self.macro_f1:.4f}"
        if self.in_scope_accuracy is not None:
            line += f" in_scope_accuracy={self.in_scope_accuracy:.4f}"
            line += f" oos_recall={self.oos_recall or 0.0:.4f} oos_precision={self.oos_precision or 0.0:.4f}"
        return line


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean F1 over every label that occurs in ``truth``."""
    scores = []
    for label in sorted(set(truth)):
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def score_intents(truth: Sequence[str], predicted: Sequence[str]) -> IntentScores:
    """Accuracy and macro-F1; with ``oos`` rows also in-scope accuracy and out-of-scope recall/precision."""
    if len(truth) != len(predicted) or not truth:
        raise ValueError("need the same, non-zero number of true and predicted labels")
    pairs = list(zip(truth, predicted, strict=True))
    accuracy = sum(t == p for t, p in pairs) / len(pairs)
    in_scope = [(t, p) for t, p in pairs if t != OUT_OF_SCOPE]
    if len(in_scope) == len(pairs):
        return IntentScores(accuracy, macro_f1(truth, predicted), None, None, None)
    flagged = [t for t, p in pairs if p == OUT_OF_SCOPE]
    oos_total = len(pairs) - len(in_scope)
    return IntentScores(
        accuracy=accuracy,
        macro_f1=macro_f1(truth, predicted),
        in_scope_accuracy=sum(t == p for t, p in in_scope) / len(in_scope) if in_scope else 0.0,
        oos_recall=flagged.count(OUT_OF_SCOPE) / oos_total,
        oos_precision=flagged.count(OUT_OF_SCOPE) / len(flagged) if flagged else 0.0,
    )


def choose_confidence_threshold(confidences: npt.ArrayLike, in_scope: npt.ArrayLike, reject_budget: float) -> float:
    """The highest threshold that flags at most ``reject_budget`` of the in-scope validation messages.

    Only in-scope rows matter: the threshold is the price the team pays in questions the
    bot declines to answer, and out-of-scope detection is whatever that price buys.
    """
    conf = np.asarray(confidences, dtype=np.float64)[np.asarray(in_scope, dtype=bool)]
    if conf.size == 0 or reject_budget <= 0:
        return 0.0
    # Flag strictly below the threshold: the budget-th quantile keeps that many rows under it.
    allowed = int(np.floor(reject_budget * conf.size))
    ordered = np.sort(conf)
    return float(ordered[allowed]) if allowed < conf.size else float(ordered[-1])


@dataclass(frozen=True)
class RetrievalScores:
    """Ranking quality against relevance judgements."""

    mrr_at_10: float
    recall_at_1: float
    recall_at_5: float
    recall_at_10: float
    queries: int

    def summary(self) -> str:
        """The one-line result the evaluation command ends with."""
        return (
            f"mrr@10={self.mrr_at_10:.4f} recall@1={self.recall_at_1:.4f} "
            f"recall@5={self.recall_at_5:.4f} recall@10={self.recall_at_10:.4f}"
        )


def score_retrieval(ranked: Mapping[str, Sequence[str]], relevant: Mapping[str, set[str]]) -> RetrievalScores:
    """MRR@10 and Recall@k over the queries that have relevance judgements."""
    judged = [qid for qid in relevant if relevant[qid]]
    if not judged:
        raise ValueError("no query has a relevant document")
    rr: list[float] = []
    recall: dict[int, list[float]] = {1: [], 5: [], 10: []}
    for qid in judged:
        docs, wanted = list(ranked.get(qid, ())), relevant[qid]
        first = next((rank for rank, doc in enumerate(docs[:10], 1) if doc in wanted), None)
        rr.append(1.0 / first if first else 0.0)
        for k in recall:
            recall[k].append(len(wanted & set(docs[:k])) / len(wanted))
    return RetrievalScores(
        mrr_at_10=float(np.mean(rr)),
        recall_at_1=float(np.mean(recall[1])),
        recall_at_5=float(np.mean(recall[5])),
        recall_at_10=float(np.mean(recall[10])),
        queries=len(judged),
    )


@dataclass(frozen=True)
class SectionScores:
    """How often the best passage is from the right article, and from the right section of it."""

    article_at_1: float
    section_at_1: float
    queries: int

    def summary(self) -> str:
        """The line the evaluation command prints for judgements that name a section."""
        return f"article@1={self.article_at_1:.4f} section@1={self.section_at_1:.4f}"


def score_sections(
    best: Mapping[str, tuple[str, str] | None], expected: Mapping[str, set[tuple[str, str]]]
) -> SectionScores:
    """Share of judged queries whose best ``(article, section)`` is one of the expected ones.

    ``best`` maps a query to its first result's article and section (None when nothing was
    found); ``expected`` maps a query to the ``(article, section)`` pairs that answer it.
    """
    judged = [qid for qid in expected if expected[qid]]
    if not judged:
        raise ValueError("no query has an expected section")
    articles = sections = 0
    for qid in judged:
        found, wanted = best.get(qid), expected[qid]
        if found is None:
            continue
        articles += found[0] in {doc for doc, _ in wanted}
        sections += found in wanted
    return SectionScores(articles / len(judged), sections / len(judged), len(judged))
