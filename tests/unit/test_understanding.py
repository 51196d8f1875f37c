from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.tickets.records import Priority
from core.understanding.classifier import IntentClassifier, train_head
from core.understanding.understander import Understander
from kb_index.knowledge_base import KnowledgeBase
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import ARTICLES, write_kb


@pytest.fixture(scope="module")
def understander(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    root: Path = tmp_path_factory.mktemp("understanding")
    embedder = HashingEmbedder()
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    knowledge = KnowledgeBase(root / "data", embedder)
    knowledge.build(write_kb(root / "kb", ARTICLES))
    classifier = IntentClassifier(train_head(embedder, catalog.training_pairs(), regularisation=20.0), 0.2, 0.0)
    return Understander(embedder, classifier, catalog, knowledge, top_k=2)


def test_a_question_gets_an_intent_priority_and_passages(understander: Understander) -> None:
    result = understander.understand("I was charged twice on my invoice, can I get a refund?")
    assert result.prediction.intent == "billing"
    assert (result.category, result.priority) == ("billing", Priority.MEDIUM)
    assert result.hits[0].chunk.title == "Refund policy"
    assert len(result.hits) == 2


@pytest.mark.parametrize("message", ["", "   \n\t ", "\u200b\u200d\u2066\u202e", b"\x00\x01\x02\xff\xfe"])
def test_empty_or_invisible_messages_get_a_clear_empty_result(understander: Understander, message: str) -> None:
    result = understander.understand(message)
    assert result.empty
    assert result.prediction.reason == "empty"
    assert result.hits == ()


def test_binary_garbage_gets_a_result_not_a_crash(understander: Understander) -> None:
    result = understander.understand(os.urandom(2000))
    assert result.empty or result.prediction.reason in {"confident", "low_confidence", "ambiguous"}


def test_a_100kb_message_is_truncated_and_still_understood(understander: Understander) -> None:
    result = understander.understand("refund my invoice please " * 4000)
    assert result.truncated
    assert len(result.text) <= 2000
    assert result.hits


def test_hidden_characters_do_not_change_the_outcome(understander: Understander) -> None:
    plain = understander.understand("reset my password")
    hidden = understander.understand("re\u200bset my pass\u202eword\u202c")
    assert hidden.text == plain.text
    assert hidden.prediction == plain.prediction


def test_console_hides_unrelated_passages_for_off_topic_messages(understander: Understander) -> None:
    from bots.cli.chat import render

    shown = render(understander.understand("zzzz qqqq wwww"))
    assert "no matching article" in shown
    assert "source:" not in shown
    answered = render(understander.understand("refund for my annual invoice"))
    assert "source: https://docs.example/billing/refunds" in answered
