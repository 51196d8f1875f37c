"""Exporting a sentence-transformers model to ONNX (optionally int8), checked against torch before use.

This is the only place the ONNX backends touch torch, and only while exporting: the graph takes
token ids and the attention mask and returns L2-normalised mean-pooled vectors, so serving needs
onnxruntime and a tokenizer, nothing else. Weights are quantised per channel with dynamic
activation scales; ``OnnxRunner`` runs each text alone, which keeps a text's vector independent of
its batch (docs/benchmarks.md compares this with static quantisation).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import ConfigError
from core.files import FILE_MODE
from kb_index.onnx_model import GRAPH_FILE, TOKENIZER_FILE, ExportRecord, OnnxRunner

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger("helpline.embedder")

# An export agreeing less than this with the torch model on CHECK_TEXTS (mean cosine) is refused.
MIN_COSINE = 0.99
OPSET = 17
# Fixed texts the export is checked on: short and long, questions, complaints, error codes, small talk.
CHECK_TEXTS = (
    "How do I reset my password?",
    "hi there",
    "The deploy failed with error E1043 after I pushed a new branch, what does that mean?",
    "Can I get a refund for last month's invoice? I was charged twice.",
    "my app keeps crashing on startup since the last update",
    "Where can I find my API token?",
    "thanks, that fixed it!",
    "Is there a way to export all tickets as CSV for our quarterly review?",
    "The dashboard is really slow today and half the charts do not load at all.",
    "how to invite a teammate to the workspace",
    "I want to cancel my subscription and delete my account together with all the data you keep about me.",
    "What are your support hours on weekends?",
    "Webhook deliveries return 401 even though the signing secret is the one shown in the settings page.",
    "lol this is so broken",
    "Which regions can I run the managed database in, and can I move an existing one between them?",
    "Two-factor codes from my authenticator app are always rejected.",
)


def _pipeline_parts(model: SentenceTransformer, name: str) -> tuple[Any, bool]:
    """The transformer module and whether it lowercases; refuses pipelines the graph cannot reproduce."""
    kinds = [type(module).__name__ for module in model]
    if kinds[:2] != ["Transformer", "Pooling"] or any(kind != "Normalize" for kind in kinds[2:]):
        raise ConfigError(
            "settings",
            "model.backend",
            f"model {name!r} is {' -> '.join(kinds)}; only Transformer -> Pooling (-> Normalize) exports to ONNX: "
            "set model.backend: torch",
        )
    pooling: Any = model[1]
    config = pooling.get_config_dict()
    # sentence-transformers 6 names one mode; older releases set one flag per mode.
    flags = {key for key, value in config.items() if key.startswith("pooling_mode_") and value is True}
    mean = config.get("pooling_mode", "mean") == "mean" and flags <= {"pooling_mode_mean_tokens"}
    if not mean or not (flags or config.get("pooling_mode")):
        raise ConfigError(
            "settings", "model.backend", f"model {name!r} does not use mean pooling: set model.backend: torch"
        )
    transformer = model[0]
    if getattr(transformer, "tokenizer", None) is None or not hasattr(transformer.tokenizer, "backend_tokenizer"):
        raise ConfigError(
            "settings",
            "model.backend",
            f"model {name!r} has no fast tokenizer (tokenizer.json): set model.backend: torch",
        )
    return transformer, bool(getattr(transformer, "do_lower_case", False))


def _export_graph(auto_model: Any, target: Path) -> None:
    """Trace the transformer with mean pooling and L2 normalisation into one ONNX graph."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    # Two rows, the second padded, so the traced graph keeps the attention mask's path.
    ids = torch.full((2, 16), 101, dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    mask[1, 8:] = 0
    axes = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "embedding": {0: "batch"},
    }
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer's notes on Python branches and its own deprecation are not the user's to act on.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(auto_model).eval(),
            (ids, mask),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,  # the torch.export-based exporter needs onnxscript; tracing needs nothing more
        )


def _quantise(source: Path, target: Path, work: Path) -> None:
    """Dynamic int8: weights per output channel, activations scaled per run."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    prepared = work / "prepared.onnx"
    # The quantiser logs a line per tensor at INFO on the root logger: noise for whoever reads the log.
    logging.disable(logging.INFO)
    try:
        # Symbolic shape inference cannot follow the attention mask's shapes; ONNX's own inference suffices.
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        quantize_dynamic(str(prepared), str(target), per_channel=True, weight_type=QuantType.QInt8)
    finally:
        logging.disable(logging.NOTSET)


def export_model(
    folder: Path, name: str, backend: str, digest: str, target: Path, threads: int | None = 1
) -> ExportRecord:
    """Export the model in ``folder`` for ``backend`` into ``target`` (which must not exist), or refuse.

    The export is written in a private temporary folder beside ``target`` and renamed into place
    only once it agrees with the torch model (mean cosine at least ``MIN_COSINE`` on ``CHECK_TEXTS``).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # exporting never needs the network
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from sentence_transformers import SentenceTransformer

    log.info("exporting embedding model %s to ONNX (%s); first use only", name, backend)
    try:
        model = SentenceTransformer(str(folder), device="cpu")
    except (OSError, ValueError) as exc:
        raise ConfigError("settings", "model.name", f"cannot load embedding model {name!r}: {exc}") from exc
    transformer, lowercase = _pipeline_parts(model, name)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))  # mkdtemp makes it 0700
    try:
        fp32 = work / ("fp32.onnx" if backend == "onnx-int8" else GRAPH_FILE)
        _export_graph(transformer.auto_model, fp32)
        if backend == "onnx-int8":
            _quantise(fp32, work / GRAPH_FILE, work)
            for scratch in (fp32, work / "prepared.onnx"):
                scratch.unlink(missing_ok=True)
        transformer.tokenizer.backend_tokenizer.save(str(work / TOKENIZER_FILE))
        dimension = int(model.encode(["dimension"], convert_to_numpy=True, show_progress_bar=False).shape[1])
        record = ExportRecord(name, digest, backend, dimension, int(model.max_seq_length or 512), lowercase, 0.0)
        cosine = _agreement(model, OnnxRunner(work, record, threads))
        if cosine < MIN_COSINE:
            raise ConfigError(
                "settings",
                "model.backend",
                f"the {backend} export of {name!r} agrees with the torch model only at mean cosine {cosine:.4f} "
                f"(at least {MIN_COSINE} needed): set model.backend to onnx or torch",
            )
        record = ExportRecord(name, digest, backend, dimension, record.max_tokens, lowercase, round(cosine, 6))
        record.write(work)
        for path in work.iterdir():
            path.chmod(FILE_MODE)
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("exported %s (%s): mean cosine %.4f to torch", name, backend, record.cosine)
    return record


def _agreement(model: SentenceTransformer, runner: OnnxRunner) -> float:
    """Mean cosine between the torch model's and the export's vectors of ``CHECK_TEXTS``."""
    texts = list(CHECK_TEXTS)
    reference = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    exported = runner.encode(texts)
    return float(np.mean(np.sum(reference * exported, axis=1)))
