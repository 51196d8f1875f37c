"""Shared fixtures: the real model is loaded at most once per test session, PostgreSQL started at most once."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bots.bootstrap import SAMPLE_KB, build_embedder
from config.settings import ModelSettings, Settings
from core.ports import Embedder
from core.privacy.logs import RedactingFilter
from kb_index.knowledge_base import KnowledgeBase
from tests import postgres

EXPORTS_ENV = "HELPLINE_MODEL__EXPORT_DIR"


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2 on torch, the reference the ONNX exports are checked against.

    The quality thresholds of the tests using it were set on torch; tests/integration/test_onnx_real.py
    holds the default backend (onnx-int8) to its own.
    """
    embedder = build_embedder(Settings(model=ModelSettings(backend="torch")))
    assert embedder.dimension == 384  # loads the model now, once
    return embedder


@pytest.fixture(scope="session")
def onnx_exports() -> Path:
    """The session's folder of ONNX exports (``$HELPLINE_MODEL__EXPORT_DIR``): the model is exported once per run."""
    return Path(os.environ[EXPORTS_ENV])


@pytest.fixture(scope="session")
def sample_kb(real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The shipped sample knowledge base, indexed with the real model."""
    knowledge = KnowledgeBase(tmp_path_factory.mktemp("sample-kb"), real_embedder)
    knowledge.build(SAMPLE_KB)
    return knowledge


@pytest.fixture(autouse=True)
def _no_log_redaction_left_behind() -> Iterator[None]:
    """A test that runs the CLI puts redacting filters on every handler, pytest's own too: take them off after."""
    yield
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", ()):
            for found in [each for each in handler.filters if isinstance(each, RedactingFilter)]:
                handler.removeFilter(found)


@pytest.fixture
def data_root() -> Path:
    """The repository's test data folder."""
    return Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a running PostgreSQL: ``$HELPLINE_TEST_POSTGRES_URL``, or one pgserver starts now."""
    existing = os.environ.get(postgres.ENV_URL, "").strip()
    if existing:
        yield existing
        return
    # Not under pytest's basetemp: pytest prunes old basetemp folders, and another pytest run on the
    # same machine could delete the data folder (and socket) of a server that is still in use.
    with tempfile.TemporaryDirectory(prefix="helpline-pg-") as folder:
        yield from postgres.started_server(Path(folder) / "pgdata")


@pytest_asyncio.fixture
async def postgres_url(postgres_server: str) -> AsyncIterator[str]:
    """The asyncpg URL of a fresh, empty database on that server, dropped after the test."""
    url = await postgres.create_database(postgres_server)
    try:
        yield url
    finally:
        await postgres.drop_database(postgres_server, url)


def pytest_configure(config: pytest.Config) -> None:
    """Every process the tests start shares one folder of ONNX exports, so the model is exported once per run."""
    if not os.environ.get(EXPORTS_ENV):
        folder = Path(tempfile.mkdtemp(prefix="helpline-onnx-"))
        os.environ[EXPORTS_ENV] = str(folder)
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the PostgreSQL fixtures carries the ``postgres`` marker, so ``-m`` selects it."""
    for item in items:
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
