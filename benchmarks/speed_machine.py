"""What a speed run measures and how: the plan, the messages, timing, latencies and the machine it ran on."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

from bots.bootstrap import build_embedder
from config.intents import load_intents
from config.settings import Settings
from core.ports import KnowledgeIndex, Vectors
from core.understanding.classifier import IntentClassifier, train_head
from kb_index.embedder import SentenceTransformerEmbedder

TOP_K = 5
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
    """The configured model on torch (this benchmark times torch's threads), loaded, so loading is never timed."""
    torch_model = settings.model.model_copy(update={"backend": "torch"})
    embedder = build_embedder(settings.model_copy(update={"model": torch_model}))
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
