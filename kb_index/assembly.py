"""Putting one version of the index together: vectors for its passages, headings and phrasings.

Whatever the newest version already embedded with the same model is reused (passages by content
hash, headings and phrasings by their text), so a build only pays the model for what is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from core.ports import Chunk, Embedder, Vectors
from kb_index.faiss_index import IndexOptions, build_index
from kb_index.ranking import HeadingVectors, PhrasingVectors
from kb_index.records import content_hash
from kb_index.snapshots import Snapshot
from kb_index.vector_index import VectorIndex


@dataclass(frozen=True)
class Reusable:
    """What a version embedded: passages by content hash, headings and phrasings by text."""

    passages: dict[str, Vectors] = field(default_factory=dict)
    headings: dict[str, Vectors] = field(default_factory=dict)
    phrasings: dict[str, Vectors] = field(default_factory=dict)

    @classmethod
    def of(cls, previous: Snapshot | None, model: str) -> Reusable:
        """The vectors of ``previous`` when it was built with ``model`` (none otherwise)."""
        if previous is None or previous.meta.get("embedder") != model:
            return cls()
        stored = previous.index.vectors()
        return cls(
            {digest: stored[row] for row, digest in enumerate(previous.hashes) if row < len(stored)},
            previous.headings.by_text(previous.chunks) if previous.headings is not None else {},
            previous.phrasings.by_text() if previous.phrasings is not None else {},
        )


@dataclass(frozen=True)
class Assembled:
    """A version's vectors, ready to be written, and what it cost."""

    hashes: list[str]
    index: VectorIndex
    headings: HeadingVectors
    phrasings: PhrasingVectors
    embedded: int  # passages that went through the model
    phrased: int  # phrasings that went through the model
    removed: int  # passages of the previous version that are gone


def assemble(
    chunks: Sequence[Chunk],
    phrasings: Sequence[tuple[str, str]],
    embedder: Embedder,
    options: IndexOptions,
    old: Reusable,
    *,
    progress: bool = False,
) -> Assembled:
    """Vectors for ``chunks`` and the ``(doc_id, question)`` phrasings, embedding only what ``old`` lacks."""

    def embed(texts: list[str]) -> Vectors:
        return embedder.embed(texts, progress=progress)

    hashes = [content_hash(embedder.name, chunk) for chunk in chunks]
    todo: dict[str, str] = {}
    for chunk, digest in zip(chunks, hashes, strict=True):
        if digest not in old.passages and digest not in todo:
            todo[digest] = chunk.embedding_text()
    known = dict(old.passages)
    known.update(zip(todo, embed(list(todo.values())), strict=True))
    vectors = np.stack([known[digest] for digest in hashes]).astype(np.float32)
    index = build_index(vectors, vectors.shape[1], options)
    headings, _ = HeadingVectors.build(chunks, embed, old.headings, index.dimension)
    phrased, phrasing_count = PhrasingVectors.build(phrasings, embed, old.phrasings, index.dimension)
    removed = len(set(old.passages) - set(hashes))
    return Assembled(hashes, index, headings, phrased, len(todo), phrasing_count, removed)
