"""``helpline eval``: measure intent classification and retrieval on labelled data."""

from __future__ import annotations

import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from bots.bootstrap import build_embedder, index_options
from bots.cli.common import settings_from
from bots.cli.datafiles import load_labelled, load_qrels, load_queries, load_section_qrels
from bots.cli.feedback_eval import documents, feedback_lines
from core.errors import DataError
from core.ports import Embedder, SearchHit, Vectors
from core.text import clean_message
from core.understanding.classifier import IntentClassifier, SoftmaxHead
from core.understanding.evaluation import (
    choose_confidence_threshold,
    score_intents,
    score_retrieval,
    score_sections,
)
from core.understanding.intents import OUT_OF_SCOPE
from kb_index.knowledge_base import KnowledgeBase

app = typer.Typer(help="Measure Helpline on labelled public data.", no_args_is_help=True)

Pairs = list[tuple[str, str]]


def _by_label(pairs: Pairs) -> dict[str, Pairs]:
    grouped: dict[str, Pairs] = defaultdict(list)
    for pair in pairs:
        grouped[pair[1]].append(pair)
    return grouped


def sample_per_label(pairs: Pairs, n: int, seed: int) -> Pairs:
    """At most ``n`` rows of every label, drawn with a fixed seed."""
    by_label = _by_label(pairs)
    rng = random.Random(seed)
    return [pair for label in sorted(by_label) for pair in rng.sample(by_label[label], min(n, len(by_label[label])))]


def split_holdout(pairs: Pairs, fraction: float, seed: int) -> tuple[Pairs, Pairs]:
    """A stratified split: about ``fraction`` of every label goes to the held-out part."""
    by_label = _by_label(pairs)
    rng = random.Random(seed)
    fit, held = [], []
    for label in sorted(by_label):
        rows = list(by_label[label])
        rng.shuffle(rows)
        cut = max(1, round(len(rows) * fraction)) if len(rows) > 1 else 0
        held += rows[:cut]
        fit += rows[cut:]
    return fit, held


class _VectorCache:
    """Embeds each distinct text once for the whole evaluation."""

    def __init__(self, embedder: Embedder, max_chars: int) -> None:
        self._embedder, self._max_chars = embedder, max_chars
        self._known: dict[str, Vectors] = {}

    def __call__(self, texts: Sequence[str]) -> Vectors:
        clean = [clean_message(t, self._max_chars).text for t in texts]
        todo = sorted({t for t in clean if t not in self._known})
        if todo:
            self._known.update(zip(todo, self._embedder.embed(todo, progress=True), strict=True))
        return np.stack([self._known[t] for t in clean])


def _fit(vectors: _VectorCache, pairs: Pairs, regularisation: float) -> SoftmaxHead:
    return SoftmaxHead.fit(vectors([t for t, _ in pairs]), [label for _, label in pairs], regularisation)


@dataclass(frozen=True)
class _ThresholdPlan:
    """How the out-of-scope threshold is tuned."""

    val: Pairs | None
    holdout: float
    reject_budget: float
    regularisation: float
    seed: int


def _tune_threshold(vectors: _VectorCache, train: Pairs, plan: _ThresholdPlan) -> float:
    """Choose the out-of-scope confidence threshold on validation data, never on the test file."""
    val = plan.val
    if val is None:
        train, val = split_holdout(train, plan.holdout, plan.seed)
        typer.echo(
            f"threshold: tuned on a {plan.holdout:.0%} stratified holdout of the training data ({len(val)} rows)"
        )
    else:
        typer.echo(f"threshold: tuned on the validation file ({len(val)} rows)")
    classifier = IntentClassifier(_fit(vectors, train, plan.regularisation), 0.0, 0.0)
    predictions = classifier.classify(vectors([t for t, _ in val]))
    confidences = [0.0 if p.best == OUT_OF_SCOPE else p.confidence for p in predictions]
    in_scope = [label != OUT_OF_SCOPE for _, label in val]
    return choose_confidence_threshold(confidences, in_scope, plan.reject_budget)


def _read_pairs(train: Path, test: Path, per_intent: int | None, seed: int) -> tuple[Pairs, Pairs]:
    train_pairs, test_pairs = load_labelled(train), load_labelled(test)
    if per_intent is not None:
        train_pairs = sample_per_label(train_pairs, per_intent, seed)
    unknown = {label for _, label in test_pairs} - {label for _, label in train_pairs} - {OUT_OF_SCOPE}
    if unknown:
        raise DataError(f"{test}: labels not in the training data: {', '.join(sorted(unknown)[:10])}")
    return train_pairs, test_pairs


@app.command()
def intents(
    ctx: typer.Context,
    train: Annotated[Path, typer.Option(help="Training file: CSV text,label or JSON lines.")],
    test: Annotated[Path, typer.Option(help="Test file, same format; label oos marks out-of-scope rows.")],
    val: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Validation file for the out-of-scope threshold (default: a holdout of --train)."),
    ] = None,
    examples_per_intent: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(min=1, help="Train on only N examples of each intent (drawn with --seed)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling and the holdout split.")] = 0,
    holdout: Annotated[float, typer.Option(min=0.05, max=0.5, help="Share of --train held out for tuning.")] = 0.2,
    reject_budget: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="Share of in-scope validation rows the threshold may flag.")
    ] = 0.02,
) -> None:
    """Train the intent classifier on TRAIN only, and report how it does on TEST."""
    settings = settings_from(ctx)
    train_pairs, test_pairs = _read_pairs(train, test, examples_per_intent, seed)
    typer.echo(f"train: {len(train_pairs)} rows, {len({lbl for _, lbl in train_pairs})} labels from {train}")
    typer.echo(f"test:  {len(test_pairs)} rows from {test}")
    started = time.perf_counter()
    vectors = _VectorCache(build_embedder(settings), settings.model.max_chars)
    regularisation = settings.intents.regularisation
    threshold = 0.0
    if any(label == OUT_OF_SCOPE for _, label in test_pairs):
        plan = _ThresholdPlan(load_labelled(val) if val else None, holdout, reject_budget, regularisation, seed)
        threshold = _tune_threshold(vectors, train_pairs, plan)
        typer.echo(f"threshold: confidence below {threshold:.4f} is out of scope")
    classifier = IntentClassifier(_fit(vectors, train_pairs, regularisation), threshold, 0.0)
    predictions = classifier.classify(vectors([t for t, _ in test_pairs]))
    predicted = [p.intent or OUT_OF_SCOPE for p in predictions]
    scores = score_intents([label for _, label in test_pairs], predicted)
    typer.echo(f"time: {time.perf_counter() - started:.1f} s")
    typer.echo(scores.summary())


def _search_all(knowledge: KnowledgeBase, embedder: Embedder, queries: dict[str, str]) -> dict[str, list[SearchHit]]:
    """The top 50 passages per query."""
    ids = list(queries)
    texts = [clean_message(queries[q]).text for q in ids]
    query_vectors = embedder.embed(texts, progress=True)
    return {
        qid: knowledge.search(vector.reshape(1, -1), 50, query_text=text)
        for qid, text, vector in zip(ids, texts, query_vectors, strict=True)
    }


@app.command()
def retrieval(
    ctx: typer.Context,
    corpus: Annotated[Path, typer.Option(help='JSON lines {"id","title","text"}, or a folder of articles.')],
    queries: Annotated[Path, typer.Option(help='JSON lines {"id","text"}.')],
    qrels: Annotated[Path, typer.Option(help='JSON lines {"query_id","doc_id"}, optionally "section".')],
    index_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Keep the index here and reuse it next time (default: a temporary folder)."),
    ] = None,
    feedback: Annotated[
        bool, typer.Option(help="Also let half the queries vote and score the re-rank on the other half.")
    ] = False,
) -> None:
    """Index CORPUS, run every query and score the ranking against QRELS.

    Judgements that also name a ``"section"`` are scored on the best passage too: is it from the
    right article (article@1) and from the right section of it (section@1)?
    """
    settings = settings_from(ctx)
    embedder = build_embedder(settings)
    query_texts, relevant = load_queries(queries), load_qrels(qrels)
    sections = load_section_qrels(qrels)
    with tempfile.TemporaryDirectory(prefix="helpline-eval-") as tmp:
        knowledge = KnowledgeBase(index_dir or Path(tmp), embedder, index_options(settings))
        report = knowledge.build(corpus, progress=True)
        typer.echo(f"corpus: {report.documents} documents, {report.chunks} chunks ({report.index_kind} index)")
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)
        hits = _search_all(knowledge, embedder, query_texts)
    ranked = {qid: documents(found) for qid, found in hits.items()}
    best = {qid: (found[0].chunk.doc_id, found[0].chunk.section) if found else None for qid, found in hits.items()}
    scores = score_retrieval(ranked, relevant)
    typer.echo(f"queries: {scores.queries} judged of {len(query_texts)}")
    if sections:
        typer.echo(f"sections: {score_sections(best, sections).summary()} ({len(sections)} queries name a section)")
    typer.echo(scores.summary())
    if feedback:
        for line in feedback_lines(hits, relevant, query_texts):
            typer.echo(line)
