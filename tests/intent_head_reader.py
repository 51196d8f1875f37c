"""A second serving process for the hot-reload test: reads questions on stdin, prints the intent it reads.

``python -m tests.intent_head_reader HEADS_DIR``: the understander follows the heads folder (checking the
pointer before every message, ``every=0``), as a serving process does every few seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.text import clean_message
from core.understanding.classifier import IntentClassifier, SoftmaxHead
from core.understanding.heads import HeadFolder, HeadFollower
from core.understanding.understander import Understander
from tests.fakes import HashingEmbedder
from tests.intent_corrections_world import catalog


def main() -> None:
    """Answer each line with the head's best intent and the version serving it."""
    embedder, intents = HashingEmbedder(), catalog()
    pairs = intents.training_pairs()
    head = SoftmaxHead.fit(embedder.embed([clean_message(t).text for t, _ in pairs]), [label for _, label in pairs])
    base = IntentClassifier(head, 0.0, 0.0)
    labels = [*(i.name for i in intents.intents), "oos"]
    follower = HeadFollower(HeadFolder(Path(sys.argv[1])), base, embedder=embedder.name, labels=labels, every=0.0)
    understander = Understander(embedder, base, intents, None, heads=follower)
    print("ready", flush=True)
    for line in sys.stdin:
        best = understander.understand(line.strip()).prediction.best
        print(f"{best} {follower.version or 'catalog'}", flush=True)


if __name__ == "__main__":
    main()
