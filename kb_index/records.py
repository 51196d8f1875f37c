"""What the knowledge base stores and reports: the authoring database's schema, build reports, stats."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from core.ports import Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    row INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    content_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS added_articles (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS retired_added (doc_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS published_articles (
    doc_id TEXT PRIMARY KEY,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT
);
CREATE TABLE IF NOT EXISTS published_phrasings (
    doc_id TEXT NOT NULL,
    question TEXT NOT NULL,
    PRIMARY KEY (doc_id, question)
);
"""
INSERT_CHUNK = (
    "INSERT INTO chunks (row, chunk_id, doc_id, title, section, text, source, url, content_hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SELECT_CHUNKS = "SELECT chunk_id, doc_id, title, section, text, source, url, content_hash FROM chunks ORDER BY row"
# Old versions stay on disk this long after a newer one replaced them, for processes still loading them.
DEFAULT_GRACE_SECONDS = 600.0


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI and the logs."""

    documents: int
    chunks: int
    embedded: int
    reused: int
    removed: int
    index_kind: str
    warnings: list[str]
    seconds: float


@dataclass(frozen=True)
class KbStats:
    """What is in the index now."""

    chunks: int
    documents: int
    index_kind: str
    dimension: int
    embedder: str
    source: str
    built_at: str
    directory: Path
    size_bytes: int
    version: str = ""


@dataclass(frozen=True)
class AddedArticle:
    """An article added from chat, now searchable."""

    doc_id: str
    title: str
    chunks: int
    report: BuildReport


@dataclass(frozen=True)
class Published:
    """What publishing the Helpline-written articles did (``KnowledgeEditor.publish``)."""

    chunks: int  # passages of the published articles now served
    embedded: int  # texts that went through the model: new or edited passages and new phrasings
    version: str  # the snapshot every process now serves
    phrasings: int  # phrasings that count for an article now served
    report: BuildReport


def slug(title: str) -> str:
    """A file-name-like id from a title: ``Reset your API key`` → ``reset-your-api-key``."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:60] or "article"


def content_hash(embedder_name: str, chunk: Chunk) -> str:
    """Identity of a chunk's vector: the model and exactly the text it embeds."""
    digest = hashlib.sha256(embedder_name.encode())
    digest.update(b"\0" + chunk.embedding_text().encode())
    return digest.hexdigest()
