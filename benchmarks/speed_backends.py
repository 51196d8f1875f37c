"""The embedding backends side by side: per-message encode time, agreement with torch, import and load time.

Run: ``python -m benchmarks.speed_backends [--exports DIR]``. Messages are the shipped intent
examples embedded one at a time (as the desk does); agreement is the mean and lowest cosine to
the torch vectors over those examples and the sample knowledge base's passages. Import time is a
fresh interpreter importing the backend's runtime and loading the (already exported) model.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bots.bootstrap import SAMPLE_KB
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.ports import Embedder
from kb_index.embedder import SentenceTransformerEmbedder
from kb_index.ingest import ingest_path
from kb_index.onnx_embedder import OnnxEmbedder

BACKENDS = ("torch", "onnx", "onnx-int8")
LOAD = """
import time
started = time.perf_counter()
from pathlib import Path
{body}
embedder.embed(["warm-up"])
print(time.perf_counter() - started)
"""
LOAD_BODY = {
    "torch": "from kb_index.embedder import SentenceTransformerEmbedder\nembedder = SentenceTransformerEmbedder()",
    "onnx": "from kb_index.onnx_embedder import OnnxEmbedder\n"
    "embedder = OnnxEmbedder(backend='onnx', exports=Path({exports!r}))",
    "onnx-int8": "from kb_index.onnx_embedder import OnnxEmbedder\n"
    "embedder = OnnxEmbedder(backend='onnx-int8', exports=Path({exports!r}))",
}


def embedder_for(backend: str, exports: Path) -> Embedder:
    """The bundled model on ``backend``, one inference thread like the default settings."""
    if backend == "torch":
        return SentenceTransformerEmbedder(threads=1)
    return OnnxEmbedder(backend=backend, exports=exports, threads=1)


def load_seconds(backend: str, exports: Path, runs: int = 3) -> float:
    """Best of ``runs`` fresh interpreters: import the runtime, load the model, embed one text."""
    code = LOAD.format(body=LOAD_BODY[backend].format(exports=str(exports)))
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return min(times)


def main() -> None:
    """Print one Markdown row per backend."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exports", type=Path, default=None, help="folder of ONNX exports (default: a temporary one)")
    args = parser.parse_args()
    exports = args.exports or Path(tempfile.mkdtemp(prefix="helpline-bench-onnx-"))
    messages = [text for text, _ in load_intents(DEFAULT_INTENTS_FILE).training_pairs()]
    passages = [chunk.embedding_text() for chunk in ingest_path(SAMPLE_KB).chunks]
    reference: np.ndarray | None = None
    print("| backend | encode p50 per message (ms) | p95 (ms) | mean cosine to torch | lowest | import + load (s) |")
    print("|---|---|---|---|---|---|")
    for backend in BACKENDS:
        embedder = embedder_for(backend, exports)
        vectors = embedder.embed(messages + passages)  # also exports and warms up
        reference = vectors if reference is None else reference
        cosine = np.sum(vectors * reference, axis=1)
        times = []
        for text in messages:
            started = time.perf_counter()
            embedder.embed([text])
            times.append(time.perf_counter() - started)
        p50, p95 = statistics.median(times) * 1e3, float(np.percentile(times, 95)) * 1e3
        load = load_seconds(backend, exports)
        print(f"| {backend} | {p50:.1f} | {p95:.1f} | {cosine.mean():.4f} | {cosine.min():.4f} | {load:.1f} |")


if __name__ == "__main__":
    main()
