from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.heads import build_classifier
from config.intents import load_intents
from config.settings import Settings
from core.ports import Embedder
from core.text import clean_message

pytestmark = pytest.mark.model


def test_shipped_intents_classify_held_out_messages(real_embedder: Embedder, tmp_path: Path, data_root: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    classifier = build_classifier(settings, load_intents(settings.intents.file), real_embedder)
    rows = [json.loads(line) for line in (data_root / "intent_messages.jsonl").read_text().splitlines()]
    predictions = classifier.classify(real_embedder.embed([clean_message(r["text"]).text for r in rows]))
    in_scope = [(r["label"], p.intent) for r, p in zip(rows, predictions, strict=True) if r["label"] != "oos"]
    flagged = [p.out_of_scope for r, p in zip(rows, predictions, strict=True) if r["label"] == "oos"]
    accuracy = sum(truth == guess for truth, guess in in_scope) / len(in_scope)
    assert accuracy >= 0.85, accuracy
    assert sum(flagged) / len(flagged) >= 0.8
    assert list((tmp_path / "intents").glob("head-*.npz"))  # trained once, cached for the next start
