"""The configured embedding model on its backend, one instance per process (torch, or ONNX with or without int8)."""

from __future__ import annotations

import functools
from pathlib import Path

from config.settings import Settings
from core.ports import Embedder
from kb_index.embedder import SentenceTransformerEmbedder
from kb_index.onnx_embedder import OnnxEmbedder


@functools.cache
def _shared_embedder(model: str, batch_size: int, threads: int | None, device: str) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model, batch_size=batch_size, threads=threads, device=device)


@functools.cache
def _shared_onnx_embedder(model: str, backend: str, exports: Path, threads: int | None) -> OnnxEmbedder:
    return OnnxEmbedder(model, backend=backend, exports=exports, threads=threads)


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedding model on the configured backend, one instance per process."""
    m = settings.model
    if m.backend == "torch":
        return _shared_embedder(m.name, m.batch_size, m.threads, m.device)
    return _shared_onnx_embedder(m.name, m.backend, settings.model_exports().resolve(), m.threads)
