from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.understanding.classifier import IntentClassifier, SoftmaxHead, train_head
from tests.fakes import HashingEmbedder

PAIRS = [
    ("my invoice charged twice", "billing"),
    ("refund for the invoice", "billing"),
    ("card payment failed invoice", "billing"),
    ("upgrade plan price invoice", "billing"),
    ("cannot log in password", "account"),
    ("reset my password please", "account"),
    ("locked out of login two factor", "account"),
    ("password login sso broken", "account"),
    ("site is down outage", "outage"),
    ("everything down 503 outage", "outage"),
    ("dashboard down outage now", "outage"),
    ("api unreachable outage", "outage"),
]


def test_head_learns_the_examples_and_generalises_on_shared_words() -> None:
    embedder = HashingEmbedder()
    classifier = IntentClassifier(train_head(embedder, PAIRS, regularisation=50.0), 0.0, 0.0)
    predictions = classifier.classify(embedder.embed(["second invoice refund", "forgot password login", "outage"]))
    assert [p.intent for p in predictions] == ["billing", "account", "outage"]
    assert all(0.0 < p.confidence <= 1.0 for p in predictions)


def test_low_confidence_is_out_of_scope_not_a_guess() -> None:
    embedder = HashingEmbedder()
    head = train_head(embedder, PAIRS, regularisation=50.0)
    strict = IntentClassifier(head, min_confidence=0.99, min_margin=0.0)
    prediction = strict.classify_one(embedder.embed(["banana bread recipe"])[0])
    assert prediction.out_of_scope
    assert prediction.reason == "low_confidence"
    assert prediction.best in {"billing", "account", "outage"}


def test_two_close_intents_are_ambiguous() -> None:
    head = SoftmaxHead(("a", "b", "c"), np.eye(3, dtype=np.float32) * 5, np.zeros(3, dtype=np.float32))
    classifier = IntentClassifier(head, min_confidence=0.1, min_margin=0.2)
    prediction = classifier.classify_one(np.array([1.0, 0.99, 0.0], dtype=np.float32))
    assert prediction.reason == "ambiguous"
    assert prediction.intent is None


def test_trained_out_of_scope_label_is_never_returned_as_an_intent() -> None:
    head = SoftmaxHead(("billing", "oos"), np.eye(2, dtype=np.float32) * 5, np.zeros(2, dtype=np.float32))
    prediction = IntentClassifier(head, 0.0, 0.0).classify_one(np.array([0.0, 1.0], dtype=np.float32))
    assert prediction.out_of_scope
    assert prediction.reason == "out_of_scope"


def test_head_is_cached_and_retrained_only_when_examples_change(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    first = train_head(embedder, PAIRS, cache_dir=tmp_path)
    embedded = len(embedder.embedded_texts)
    again = train_head(embedder, PAIRS, cache_dir=tmp_path)
    assert len(embedder.embedded_texts) == embedded  # loaded from disk, nothing embedded
    np.testing.assert_array_equal(first.weights, again.weights)
    changed = [*PAIRS, ("where is my receipt invoice", "billing")]
    train_head(embedder, changed, cache_dir=tmp_path)
    assert len(embedder.embedded_texts) == embedded + len(changed)
    assert len(list(tmp_path.glob("head-*.npz"))) == 1  # the stale head is gone


def test_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    train_head(embedder, PAIRS, cache_dir=tmp_path)
    cached = next(tmp_path.glob("head-*.npz"))
    cached.write_bytes(b"not an npz file")
    head = train_head(embedder, PAIRS, cache_dir=tmp_path)
    assert set(head.labels) == {"billing", "account", "outage"}
    assert SoftmaxHead.load(cached).labels == head.labels


def test_training_needs_two_intents() -> None:
    with pytest.raises(ValueError, match="two intents"):
        train_head(HashingEmbedder(), [("a", "x"), ("b", "x")])
