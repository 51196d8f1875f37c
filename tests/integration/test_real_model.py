from __future__ import annotations

import os

import numpy as np
import pytest

from core.errors import ConfigError
from core.ports import Embedder
from kb_index.embedder import SentenceTransformerEmbedder, resolve_model

pytestmark = pytest.mark.model


def test_bundled_model_gives_unit_vectors_where_paraphrases_are_closest(real_embedder: Embedder) -> None:
    vectors = real_embedder.embed(
        ["I forgot my password and cannot log in", "how do I reset my login password", "the invoice amount is wrong"]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_bundled_model_loads_offline(real_embedder: Embedder) -> None:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert real_embedder.name == "sentence-transformers/all-MiniLM-L6-v2"


def test_a_configured_model_path_replaces_the_bundled_model(real_embedder: Embedder) -> None:
    path = resolve_model("bundled")
    custom = SentenceTransformerEmbedder(path, threads=1)
    assert custom.name == path
    text = ["my app returns 502 after deploy"]
    np.testing.assert_allclose(custom.embed(text), real_embedder.embed(text), atol=1e-5)


def test_an_unknown_model_is_a_config_error_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match=r"model\.name: cannot load embedding model 'no-such/model-xyz'"):
        SentenceTransformerEmbedder("no-such/model-xyz").embed(["hello"])
