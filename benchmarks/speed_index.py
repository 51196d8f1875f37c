"""Index and ingestion measurements for the speed run: synthetic vectors, recall, build throughput."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.speed_machine import TOP_K, Latency, Plan, bench_understanding, log, seconds
from core.ports import Chunk, SearchHit, Vectors
from core.understanding.classifier import IntentClassifier
from kb_index.embedder import SentenceTransformerEmbedder
from kb_index.faiss_index import IndexOptions, build_index
from kb_index.ingest import ingest_path
from kb_index.knowledge_base import KnowledgeBase
from kb_index.vector_index import VectorIndex

# Share of synthetic vectors that point in a random direction rather than near a real chunk.
RANDOM_SHARE = 0.05


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
