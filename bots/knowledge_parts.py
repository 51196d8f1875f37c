"""The knowledge parts the composition root and the CLI build: the index, its FAISS options, the gap report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import kb_index
from bots.embedders import build_embedder
from config.settings import Settings
from core.knowledge.gaps import GapFinder
from core.ports import Embedder, KnowledgeIndex
from core.stores import Stores
from kb_index.clustering import clusterer_for
from kb_index.faiss_index import IndexOptions
from kb_index.knowledge_base import KnowledgeBase

SAMPLE_KB = Path(kb_index.__file__).resolve().parent / "sample_kb"
log = logging.getLogger("helpline")


def index_options(settings: Settings) -> IndexOptions:
    """FAISS choices from the knowledge settings."""
    k = settings.knowledge
    return IndexOptions(
        k.index, k.approximate_above, k.hnsw_m, k.ef_construction, k.ef_search, k.ivf_above, k.ivf_nprobe
    )


def knowledge_source(settings: Settings) -> Path:
    """The configured knowledge-base folder or corpus; the bundled sample KB by default."""
    return settings.knowledge.source or SAMPLE_KB


def build_knowledge_base(settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
    """The knowledge index in ``<data_dir>/kb``."""
    embedder = embedder or build_embedder(settings)
    grace = settings.knowledge.keep_replaced
    return KnowledgeBase(settings.data_dir / "kb", embedder, index_options(settings), grace_seconds=grace)


def gap_finder(settings: Settings, stores: Stores, embedder: Embedder, index: KnowledgeIndex | None) -> GapFinder:
    """The knowledge-gap report over the kept questions (scikit-learn loads on the first report)."""
    gaps = settings.knowledge.gaps
    clusterer = clusterer_for(gaps.method, gaps.distance)
    return GapFinder(stores.gaps, embedder, clusterer, index, settings.support.answer_score, gaps.policy())


def build_index(
    knowledge: KnowledgeBase, embedder: Embedder, configured: Path, on_first_build: Callable[[Path], None] | None
) -> None:
    """Build the index that is missing, or rebuild the one made with another model or backend from its own source.

    Vectors of two embedders never mix: a rebuild embeds every passage again.
    """
    previous = knowledge.built_with()
    if previous is not None and previous[0] != embedder.name:
        source = previous[1] if previous[1] is not None and previous[1].exists() else configured
        log.warning(
            "the knowledge index was built with %s, not %s: rebuilding it from %s", previous[0], embedder.name, source
        )
    else:
        source = configured
        if on_first_build is None:
            log.warning("no knowledge index yet: building it from %s (first run only)", source)
    if on_first_build is not None:
        on_first_build(source)
    knowledge.build(source, progress=on_first_build is None)
