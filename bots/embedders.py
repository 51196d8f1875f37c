"""The configured embedding model on its backend, one instance per process (torch, or ONNX with or without int8)."""

from __future__ import annotations

import functools
import json
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


def tuned_models(settings: Settings) -> Path:
    """Where ``helpline intents tune`` keeps its tuned models and the pointer to the one in use."""
    return settings.data_dir / "tuned_models"


def tuned_model(settings: Settings) -> Path | None:
    """The model tuned from the configured one in this data directory, if ``helpline intents tune`` made one."""
    pointer = tuned_models(settings) / "current.json"
    try:
        record = json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("base") != settings.model.name:
        return None  # tuned from another model: the configured one wins
    folder = tuned_models(settings) / str(record.get("folder", ""))
    return folder if record.get("folder") and folder.is_dir() else None


def build_embedder(settings: Settings) -> Embedder:
    """The model this data directory uses (the tuned one if any, else the configured one), one per process."""
    m = settings.model
    tuned = tuned_model(settings)
    name = str(tuned.resolve()) if tuned else m.name
    if m.backend == "torch":
        return _shared_embedder(name, m.batch_size, m.threads, m.device)
    return _shared_onnx_embedder(name, m.backend, settings.model_exports().resolve(), m.threads)
