"""Publishing Helpline's articles into the sample knowledge base: what each publish embeds, and how long it takes.

Run from the repository root::

    .venv/bin/python -m benchmarks.publish_speed [--articles 20]

Builds the sample KB with the bundled model in a temporary folder, then publishes ``--articles`` short
articles, the same set again, the set with one article edited, and the set with one phrasing added.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from core.knowledge.articles import LiveArticle, Phrasing
from kb_index.embedder import SentenceTransformerEmbedder
from kb_index.knowledge_base import KnowledgeBase

SAMPLE_KB = Path(__file__).resolve().parents[1] / "kb_index" / "sample_kb"


def article(number: int, extra: str = "") -> LiveArticle:
    """A short article of two sentences under one section."""
    body = f"## Part\nThis article explains topic {number} in a few sentences. It has a second sentence.{extra}"
    return LiveArticle(number, f"article/{number}", f"Helpline article {number} about topic {number}", body)


def main() -> None:
    """Print one line per publish: Helpline passages, texts embedded, seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    count = parser.parse_args().articles
    with tempfile.TemporaryDirectory() as folder:
        knowledge = KnowledgeBase(Path(folder) / "kb", SentenceTransformerEmbedder())
        started = time.perf_counter()
        report = knowledge.build(SAMPLE_KB)
        print(f"build: {report.chunks} passages, {report.embedded} embedded, {time.perf_counter() - started:.1f} s")
        articles = [article(n) for n in range(1, count + 1)]
        edited = [*articles[:-1], article(count, " Edited.")]
        phrasing = Phrasing("article/1", "how does the first topic work", datetime.now(UTC), "benchmark")
        runs = [
            ("new", articles, []),
            ("same", articles, []),
            ("one edited", edited, []),
            ("a phrasing", edited, [phrasing]),
        ]
        for label, published, phrasings in runs:
            started = time.perf_counter()
            info = knowledge.publish(published, phrasings)
            seconds = time.perf_counter() - started
            print(f"publish {label}: {info.chunks} passages, {info.embedded} embedded, {seconds:.2f} s")


if __name__ == "__main__":
    main()
