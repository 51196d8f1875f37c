"""An exported ONNX embedding model on disk: where its source lives, its hash, its record, and running it.

Serving needs only onnxruntime and the ``tokenizers`` package: nothing here imports torch or
sentence-transformers. Each text runs through the graph on its own (no padding, batch of one), so
a text's vector never depends on which texts it was embedded with: dynamic int8 quantisation picks
its activation scales per run, and padding would change them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ConfigError
from core.ports import Vectors
from kb_index.embedder import resolve_model

# Bump when the export recipe changes, so older exports are made again rather than reused.
EXPORT_FORMAT = 1
META_FILE = "export.json"
GRAPH_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# Files of a model folder that do not change what the model computes.
_NOT_HASHED = {"README.md", ".gitattributes"}
# Other runtimes' copies some model folders carry; they are large and not what is exported.
_NOT_HASHED_FOLDERS = {"onnx", "openvino"}


@dataclass(frozen=True)
class ExportRecord:
    """What an export folder holds: which model, how exported, and how well it agrees with torch."""

    model: str
    model_hash: str
    backend: str
    dimension: int
    max_tokens: int
    lowercase: bool
    cosine: float
    export_format: int = EXPORT_FORMAT

    def write(self, folder: Path) -> None:
        """Save the record beside the graph (the caller makes the file private)."""
        (folder / META_FILE).write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> ExportRecord | None:
        """The record of ``folder``; None when it is missing, unreadable or of another recipe."""
        try:
            data: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            record = cls(**data)
        except (OSError, ValueError, TypeError):
            return None
        complete = (folder / GRAPH_FILE).is_file() and (folder / TOKENIZER_FILE).is_file()
        return record if complete and record.export_format == EXPORT_FORMAT else None


def model_folder(configured: str) -> Path:
    """The local folder of the configured model (``bundled``, a path, or a name in the Hugging Face cache)."""
    target = Path(resolve_model(configured))
    if target.is_dir():
        return target
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(str(target), local_files_only=True))
    except Exception as exc:  # the hub client raises several unrelated types for "not cached"
        raise ConfigError(
            "settings", "model.name", f"cannot find embedding model {configured!r} on this machine: {exc}"
        ) from None


def model_hash(folder: Path) -> str:
    """SHA-256 over the model folder's files (names and contents) and the export recipe."""
    digest = hashlib.sha256(f"helpline-onnx-export/{EXPORT_FORMAT}".encode())
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or path.name in _NOT_HASHED or relative.parts[0] in _NOT_HASHED_FOLDERS:
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def export_folder(exports: Path, digest: str, backend: str) -> Path:
    """Where the export of the model with ``digest`` for ``backend`` is kept."""
    return exports / f"{digest[:24]}-{backend}"


class OnnxRunner:
    """An ONNX sentence-embedding graph and its tokenizer, run one text at a time."""

    def __init__(self, folder: Path, record: ExportRecord, threads: int | None = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: onnxruntime picks
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its warnings about unused initialisers are noise
        self._session = onnxruntime.InferenceSession(
            str(folder / GRAPH_FILE), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        tokenizer.no_padding()
        tokenizer.enable_truncation(record.max_tokens)
        self._tokenizer = tokenizer
        self._lowercase = record.lowercase
        self.record = record

    def encode(self, texts: Sequence[str], *, on_each: Callable[[], object] | None = None) -> Vectors:
        """Unit vectors for ``texts``, each computed on its own; ``on_each()`` is called after every text."""
        inputs = [text.lower() for text in texts] if self._lowercase else list(texts)
        out = np.zeros((len(inputs), self.record.dimension), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(inputs)):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            out[row] = self._session.run(None, feed)[0][0]
            if on_each is not None:
                on_each()
        return out
