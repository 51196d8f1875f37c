"""What ``helpline intents tune`` trains on, and which model a data directory then uses (no model loaded)."""

from __future__ import annotations

import json
from pathlib import Path

from bots.embedders import tuned_model, tuned_models
from config.settings import Settings
from kb_index.tuning import batches, intent_pairs

EXAMPLES = [(f"{label} text {i}", label) for label in ("refund", "login", "invoice") for i in range(5)]


def test_every_example_is_paired_with_another_example_of_its_intent() -> None:
    pairs = intent_pairs([*EXAMPLES, ("only one", "lonely")], seed=1)
    assert len(pairs) == 15  # an intent with one example has nothing to pair with
    for anchor, partner, label in pairs:
        assert anchor != partner and anchor.startswith(label) and partner.startswith(label)


def test_a_batch_never_holds_two_pairs_of_one_intent() -> None:
    pairs = intent_pairs(EXAMPLES, seed=2)
    made = batches(pairs, size=8, seed=2)
    assert sorted(p for b in made for p in b) == sorted(pairs)  # every pair, once
    assert all(len({label for _, _, label in b}) == len(b) for b in made)


def test_the_tuned_model_serves_only_the_model_it_was_tuned_from(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert tuned_model(settings) is None
    folder = tuned_models(settings) / "20261203T160000"
    folder.mkdir(parents=True)
    pointer = tuned_models(settings) / "current.json"
    pointer.write_text(json.dumps({"base": settings.model.name, "folder": folder.name}))
    assert tuned_model(settings) == folder
    pointer.write_text(json.dumps({"base": "another/model", "folder": folder.name}))
    assert tuned_model(settings) is None
    pointer.write_text("not json")
    assert tuned_model(settings) is None
