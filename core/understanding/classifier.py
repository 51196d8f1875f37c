"""Intent classification: a softmax head over the message's sentence embedding.

The message is embedded once; the same vector serves retrieval. The head is a
multinomial logistic regression, trained in seconds and cached on disk as plain arrays
(``.npz`` + JSON, never pickled), retrained whenever the examples or the model change.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.files import private_dir
from core.ports import Embedder, Vectors
from core.text import clean_message
from core.understanding.intents import OUT_OF_SCOPE

log = logging.getLogger("helpline.intents")

Probabilities = npt.NDArray[np.float64]


@dataclass(frozen=True)
class IntentPrediction:
    """The intent of one message, or why it was judged out of scope."""

    intent: str | None
    best: str | None
    confidence: float
    margin: float
    # confident | low_confidence | ambiguous | out_of_scope | empty
    reason: str

    @property
    def out_of_scope(self) -> bool:
        """True when the message is not about any configured intent (or was empty)."""
        return self.intent is None


EMPTY_PREDICTION = IntentPrediction(intent=None, best=None, confidence=0.0, margin=0.0, reason="empty")


@dataclass(frozen=True)
class SoftmaxHead:
    """A linear layer and softmax over intent labels."""

    labels: tuple[str, ...]
    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]

    @classmethod
    def fit(cls, vectors: Vectors, labels: Sequence[str], regularisation: float = 10.0) -> SoftmaxHead:
        """Train on labelled vectors; ``regularisation`` is the inverse L2 strength (C)."""
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            raise ValueError("the classifier needs examples of at least two intents")
        model = LogisticRegression(C=regularisation, max_iter=3000)
        model.fit(vectors, list(labels))
        return cls(
            labels=tuple(str(label) for label in model.classes_),
            weights=np.ascontiguousarray(model.coef_.T, dtype=np.float32),
            bias=np.asarray(model.intercept_, dtype=np.float32),
        )

    def probabilities(self, vectors: Vectors) -> Probabilities:
        """Softmax probabilities, one row per vector, one column per label."""
        logits = np.asarray(vectors, dtype=np.float32) @ self.weights + self.bias
        logits = logits.astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def save(self, path: Path) -> None:
        """Write ``path`` (.npz arrays) and ``path.json`` (labels), each atomically."""
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as fh:
            np.savez(fh, weights=self.weights, bias=self.bias)
        tmp.replace(path)
        labels_path = path.with_suffix(".json")
        labels_path.with_name(labels_path.name + ".tmp").write_text(json.dumps(list(self.labels)))
        labels_path.with_name(labels_path.name + ".tmp").replace(labels_path)

    @classmethod
    def load(cls, path: Path) -> SoftmaxHead:
        """Read a head written by ``save``."""
        with np.load(path, allow_pickle=False) as arrays:
            weights, bias = arrays["weights"], arrays["bias"]
        labels = tuple(json.loads(path.with_suffix(".json").read_text()))
        if weights.shape[1] != len(labels) or bias.shape != (len(labels),):
            raise ValueError(f"{path}: arrays do not match {len(labels)} labels")
        return cls(labels=labels, weights=weights, bias=bias)


class IntentClassifier:
    """Decides a message's intent, or says it is out of scope instead of guessing."""

    def __init__(self, head: SoftmaxHead, min_confidence: float = 0.4, min_margin: float = 0.05) -> None:
        self.head = head
        self.min_confidence = min_confidence
        self.min_margin = min_margin

    def decide(self, probabilities: Probabilities) -> list[IntentPrediction]:
        """Turn probability rows into predictions using the thresholds."""
        if probabilities.shape[1] < 2:
            raise ValueError("need at least two labels")
        top2 = np.argsort(-probabilities, axis=1)[:, :2]
        predictions = []
        for row, (first, second) in zip(probabilities, top2, strict=True):
            best = self.head.labels[first]
            confidence = float(row[first])
            margin = confidence - float(row[second])
            if best == OUT_OF_SCOPE:
                reason = "out_of_scope"
            elif confidence < self.min_confidence:
                reason = "low_confidence"
            elif margin < self.min_margin:
                reason = "ambiguous"
            else:
                reason = "confident"
            intent = best if reason == "confident" else None
            predictions.append(IntentPrediction(intent, best, confidence, margin, reason))
        return predictions

    def classify(self, vectors: Vectors) -> list[IntentPrediction]:
        """Predictions for a batch of message vectors."""
        if len(vectors) == 0:
            return []
        return self.decide(self.head.probabilities(vectors))

    def classify_one(self, vector: Vectors) -> IntentPrediction:
        """Prediction for one message vector."""
        return self.classify(np.asarray(vector, dtype=np.float32).reshape(1, -1))[0]


def examples_fingerprint(embedder_name: str, pairs: Sequence[tuple[str, str]], regularisation: float) -> str:
    """Identity of a trained head: same model, same examples, same regularisation."""
    payload = json.dumps([embedder_name, regularisation, sorted(pairs)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def train_head(
    embedder: Embedder,
    pairs: Sequence[tuple[str, str]],
    *,
    regularisation: float = 10.0,
    cache_dir: Path | None = None,
    progress: bool = False,
) -> SoftmaxHead:
    """Train a head on ``(text, label)`` pairs, or load it from ``cache_dir`` if unchanged."""
    path = None
    if cache_dir is not None:
        path = cache_dir / f"head-{examples_fingerprint(embedder.name, pairs, regularisation)}.npz"
        if path.exists() and path.with_suffix(".json").exists():
            try:
                return SoftmaxHead.load(path)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("ignoring unreadable classifier cache %s: %s", path, exc)
    vectors = embedder.embed([clean_message(text).text for text, _ in pairs], progress=progress)
    head = SoftmaxHead.fit(vectors, [label for _, label in pairs], regularisation)
    if path is not None:
        private_dir(path.parent)
        for old in path.parent.glob("head-*"):
            old.unlink(missing_ok=True)
        head.save(path)
    return head
