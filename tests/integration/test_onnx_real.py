"""The ONNX backends on the bundled model: the export, its agreement with torch, batch independence, no torch."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bots.bootstrap import SAMPLE_KB
from core.errors import ConfigError
from kb_index.knowledge_base import KnowledgeBase
from kb_index.onnx_embedder import OnnxEmbedder
from kb_index.onnx_export import MIN_COSINE
from kb_index.onnx_model import GRAPH_FILE, TOKENIZER_FILE
from tests.integration.test_sample_kb import shipped_query_scores

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[2]
NEIGHBOURS = [
    "hi",
    "My invoice shows two charges for the same month and the support page does not say how to get one back.",
    "deploy failed E1043",
    "Where do I change the e-mail address my receipts go to? I looked in Settings and in Billing already.",
]
TEXT = "How do I reset my password?"


@pytest.fixture(scope="module", params=["onnx-int8", "onnx"])
def onnx_embedder(request: pytest.FixtureRequest, onnx_exports: Path) -> OnnxEmbedder:
    """The bundled model on an ONNX backend, exported into the session's folder on first use."""
    return OnnxEmbedder(backend=request.param, exports=onnx_exports)


def test_the_export_agrees_with_torch_and_is_private(onnx_embedder: OnnxEmbedder, onnx_exports: Path) -> None:
    record = onnx_embedder.record
    assert record.cosine >= MIN_COSINE
    assert record.dimension == onnx_embedder.dimension == 384
    folder = next(onnx_exports.glob(f"{record.model_hash[:24]}-{record.backend}"))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in (GRAPH_FILE, TOKENIZER_FILE, "export.json"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


def test_a_vector_does_not_depend_on_its_batch(onnx_embedder: OnnxEmbedder) -> None:
    alone = onnx_embedder.embed([TEXT])[0]
    for position in range(len(NEIGHBOURS) + 1):
        batch = [*NEIGHBOURS[:position], TEXT, *NEIGHBOURS[position:]]
        assert np.abs(onnx_embedder.embed(batch)[position] - alone).max() <= 1e-6
    assert np.linalg.norm(alone) == pytest.approx(1.0, abs=1e-5)


def test_close_meanings_stay_close(onnx_embedder: OnnxEmbedder) -> None:
    question, paraphrase, unrelated = onnx_embedder.embed(
        [TEXT, "I forgot my password, how can I set a new one?", "Which regions host the managed database?"]
    )
    assert float(question @ paraphrase) > float(question @ unrelated) + 0.3


def test_a_second_process_reuses_the_export(onnx_embedder: OnnxEmbedder, onnx_exports: Path) -> None:
    first = onnx_embedder.record
    again = OnnxEmbedder(backend=first.backend, exports=onnx_exports)
    assert again.record == first
    assert np.array_equal(again.embed([TEXT]), onnx_embedder.embed([TEXT]))


def test_the_sample_kb_is_answered_as_well_as_on_torch(onnx_embedder: OnnxEmbedder, tmp_path: Path) -> None:
    knowledge = KnowledgeBase(tmp_path / "kb", onnx_embedder)
    knowledge.build(SAMPLE_KB)
    scores = shipped_query_scores(knowledge)
    # Torch scores mrr@10 0.9587 and recall@5 1.0 here (docs/benchmarks.md); the same bars as its test.
    assert scores.recall_at_5 >= 0.9
    assert scores.mrr_at_10 >= 0.8


SERVING = """
import sys
from bots.cli import run
code = run(["chat", "--json"])
loaded = sorted(name for name in ("torch", "sentence_transformers", "transformers") if name in sys.modules)
print("LOADED " + json.dumps(loaded), file=sys.stderr)
sys.exit(code)
"""


def test_serving_with_an_existing_export_imports_neither_torch_nor_sentence_transformers(
    onnx_embedder: OnnxEmbedder, onnx_exports: Path, tmp_path: Path
) -> None:
    onnx_embedder.record  # noqa: B018 - the export exists before the server starts
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELPLINE_")}
    env.update(
        HELPLINE_DATA_DIR=str(tmp_path / "data"),
        HELPLINE_MODEL__EXPORT_DIR=str(onnx_exports),
        HELPLINE_MODEL__BACKEND=onnx_embedder.record.backend,
        HF_HUB_OFFLINE="1",
        PYTHONPATH=str(REPO),
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + SERVING],
        input="How do I reset my password?\nquit\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert any("password" in json.dumps(reply).lower() for reply in replies), done.stdout
    loaded = json.loads(done.stderr.rsplit("LOADED ", 1)[1])
    assert "torch" not in loaded and "sentence_transformers" not in loaded


def test_an_export_that_disagrees_with_torch_is_refused_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kb_index.onnx_export.MIN_COSINE", 1.01)  # no int8 export can agree this well
    exports = tmp_path / "exports"
    with pytest.raises(ConfigError) as caught:
        OnnxEmbedder(backend="onnx-int8", exports=exports).embed([TEXT])
    assert caught.value.key == "model.backend"
    assert "'bundled'" in caught.value.problem and "mean cosine 0.99" in caught.value.problem
    assert [path.name for path in exports.iterdir()] == [".export.lock"]  # nothing half-made is left to load
