"""How fast Helpline understands a message and ingests a knowledge base, on this machine.

Run from the repository root (``--quick`` is a smoke check that finishes in about a minute)::

    .venv/bin/python -m benchmarks.speed [--quick] [--threads N] [--output docs/benchmarks-speed.md]

It measures embedding latency, classify+retrieve latency beyond the embedding (sample KB
and a synthetic 100k-chunk index, HNSW against exact), and ingestion throughput against
the raw model. Everything is built in a temporary directory; the data directory is not used.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.speed_index import IndexResult, Ingestion, bench_ingestion, bench_synthetic
from benchmarks.speed_machine import (
    FULL,
    MESSAGES,
    QUICK,
    TOP_K,
    Latency,
    Plan,
    apply_threads,
    bench_embedding,
    bench_understanding,
    load_average,
    load_embedder,
    log,
    machine_info,
    train_classifier,
    usable_cpus,
)
from bots.bootstrap import SAMPLE_KB
from config.settings import load_settings
from kb_index.ingest import ingest_path
from kb_index.knowledge_base import KnowledgeBase


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _busy_warning(load_at_start: str) -> list[str]:
    """A caution when other processes were competing for the CPUs when the run began."""
    if float(load_at_start.split(",")[0]) < 0.5 * usable_cpus():
        return []
    return [
        "",
        "> Other processes were busy when this run started (see the load averages). With OpenMP's default",
        "> spin-waiting, multi-threaded timings then suffer badly; compare with `--threads 1` or",
        "> `OMP_WAIT_POLICY=PASSIVE`, or run again on an idle machine.",
    ]


def render(
    info: list[tuple[str, str]],
    latencies: list[Latency],
    indexes: list[IndexResult],
    ingestion: Ingestion,
    command: str,
    load_at_start: str,
) -> str:
    """The results as a Markdown section."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["## Speed", "", f"`{command}`, {when}. Load average at the end: {load_average()}."]
    lines += _busy_warning(load_at_start)
    lines += ["", "### Machine", "", *_table(("", ""), info)]
    lines += ["", "### Latency per message (classify + search is beyond the embedding)", ""]
    lines += _table(("Measure", "Calls", "p50 (ms)", "p99 (ms)"), [x.cells() for x in latencies])
    lines += ["", f"### Synthetic index (recall@{TOP_K} over {len(MESSAGES)} real messages)", ""]
    lines += _table(("Index", "Vectors", "Build (s)", f"Recall@{TOP_K} vs exact"), [x.cells() for x in indexes])
    lines += ["", "### Ingestion (best of runs, fresh directory each build)", ""]
    header = ("Chunks", "Batch size", "Raw `embed` (chunks/s)", "`KnowledgeBase.build` (chunks/s)", "Build / raw")
    lines += _table(header, [ingestion.cells()])
    return "\n".join(lines) + "\n"


def run(plan: Plan, threads: int | None, command: str) -> str:
    """Every measurement, in one process with one loaded model; returns the Markdown."""
    load = load_average()
    settings = load_settings()
    embedder = load_embedder(settings)
    apply_threads(threads)  # after loading: the model's own `threads` setting is applied at load
    info = machine_info(embedder, settings, load)
    with tempfile.TemporaryDirectory(prefix="helpline-speed-") as tmp:
        work = Path(tmp)
        log("embedding latency")
        latencies = [bench_embedding(embedder, plan)]
        queries = embedder.embed(MESSAGES)
        classifier = train_classifier(settings, embedder, work / "intents")
        log("building the sample KB")
        sample = KnowledgeBase(work / "sample-kb", embedder)
        sample.build(SAMPLE_KB)
        what = f"Classify + search, sample KB {len(sample):,} chunks ({sample.stats().index_kind})"
        latencies.append(bench_understanding(what, classifier, sample, queries, plan))
        chunks = ingest_path(SAMPLE_KB).chunks
        anchors = embedder.embed([chunk.embedding_text() for chunk in chunks])
        indexes, more = bench_synthetic(anchors, chunks, classifier, queries, plan)
        latencies += more
        ingestion = bench_ingestion(embedder, chunks, work, plan)
    return render(info, latencies, indexes, ingestion, command, load)


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed", description="Measure Helpline's speed on this machine."
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke check (about a minute)")
    parser.add_argument("--threads", type=int, default=None, help="torch and FAISS threads (default: as in effect)")
    parser.add_argument("--output", type=Path, default=None, help="also write the Markdown to this file")
    args = parser.parse_args(argv)
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    command = "python -m benchmarks.speed" + (" --quick" if args.quick else "")
    command += f" --threads {args.threads}" if args.threads else ""
    markdown = run(QUICK if args.quick else FULL, args.threads, command)
    print(markdown, end="")
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(markdown, encoding="utf-8")
        log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
