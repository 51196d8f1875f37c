"""A million passages: the size-chosen keyed index against exact search, on synthetic vectors.

The vectors are synthetic (no model runs): unit vectors scattered around ``--topics`` random topic
directions in 384 dimensions, mostly along 64 shared directions (sentence embeddings vary along far fewer
directions than they have) plus a little noise in all of them, so that neighbours are close but not
duplicates; isotropic noise alone would make every vector nearly as far from all others, which real
passage embeddings are not. They are generated in slices from fixed seeds, so the exact top 10 of each query can be
computed slice by slice without ever holding the float32 matrix (1.5 GB) next to the index: the resident
memory reported is the whole process's peak. Then ``--changes`` keys are removed and as many updated, and
the recall is measured again against exact search over what is left.

    python -m benchmarks.million_index [--count 1000000] [--queries 1000] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import faiss
import numpy as np

from core.ports import Vectors
from kb_index.faiss_index import IndexOptions, choose_kind
from kb_index.keyed_index import KeyedIndex

DIM = 384
SLICE = 50_000
QUERY_BLOCK = 100
SPREAD = 0.08  # along each of the 64 shared directions (norm about 0.64)
NOISE = 0.01  # in every dimension (norm about 0.2): cosine to the topic about 0.8


def topics(count: int, seed: int = 1) -> Vectors:
    """Random unit directions the passages gather around."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((count, DIM)).astype(np.float32)
    return np.asarray(centres / np.linalg.norm(centres, axis=1, keepdims=True), dtype=np.float32)


def passages(centres: Vectors, count: int, seed: int) -> Vectors:
    """``count`` unit vectors around randomly picked topics, the same for the same seed."""
    rng = np.random.default_rng(seed)
    picked = centres[rng.integers(0, len(centres), count)]
    shared = topics(64, seed=2)
    along = rng.standard_normal((count, 64)).astype(np.float32) * SPREAD @ shared
    vectors = picked + along + rng.standard_normal((count, DIM)).astype(np.float32) * NOISE
    return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)


def slices(centres: Vectors, count: int) -> Iterator[tuple[int, Vectors]]:
    """The collection as (first key, vectors) slices."""
    for first in range(0, count, SLICE):
        yield first, passages(centres, min(SLICE, count - first), seed=1000 + first // SLICE)


def exact_top(centres: Vectors, count: int, queries: Vectors, k: int, changed: dict[int, Vectors]) -> np.ndarray:
    """The true top-``k`` keys by brute force, slice by slice; ``changed`` maps a key to its new vector or none."""
    best_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_k = np.full((len(queries), k), -1, dtype=np.int64)
    for first, vectors in slices(centres, count):
        keys = np.arange(first, first + len(vectors), dtype=np.int64)
        mine = [key for key in changed if first <= key < first + len(vectors)]
        for key in mine:
            vector = changed[key]
            vectors[key - first] = vector if len(vector) else np.full(DIM, np.nan, dtype=np.float32)
        for start in range(0, len(queries), QUERY_BLOCK):  # blocks keep the score matrix small
            rows = slice(start, start + QUERY_BLOCK)
            scores = np.nan_to_num(queries[rows] @ vectors.T, nan=-np.inf)
            near = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            all_s = np.hstack([best_s[rows], np.take_along_axis(scores, near, axis=1)])
            all_k = np.hstack([best_k[rows], keys[near]])
            top = np.argsort(-all_s, axis=1, kind="stable")[:, :k]
            best_s[rows], best_k[rows] = np.take_along_axis(all_s, top, axis=1), np.take_along_axis(all_k, top, axis=1)
    return best_k


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the true top-k found in the returned top-k."""
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found.tolist(), truth.tolist(), strict=True)]))


def latencies(index: KeyedIndex, queries: Vectors, k: int) -> dict[str, float]:
    """One query at a time, as the desk searches: p50, p99 and max in milliseconds."""
    times = []
    for query in queries:
        start = time.perf_counter()
        index.search(query.reshape(1, -1), k)
        times.append((time.perf_counter() - start) * 1000)
    ordered = np.sort(times)
    return {
        "p50_ms": float(np.percentile(ordered, 50)),
        "p99_ms": float(np.percentile(ordered, 99)),
        "max_ms": float(ordered[-1]),
    }


def resident_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Build, measure, change a few thousand keys, measure again; print and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--topics", type=int, default=2000)  # 500 passages a topic at a million
    parser.add_argument("--changes", type=int, default=5000)
    parser.add_argument("--nprobe", type=int, nargs="*", default=[IndexOptions.ivf_nprobe])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    k, options = 10, IndexOptions()
    centres = topics(args.topics)
    queries = passages(centres, args.queries, seed=7)
    kind = choose_kind(args.count, options)
    result: dict[str, object] = {"count": args.count, "kind": kind, "threads": faiss.omp_get_max_threads()}
    start = time.perf_counter()
    index = KeyedIndex(DIM, kind, options)
    for first, vectors in slices(centres, args.count):
        index.add(np.arange(first, first + len(vectors), dtype=np.int64), vectors)
    result["build_s"] = time.perf_counter() - start
    result["resident_mb_after_build"] = resident_mb()
    truth = exact_top(centres, args.count, queries, k, {})
    for nprobe in args.nprobe:
        index.search_options = IndexOptions(ivf_nprobe=nprobe)
        _, found = index.search(queries, k)
        result[f"nprobe_{nprobe}"] = {"recall_at_10": recall(found, truth), **latencies(index, queries, k)}
        print(nprobe, result[f"nprobe_{nprobe}"], flush=True)
    index.search_options = options
    rng = np.random.default_rng(3)
    touched = rng.choice(args.count, 2 * args.changes, replace=False)
    removed, updated = touched[: args.changes], touched[args.changes :]
    new_vectors = passages(centres, args.changes, seed=99)
    start = time.perf_counter()
    index.remove(removed)
    index.update(updated, new_vectors)
    result["changes_s"] = time.perf_counter() - start
    changed = {int(key): np.zeros(0, dtype=np.float32) for key in removed}
    changed.update({int(key): vector for key, vector in zip(updated, new_vectors, strict=True)})
    truth = exact_top(centres, args.count, queries, k, changed)
    _, found = index.search(queries, k)
    result["after_changes"] = {"recall_at_10": recall(found, truth), "live": len(index), **latencies(index, queries, k)}
    result["resident_mb_peak"] = resident_mb()
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
