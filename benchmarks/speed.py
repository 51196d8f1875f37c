"""How fast Helpline understands a message and ingests a knowledge base, on this machine.

Run from the repository root (``--quick`` is a smoke check that finishes in about a minute)::

    .venv/bin/python -m benchmarks.speed [--quick] [--threads N] [--output docs/benchmarks-speed.md]

It measures embedding latency, classify+retrieve latency beyond the embedding (sample KB
and a synthetic 100k-chunk index, HNSW against exact), and ingestion throughput against
the raw model. Everything is built in a temporary directory; the data directory is not used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

from bots.bootstrap import SAMPLE_KB, build_embedder
from config.intents import load_intents
from config.settings import Settings, load_settings
from core.ports import Chunk, KnowledgeIndex, SearchHit, Vectors
from core.understanding.classifier import IntentClassifier, train_head
from kb_index.embedder import SentenceTransformerEmbedder
from kb_index.faiss_index import IndexOptions, build_index
from kb_index.ingest import ingest_path
from kb_index.knowledge_base import KnowledgeBase
from kb_index.vector_index import VectorIndex

TOP_K = 5
# Share of synthetic vectors that point in a random direction rather than near a real chunk.
RANDOM_SHARE = 0.05
Samples = npt.NDArray[np.int64]

MESSAGES = (
    "how do I add a custom domain to my app?",
    "deploy failed with 'image too large', what can I remove?",
    "my app keeps crashing with R14 out of memory since this morning",
    "can I get a refund for last month, I forgot to cancel",
    "locked out of my account, 2fa codes from my phone don't work anymore",
    "site is down!!! all requests return 503",
    "how do i set an env var from the cli",
    "the dashboard is really slow today, pages take 10s to load",
    "I think I found an XSS in the dashboard, where do I report it?",
    "we deleted our postgres database by accident, can you restore it?",
    "is there a way to pin the node version for builds",
    "please let me talk to a human",
    "thanks, that fixed it!",
    "can you add support for deploying from bitbucket?",
    "my card was declined but I was still charged twice",
    "TLS certificate for www.example.com still pending after 2 days",
    "how do I connect to the managed postgres from my laptop",
    "too many connections error from postgres when we scale to 4 dynos",
    "github auto deploy stopped triggering after I renamed the repo",
    "where can I download invoices for my accountant?",
    "hi",
    "how do I invite a teammate and give them deploy rights only",
    "npm install fails during build with ETIMEDOUT behind our corporate proxy",
    "health checks keep failing even though the app responds locally",
    "what are the API rate limits for the deploy endpoint",
    "how do I verify webhook signatures in python",
    "we want SSO with Okta, which plan do we need?",
    "how to tail logs for just the worker process",
    "requests are timing out after 30 seconds on large uploads",
    "can I export all our data before deleting the account (GDPR)",
    "the cli says 'certificate verify failed' on windows",
    "please upgrade us to the business plan, we need more dynos",
    "is data encrypted at rest?",
    "Slack notifications stopped arriving in #ops after the outage",
    "how do I roll back to the previous release quickly",
    "p95 latency went from 120ms to 2s after yesterday's deploy",
    "someone logged into our team account from an unknown IP",
    "can you send logs to datadog?",
    "getting 401 unauthorized with a brand new API token",
    "what's the difference between the hobby and pro plans",
)


@dataclass(frozen=True)
class Plan:
    """How much of each measurement to do."""

    embed_calls: int
    search_calls: int
    warmup: int
    synthetic: int
    corpus_chunks: int
    runs: int = 2


FULL = Plan(embed_calls=400, search_calls=2_000, warmup=30, synthetic=100_000, corpus_chunks=2_000)
# Above IndexOptions.approximate_above, so the default options still choose HNSW.
QUICK = Plan(embed_calls=50, search_calls=200, warmup=5, synthetic=25_000, corpus_chunks=300)


@dataclass(frozen=True)
class Latency:
    """p50 and p99 of one timed operation."""

    what: str
    calls: int
    p50_ms: float
    p99_ms: float

    @classmethod
    def of(cls, what: str, samples: Samples) -> Latency:
        """Summarise nanosecond samples."""
        p50, p99 = np.percentile(samples, [50, 99]) / 1e6
        return cls(what, len(samples), float(p50), float(p99))

    def cells(self) -> tuple[str, ...]:
        """One table row."""
        return (self.what, f"{self.calls:,}", f"{self.p50_ms:.3f}", f"{self.p99_ms:.3f}")


@dataclass(frozen=True)
class IndexResult:
    """A synthetic index: how long it took to build and how well it finds the exact neighbours."""

    kind: str
    vectors: int
    build_s: float
    recall: float

    def cells(self) -> tuple[str, ...]:
        """One table row."""
        return (self.kind, f"{self.vectors:,}", f"{self.build_s:.2f}", f"{self.recall:.3f}")


@dataclass(frozen=True)
class Ingestion:
    """Chunks per second through the raw model and through a whole ``KnowledgeBase.build``."""

    chunks: int
    batch_size: int
    raw_per_s: float
    build_per_s: float

    def cells(self) -> tuple[str, ...]:
        """One table row."""
        ratio = self.build_per_s / self.raw_per_s
        rates = f"{self.raw_per_s:.1f}", f"{self.build_per_s:.1f}", f"{ratio:.2f}"
        return (f"{self.chunks:,}", str(self.batch_size), *rates)


class IndexedChunks:
    """A ``KnowledgeIndex`` over a bare vector index, doing what ``KnowledgeBase.search`` does once loaded."""

    def __init__(self, index: VectorIndex, chunks: Sequence[Chunk]) -> None:
        self._index = index
        self._chunks = chunks

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """The ``k`` nearest chunks, best first (synthetic chunks have no text to match exactly)."""
        scores, ids = self._index.search(vector, k)
        return [SearchHit(self._chunks[i], float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]

    def __len__(self) -> int:
        """Number of indexed vectors."""
        return len(self._index)


def log(message: str) -> None:
    """Progress on stderr, so stdout is only the Markdown."""
    print(f"[speed] {message}", file=sys.stderr, flush=True)


def time_calls(call: Callable[[int], object], calls: int, warmup: int) -> Samples:
    """Nanoseconds of each of ``calls`` calls of ``call(i)``, after ``warmup`` untimed calls."""
    for i in range(warmup):
        call(i)
    samples = np.empty(calls, dtype=np.int64)
    for i in range(calls):
        start = time.perf_counter_ns()
        call(i)
        samples[i] = time.perf_counter_ns() - start
    return samples


def seconds(call: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / 1e9


def _faiss_omp(name: str) -> Callable[..., int]:
    # The OpenMP helpers exist at run time but are missing from faiss's type stubs.
    function: Callable[..., int] = getattr(faiss, name)
    return function


def apply_threads(threads: int | None) -> None:
    """Set torch and FAISS thread counts; ``None`` leaves whatever is in effect."""
    if threads is None:
        return
    import torch

    torch.set_num_threads(threads)
    _faiss_omp("omp_set_num_threads")(threads)


def load_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The configured embedder with its model loaded, so loading is never timed."""
    embedder = build_embedder(settings)
    if not isinstance(embedder, SentenceTransformerEmbedder):
        raise TypeError(f"expected a SentenceTransformerEmbedder, got {type(embedder).__name__}")
    _ = embedder.model
    return embedder


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def usable_cpus() -> int:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def machine_info(embedder: SentenceTransformerEmbedder, settings: Settings, load: str) -> list[tuple[str, str]]:
    """What the numbers depend on: hardware, load, thread counts, versions, model."""
    import sentence_transformers
    import torch

    omp_env = ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY"))
    return [
        ("CPU", _cpu_model()),
        ("CPU count (os / usable)", f"{os.cpu_count()} / {usable_cpus()}"),
        ("Load average at start (1, 5, 15 min)", load),
        ("torch threads", str(torch.get_num_threads())),
        ("FAISS OpenMP threads", str(_faiss_omp("omp_get_max_threads")())),
        ("OpenMP environment", omp_env),
        ("Python", platform.python_version()),
        ("torch", torch.__version__),
        ("faiss", faiss.__version__),
        ("sentence-transformers", sentence_transformers.__version__),
        ("numpy", np.__version__),
        ("Model", f"{embedder.name} (dim {embedder.dimension}, max_seq_length {embedder.model.max_seq_length})"),
        ("Embedding batch size", str(embedder.batch_size)),
        ("Intents file", str(settings.intents.file)),
    ]


def bench_embedding(embedder: SentenceTransformerEmbedder, plan: Plan) -> Latency:
    """Latency of embedding one short message, as ``Understander`` does per message."""
    samples = time_calls(lambda i: embedder.embed([MESSAGES[i % len(MESSAGES)]]), plan.embed_calls, plan.warmup)
    return Latency.of("Embed one message (`embed([text])`)", samples)


def bench_understanding(
    what: str, classifier: IntentClassifier, index: KnowledgeIndex, queries: Vectors, plan: Plan
) -> Latency:
    """Latency of ``classify_one`` plus a top-5 search (with the message text) on a precomputed vector."""

    def call(i: int) -> None:
        vector = queries[i % len(queries)]
        classifier.classify_one(vector)
        index.search(vector.reshape(1, -1), TOP_K, query_text=MESSAGES[i % len(MESSAGES)])

    return Latency.of(what, time_calls(call, plan.search_calls, plan.warmup))


def train_classifier(settings: Settings, embedder: SentenceTransformerEmbedder, cache_dir: Path) -> IntentClassifier:
    """The intent classifier trained on the configured intents, cached only in ``cache_dir``."""
    pairs = load_intents(settings.intents.file).training_pairs()
    head = train_head(embedder, pairs, regularisation=settings.intents.regularisation, cache_dir=cache_dir)
    return IntentClassifier(head, settings.intents.min_confidence, settings.intents.min_margin)


def _normalised(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def _synthetic_block(anchors: Vectors, count: int, rng: np.random.Generator) -> Vectors:
    """Noisy blends of two real embeddings (mostly one), plus a few random directions."""
    dim = anchors.shape[1]
    first = anchors[rng.integers(len(anchors), size=count)]
    second = anchors[rng.integers(len(anchors), size=count)]
    blend = rng.uniform(0.0, 0.4, size=(count, 1)).astype(np.float32)
    centres = _normalised((1 - blend) * first + blend * second)
    # Noise of norm ~0.3-0.9 puts a vector at cosine ~0.96-0.74 from its centre.
    scale = rng.uniform(0.3, 0.9, size=(count, 1)).astype(np.float32)
    noise = rng.standard_normal((count, dim), dtype=np.float32) / np.float32(np.sqrt(dim))
    vectors = centres + scale * noise
    random_rows = rng.random(count) < RANDOM_SHARE
    vectors[random_rows] = rng.standard_normal((int(random_rows.sum()), dim), dtype=np.float32)
    return _normalised(vectors)


def synthetic_vectors(anchors: Vectors, count: int, seed: int = 7) -> Vectors:
    """``count`` unit vectors clustered around ``anchors`` the way real chunk embeddings cluster."""
    rng = np.random.default_rng(seed)
    out = np.empty((count, anchors.shape[1]), dtype=np.float32)
    for start in range(0, count, 10_000):
        stop = min(start + 10_000, count)
        out[start:stop] = _synthetic_block(anchors, stop - start, rng)
    return out


def recall_at_k(approximate: VectorIndex, exact: VectorIndex, queries: Vectors, k: int) -> float:
    """Share of the exact top-``k`` neighbours that the approximate index also returns."""
    _, found = approximate.search(queries, k)
    _, truth = exact.search(queries, k)
    hits = sum(len(set(f) & set(t)) for f, t in zip(found.tolist(), truth.tolist(), strict=True))
    return hits / (len(queries) * k)


def bench_synthetic(
    anchors: Vectors, chunks: Sequence[Chunk], classifier: IntentClassifier, queries: Vectors, plan: Plan
) -> tuple[list[IndexResult], list[Latency]]:
    """Build HNSW (default options) and exact flat over synthetic vectors; time and compare them."""
    vectors = synthetic_vectors(anchors, plan.synthetic)
    dim, count = vectors.shape[1], len(vectors)
    built: dict[str, VectorIndex] = {}
    build_s: dict[str, float] = {}
    for label, options in (("default", IndexOptions()), ("flat", IndexOptions(kind="flat"))):
        log(f"building {label} index over {count:,} synthetic vectors")
        start = time.perf_counter_ns()
        built[label] = build_index(vectors, dim, options)
        build_s[label] = (time.perf_counter_ns() - start) / 1e9
    del vectors
    exact = built["flat"]
    many = [chunks[i % len(chunks)] for i in range(count)]
    results, latencies = [], []
    for label, index in built.items():
        recall = recall_at_k(index, exact, queries, TOP_K)
        results.append(IndexResult(index.kind, count, build_s[label], recall))
        log(f"timing classify+search on {index.kind}")
        what = f"Classify + search, synthetic {count:,} chunks ({index.kind})"
        latencies.append(bench_understanding(what, classifier, IndexedChunks(index, many), queries, plan))
    return results, latencies


def write_corpus(chunks: Sequence[Chunk], count: int, path: Path) -> None:
    """A JSON-lines corpus of ``count`` records, each a sample chunk's text made unique by a reference."""
    # Short chunks only, so the added words never make the chunker cut a record in two.
    short = [c for c in chunks if len(c.text.split()) <= 120] or list(chunks)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            chunk = short[i % len(short)]
            record = {"id": f"bench-{i}", "title": chunk.title, "text": f"Reference {i}: {chunk.text}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _build_seconds(directory: Path, embedder: SentenceTransformerEmbedder, corpus: Path, expected: int) -> float:
    """Time one full build into a fresh directory (so nothing is reused) and check it embedded everything."""
    knowledge = KnowledgeBase(directory, embedder)
    start = time.perf_counter_ns()
    report = knowledge.build(corpus)
    elapsed = (time.perf_counter_ns() - start) / 1e9
    if report.embedded != expected:
        raise RuntimeError(f"build embedded {report.embedded} chunks, expected {expected}")
    return elapsed


def bench_ingestion(
    embedder: SentenceTransformerEmbedder, chunks: Sequence[Chunk], work: Path, plan: Plan
) -> Ingestion:
    """Best-of-``plan.runs`` throughput of the raw model and of ``KnowledgeBase.build``, alternated."""
    corpus = work / "corpus.jsonl"
    write_corpus(chunks, plan.corpus_chunks, corpus)
    # Distinct texts: the build embeds each distinct passage once, so the raw model gets the same work.
    texts = list(dict.fromkeys(chunk.embedding_text() for chunk in ingest_path(corpus).chunks))
    raw, build = [], []
    for run in range(plan.runs):
        log(f"ingestion run {run + 1}/{plan.runs}: raw model on {len(texts):,} chunks")
        raw.append(seconds(lambda: embedder.embed(texts)))
        log(f"ingestion run {run + 1}/{plan.runs}: KnowledgeBase.build")
        build.append(_build_seconds(work / f"ingest-{run}", embedder, corpus, len(texts)))
    return Ingestion(len(texts), embedder.batch_size, len(texts) / min(raw), len(texts) / min(build))


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
