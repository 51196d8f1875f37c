"""Contrastive fine-tuning of the embedding model on labelled intents (``helpline intents tune``).

Each training step takes a batch of pairs, two different examples of the same intent (and, if given,
knowledge-base question/passage pairs), and teaches the model that each text is nearer its own partner
than every other partner in the batch (in-batch negatives, scaled cosine, cross-entropy). A batch never
holds two pairs of one intent, so no partner is wrongly pushed away. The tuned model is saved as a
sentence-transformers folder that the ONNX export (``kb_index.onnx_export``) takes like any other.
Imports torch and sentence-transformers: tuning and export only, never a serving process.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCALE = 20.0  # cosine similarities times this are the logits
RECORD_FILE = "tuned.json"


@dataclass(frozen=True)
class TuneSettings:
    """How long and how hard to tune."""

    epochs: float = 1.0  # passes over the pairs; fractions allowed
    batch_size: int = 32
    learning_rate: float = 2e-5
    seed: int = 0
    threads: int | None = None


@dataclass(frozen=True)
class Tuned:
    """What a tuning run did."""

    folder: Path
    pairs: int
    steps: int
    seconds: float


def intent_pairs(examples: Sequence[tuple[str, str]], seed: int) -> list[tuple[str, str, str]]:
    """(anchor, partner, group) pairs: each example with another example of its intent, shuffled."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for text, label in examples:
        by_label[label].append(text)
    rng = random.Random(seed)
    pairs = []
    for label, texts in sorted(by_label.items()):
        if len(texts) < 2:
            continue
        for i, text in enumerate(texts):
            j = rng.randrange(len(texts) - 1)
            pairs.append((text, texts[j if j < i else j + 1], label))
    rng.shuffle(pairs)
    return pairs


def batches(pairs: Sequence[tuple[str, str, str]], size: int, seed: int) -> list[list[tuple[str, str, str]]]:
    """Batches of up to ``size`` pairs, never two of one group in a batch."""
    rng = random.Random(seed)
    waiting = list(pairs)
    rng.shuffle(waiting)
    out: list[list[tuple[str, str, str]]] = []
    while waiting:
        batch: list[tuple[str, str, str]] = []
        groups: set[str] = set()
        rest = []
        for pair in waiting:
            if len(batch) < size and pair[2] not in groups:
                batch.append(pair)
                groups.add(pair[2])
            else:
                rest.append(pair)
        out.append(batch)
        waiting = rest
    return out


def tune_model(
    base: Path,
    examples: Sequence[tuple[str, str]],
    target: Path,
    settings: TuneSettings,
    extra_pairs: Sequence[tuple[str, str]] = (),
    on_step: Callable[[int, int, float], object] | None = None,
) -> Tuned:
    """Fine-tune the model in ``base`` on ``examples`` (text, intent) and save it to ``target``.

    ``on_step(step, steps, loss)`` is called after every step (for a progress line).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    if settings.threads:
        torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    pairs = intent_pairs(examples, settings.seed)
    pairs += [(question, passage, f"kb:{n}") for n, (question, passage) in enumerate(extra_pairs)]
    if not pairs:
        raise ValueError("nothing to tune on: every intent needs at least two examples")
    model = SentenceTransformer(str(base), device="cpu")
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate)
    epoch = batches(pairs, settings.batch_size, settings.seed)
    total = max(1, round(len(epoch) * settings.epochs))
    plan = [epoch[i % len(epoch)] for i in range(total)]
    started = time.perf_counter()
    for step, batch in enumerate(plan, 1):
        anchors = _encode(model, [a for a, _, _ in batch])
        partners = _encode(model, [p for _, p, _ in batch])
        logits = SCALE * anchors @ partners.T
        labels = torch.arange(len(batch))
        loss = (
            torch.nn.functional.cross_entropy(logits, labels) + torch.nn.functional.cross_entropy(logits.T, labels)
        ) / 2
        optimiser.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
        if on_step:
            on_step(step, total, float(loss.item()))
    model.eval()
    target.mkdir(parents=True, exist_ok=False)
    model.save(str(target))
    seconds = time.perf_counter() - started
    record = {"base": str(base), "pairs": len(pairs), "steps": total, "seconds": round(seconds, 1)}
    (target / RECORD_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return Tuned(target, len(pairs), total, seconds)


def _encode(model: Any, texts: list[str]) -> Any:
    """Unit vectors of ``texts`` with gradients (the model's own tokenizer and pooling)."""
    import torch

    features = (model.preprocess if hasattr(model, "preprocess") else model.tokenize)(texts)
    output = model(features)
    return torch.nn.functional.normalize(output["sentence_embedding"], dim=1)
