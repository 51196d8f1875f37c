"""Choosing the embedding backend: the setting, the embedder it builds, and names that never mix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.embedders import build_embedder
from config.settings import ModelSettings, Settings, load_settings
from core.errors import ConfigError
from core.understanding.classifier import train_head
from kb_index.embedder import SentenceTransformerEmbedder
from kb_index.onnx_embedder import OnnxEmbedder
from tests.fakes import HashingEmbedder


def test_the_default_backend_is_onnx_int8_with_exports_in_the_data_directory(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.model.backend == "onnx-int8"
    assert settings.model_exports() == tmp_path / "models"


def test_a_misspelt_backend_names_the_file_and_the_key(tmp_path: Path) -> None:
    config = tmp_path / "helpline.yaml"
    config.write_text("model:\n  backend: onnx-int4\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    assert caught.value.path == str(config)
    assert caught.value.key == "model.backend"
    assert "onnx-int8" in caught.value.problem


def test_the_backend_can_come_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(None, env={"HELPLINE_MODEL__BACKEND": "torch", "HELPLINE_DATA_DIR": str(tmp_path)})
    assert settings.model.backend == "torch"


def test_a_relative_export_folder_is_relative_to_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "helpline.yaml"
    config.parent.mkdir()
    config.write_text("model:\n  export_dir: exports\n", encoding="utf-8")
    assert load_settings(config, env={}).model_exports() == tmp_path / "conf" / "exports"


def test_each_backend_builds_its_embedder_and_says_its_name_without_loading_anything(tmp_path: Path) -> None:
    def built(backend: str) -> object:
        return build_embedder(Settings(data_dir=tmp_path, model=ModelSettings(backend=backend)))

    torch, onnx, int8 = built("torch"), built("onnx"), built("onnx-int8")
    assert isinstance(torch, SentenceTransformerEmbedder)
    assert isinstance(onnx, OnnxEmbedder) and isinstance(int8, OnnxEmbedder)
    names = {torch.name, onnx.name, int8.name}
    assert len(names) == 3  # vectors of different backends never share an index or an intent head
    assert int8.name == "sentence-transformers/all-MiniLM-L6-v2 (onnx-int8)"
    assert built("onnx-int8") is int8  # one instance per process


def test_the_intent_head_cache_is_kept_per_backend(tmp_path: Path) -> None:
    pairs = [("how do I reset my password", "how_to"), ("the app crashes", "bug"), ("hello", "greeting")]
    one = HashingEmbedder(name="model (onnx-int8)")
    other = HashingEmbedder(name="model (torch)")
    train_head(one, pairs, cache_dir=tmp_path)
    first_cache = {path.name for path in tmp_path.glob("head-*.npz")}
    train_head(other, pairs, cache_dir=tmp_path)
    assert other.embedded_texts  # the second backend trained its own head instead of reading the first's
    assert {path.name for path in tmp_path.glob("head-*.npz")}.isdisjoint(first_cache)
