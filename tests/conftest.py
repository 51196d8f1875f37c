"""Shared fixtures: the real model is loaded at most once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.bootstrap import SAMPLE_KB, build_embedder
from config.settings import Settings
from core.ports import Embedder
from kb_index.knowledge_base import KnowledgeBase


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, shared with any CLI command run in this process."""
    embedder = build_embedder(Settings())
    assert embedder.dimension == 384  # loads the model now, once
    return embedder


@pytest.fixture(scope="session")
def sample_kb(real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The shipped sample knowledge base, indexed with the real model."""
    knowledge = KnowledgeBase(tmp_path_factory.mktemp("sample-kb"), real_embedder)
    knowledge.build(SAMPLE_KB)
    return knowledge


@pytest.fixture
def data_root() -> Path:
    """The repository's test data folder."""
    return Path(__file__).resolve().parent / "data"
