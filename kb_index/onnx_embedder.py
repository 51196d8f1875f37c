"""The ONNX embedder: the core's ``Embedder`` port served by onnxruntime, exported on first use.

The export is cached under the exports folder, keyed by the model folder's hash and the backend,
so a changed model is exported again and one export serves every process. Serving imports
neither torch nor sentence-transformers; only a missing export loads them (``kb_index.onnx_export``).
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.files import private_file
from core.ports import Vectors
from kb_index.embedder import BUNDLED_MODEL, PROGRESS_MIN_TEXTS, model_identity
from kb_index.onnx_model import ExportRecord, OnnxRunner, export_folder, model_folder, model_hash

log = logging.getLogger("helpline.embedder")

ONNX_BACKENDS = ("onnx-int8", "onnx")


class OnnxEmbedder:
    """Embeds with an ONNX export of a sentence-transformers model, exporting it the first time."""

    def __init__(
        self, model: str = BUNDLED_MODEL, *, backend: str = "onnx-int8", exports: Path, threads: int | None = 1
    ) -> None:
        if backend not in ONNX_BACKENDS:
            raise ValueError(f"not an ONNX backend: {backend!r}")
        self._configured = model
        self._backend = backend
        self._exports = exports
        self._threads = threads
        self._runner: OnnxRunner | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The model's identity and the backend: vectors of torch, onnx and onnx-int8 never mix."""
        return f"{model_identity(self._configured)} ({self._backend})"

    @property
    def dimension(self) -> int:
        """Embedding size recorded at export."""
        return self.runner.record.dimension

    @property
    def record(self) -> ExportRecord:
        """What the export in use is: its model hash and its agreement with torch."""
        return self.runner.record

    @property
    def runner(self) -> OnnxRunner:
        """The loaded export; the first call hashes the model folder and exports it if needed."""
        with self._lock:
            if self._runner is None:
                self._runner = self._load()
            return self._runner

    def _load(self) -> OnnxRunner:
        folder = model_folder(self._configured)
        digest = model_hash(folder)
        target = export_folder(self._exports, digest, self._backend)
        record = ExportRecord.read(target)
        if record is None:
            # One export at a time, across processes: the others wait and then read it.
            with private_file(self._exports / ".export.lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    record = ExportRecord.read(target) or self._export(folder, digest, target)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
        log.info("embedding model %s from %s", self.name, target)
        return OnnxRunner(target, record, self._threads)

    def _export(self, folder: Path, digest: str, target: Path) -> ExportRecord:
        if target.exists():  # an unusable leftover (another recipe, or a half-written folder)
            for path in target.iterdir():
                path.unlink()
            target.rmdir()
        from kb_index.onnx_export import export_model  # loads torch: exporting only

        return export_model(folder, self._configured, self._backend, digest, target, self._threads)

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """Encode ``texts`` into unit vectors, each on its own; a progress bar for large sets if asked."""
        runner = self.runner
        if not texts:
            return np.zeros((0, runner.record.dimension), dtype=np.float32)
        if not (progress and len(texts) >= PROGRESS_MIN_TEXTS):
            return runner.encode(texts)
        from tqdm import tqdm

        with tqdm(total=len(texts), desc="Embedding", unit="text") as bar:
            return runner.encode(texts, on_each=bar.update)
