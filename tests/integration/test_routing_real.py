"""The routing decision on the real model and the sample knowledge base: both signals judge out of scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.heads import build_classifier
from config.intents import load_intents
from config.settings import Settings
from core.ports import Embedder
from core.tickets.records import Priority
from core.understanding.language import LangidDetector
from core.understanding.routing import Route, RoutingRules, decide
from core.understanding.understander import Understander
from kb_index.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.model
CATALOG = load_intents(Settings().intents.file)

# In-scope questions of a first session that the head alone turned down although the docs answer them.
ANSWERED_BY_THE_DOCS = (
    "my app keeps getting killed and the logs say out of memory",
    "my TLS certificate has been pending for hours",
    "build image too big",
    "how do I delete my account?",
)


@pytest.fixture(scope="module")
def understander(
    real_embedder: Embedder, sample_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Understander:
    settings = Settings(data_dir=tmp_path_factory.mktemp("routing"))
    classifier = build_classifier(settings, CATALOG, real_embedder)
    return Understander(real_embedder, classifier, CATALOG, sample_kb, language=LangidDetector())


def rows(data_root: Path, name: str) -> list[dict[str, str]]:
    return [json.loads(line) for line in (data_root / name).read_text().splitlines() if line.strip()]


def test_a_strong_passage_is_not_thrown_away_and_clear_out_of_scope_still_is(
    understander: Understander, data_root: Path
) -> None:
    catalog, rules = CATALOG, RoutingRules()
    for text in ANSWERED_BY_THE_DOCS:
        read = understander.understand(text)
        assert decide(read, catalog, rules).route is not Route.UNSURE, (text, read.prediction, read.hits[:1])
    messages = rows(data_root, "intent_messages.jsonl")
    seen = [(row["label"], understander.understand(row["text"])) for row in messages]
    unsure = [(label, decide(u, catalog, rules).route is Route.UNSURE, u.prediction.out_of_scope) for label, u in seen]
    oos = [(now, head) for label, now, head in unsure if label == "oos"]
    in_scope = [(now, head) for label, now, head in unsure if label != "oos"]
    oos_recall, head_recall = (sum(column) / len(oos) for column in zip(*oos, strict=True))
    turned_down, head_turned_down = (sum(column) / len(in_scope) for column in zip(*in_scope, strict=True))
    print(
        f"routing: oos_recall={oos_recall:.3f} (head alone {head_recall:.3f}) in_scope_turned_down={turned_down:.3f}"
        f" (head alone {head_turned_down:.3f}) on {len(oos)} oos and {len(in_scope)} in-scope messages"
    )
    assert oos_recall >= 0.8 and turned_down <= 0.08


def test_priority_errors_end_to_end_stay_under_the_floor(understander: Understander, data_root: Path) -> None:
    catalog, rules = CATALOG, RoutingRules()
    labelled = rows(data_root, "priorities.jsonl")
    seen = [understander.understand(row["text"]) for row in labelled]
    after = [decide(u, catalog, rules).priority for u in seen]
    before = [catalog.get(u.prediction.intent).base_priority if u.prediction.intent else Priority.MEDIUM for u in seen]
    truth = [Priority(row["priority"]) for row in labelled]
    wrong = [(row["text"], got) for row, got, t in zip(labelled, after, truth, strict=True) if got != t]
    too_urgent = sum(got.rank < t.rank for got, t in zip(after, truth, strict=True))
    was_wrong = sum(got != t for got, t in zip(before, truth, strict=True))
    was_too_urgent = sum(got.rank < t.rank for got, t in zip(before, truth, strict=True))
    print(
        f"priorities: {len(wrong)}/{len(labelled)} wrong, {too_urgent} too urgent "
        f"(intent alone: {was_wrong} wrong, {was_too_urgent} too urgent): {wrong}"
    )
    assert len(wrong) / len(labelled) <= 0.25 and too_urgent <= 2
