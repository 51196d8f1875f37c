"""The persisted knowledge index: chunk metadata in SQLite, vectors in a FAISS file.

A build is incremental: a chunk whose embedded text (and model) is unchanged keeps its
vector, so only new or edited passages go through the model; chunks whose files were
removed are gone after the build. Nothing is ever pickled.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from core.errors import DataError, IndexNotBuiltError
from core.ports import Chunk, Embedder, SearchHit, Vectors
from kb_index.faiss_index import IndexOptions, build_index, load_index
from kb_index.ingest import article_chunks, ingest_path
from kb_index.lexical import IDENTIFIER_BOOST, IdentifierIndex, identifiers
from kb_index.vector_index import VectorIndex

log = logging.getLogger("helpline.kb")

_SCHEMA = """
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
"""
_INSERT_CHUNK = (
    "INSERT INTO chunks (row, chunk_id, doc_id, title, section, text, source, url, content_hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SELECT_CHUNKS = "SELECT chunk_id, doc_id, title, section, text, source, url FROM chunks ORDER BY row"


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


@dataclass(frozen=True)
class AddedArticle:
    """An article added from chat, now searchable."""

    doc_id: str
    title: str
    chunks: int
    report: BuildReport


def _slug(title: str) -> str:
    """A file-name-like id from a title: ``Reset your API key`` → ``reset-your-api-key``."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:60] or "article"


def content_hash(embedder_name: str, chunk: Chunk) -> str:
    """Identity of a chunk's vector: the model and exactly the text it embeds."""
    digest = hashlib.sha256(embedder_name.encode())
    digest.update(b"\0" + chunk.embedding_text().encode())
    return digest.hexdigest()


class KnowledgeBase:
    """Builds, persists and searches the knowledge index in one data directory."""

    def __init__(self, directory: Path, embedder: Embedder, options: IndexOptions | None = None) -> None:
        self.directory = directory
        self._embedder = embedder
        self._options = options or IndexOptions()
        self._lock = threading.Lock()
        # Builds (and ``kb add``) run one at a time; searches only wait for the final swap.
        self._build_lock = threading.RLock()
        self._chunks: list[Chunk] | None = None
        self._index: VectorIndex | None = None
        self._identifiers: tuple[list[Chunk], IdentifierIndex] | None = None

    @property
    def _db_path(self) -> Path:
        return self.directory / "kb.sqlite3"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self._db_path, timeout=30)) as conn:
            conn.executescript(_SCHEMA)
            yield conn

    def _meta(self, conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())

    def build(self, source: Path, *, progress: bool = False) -> BuildReport:
        """Index ``source`` (a folder, a file or a JSON-lines corpus) and every article added in chat."""
        started = time.perf_counter()
        result = ingest_path(source)
        if not result.chunks:
            detail = "; ".join(result.warnings[:5]) or "no .md, .markdown or .txt files with text"
            raise DataError(f"nothing to index in {source}: {detail}")
        with self._build_lock, self._connect() as conn:
            added = self._added_chunks(conn)
            chunks = [*result.chunks, *added]
            hashes = [content_hash(self._embedder.name, chunk) for chunk in chunks]
            old_vectors = self._reusable_vectors(conn)
            vectors, embedded = self._vectors_for(chunks, hashes, old_vectors, progress)
            index = build_index(vectors, vectors.shape[1], self._options)
            removed = len(set(old_vectors) - set(hashes))
            self._commit(conn, chunks, hashes, index, source)
            with self._lock:
                self._chunks, self._index = chunks, index
        return BuildReport(
            documents=result.documents + len({chunk.doc_id for chunk in added}),
            chunks=len(chunks),
            embedded=embedded,
            reused=len(chunks) - embedded,
            removed=removed,
            index_kind=index.kind,
            warnings=list(result.warnings),
            seconds=time.perf_counter() - started,
        )

    def add_article(self, title: str, body: str, author: str) -> AddedArticle:
        """Store an article written in chat and index it at once, next to the last build's source.

        The article is kept in the index database, so later builds include it too.
        """
        if not title.strip() or not body.strip():
            raise DataError("an article needs a title and a body")
        with self._build_lock:
            with self._connect() as conn:
                source = self._meta(conn).get("source")
                if source is None:
                    raise IndexNotBuiltError(f"no knowledge index in {self.directory}: run `helpline kb build` first")
                doc_id = f"added/{_slug(title)}-{uuid.uuid4().hex[:6]}"
                with conn:
                    conn.execute(
                        "INSERT INTO added_articles (doc_id, title, body, author, added_at) VALUES (?, ?, ?, ?, ?)",
                        (doc_id, title.strip(), body.strip(), author, datetime.now(UTC).isoformat(timespec="seconds")),
                    )
            try:
                report = self.build(Path(source))
            except Exception:
                with self._connect() as conn, conn:
                    conn.execute("DELETE FROM added_articles WHERE doc_id = ?", (doc_id,))
                raise
        chunks = sum(1 for chunk in self._load()[0] if chunk.doc_id == doc_id)
        return AddedArticle(doc_id, title.strip(), chunks, report)

    def _added_chunks(self, conn: sqlite3.Connection) -> list[Chunk]:
        """Chunks of every article added in chat, oldest first."""
        rows = conn.execute("SELECT doc_id, title, body, author FROM added_articles ORDER BY added_at, doc_id")
        return [
            chunk
            for doc_id, title, body, author in rows.fetchall()
            for chunk in article_chunks(doc_id, title, body, source=f"added in chat by {author}")
        ]

    def _reusable_vectors(self, conn: sqlite3.Connection) -> dict[str, Vectors]:
        """Vectors of the previous build by content hash, if it used the same model."""
        meta = self._meta(conn)
        index_file = meta.get("index_file")
        if not index_file or meta.get("embedder") != self._embedder.name:
            return {}
        path = self.directory / index_file
        if not path.exists():
            log.warning("%s is missing; every chunk will be embedded again", path)
            return {}
        stored = load_index(path, self._options).vectors()
        rows = conn.execute("SELECT row, content_hash FROM chunks ORDER BY row").fetchall()
        return {digest: stored[row] for row, digest in rows if row < len(stored)}

    def _vectors_for(
        self, chunks: Sequence[Chunk], hashes: Sequence[str], old: dict[str, Vectors], progress: bool
    ) -> tuple[Vectors, int]:
        """Reuse known vectors and embed the rest in one batch; returns the matrix and the count embedded."""
        todo: dict[str, str] = {}
        for chunk, digest in zip(chunks, hashes, strict=True):
            if digest not in old and digest not in todo:
                todo[digest] = chunk.embedding_text()
        fresh = self._embedder.embed(list(todo.values()), progress=progress)
        known = dict(old)
        known.update(zip(todo, fresh, strict=True))
        matrix = np.stack([known[digest] for digest in hashes]).astype(np.float32)
        return matrix, len(todo)

    def _commit(
        self, conn: sqlite3.Connection, chunks: Sequence[Chunk], hashes: Sequence[str], index: VectorIndex, source: Path
    ) -> None:
        """Write the index file under a new name, then switch the metadata to it in one transaction."""
        suffix = ".npy" if index.kind == "numpy" else ".faiss"
        name = f"index-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}{suffix}"
        index.save(self.directory / name)
        previous = self._meta(conn).get("index_file")
        rows = [
            (row, c.chunk_id, c.doc_id, c.title, c.section, c.text, c.source, c.url, digest)
            for row, (c, digest) in enumerate(zip(chunks, hashes, strict=True))
        ]
        meta = {
            "index_file": name,
            "embedder": self._embedder.name,
            "dimension": str(index.dimension),
            "index_kind": index.kind,
            "source": str(source.resolve()),  # kb add rebuilds from here, from any directory
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with conn:
            conn.execute("DELETE FROM chunks")
            conn.executemany(_INSERT_CHUNK, rows)
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
        self._remove_old_files(keep={name, previous})

    def _remove_old_files(self, keep: set[str | None]) -> None:
        """Delete index files older than the previous build (a reader may still hold that one)."""
        for path in self.directory.glob("index-*"):
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def _load(self) -> tuple[list[Chunk], VectorIndex]:
        """Read the built index once; later searches use the copy in memory."""
        with self._lock:
            if self._chunks is not None and self._index is not None:
                return self._chunks, self._index
            if not self._db_path.exists():
                raise IndexNotBuiltError(f"no knowledge index in {self.directory}: run `helpline kb build` first")
            with self._connect() as conn:
                meta = self._meta(conn)
                if "index_file" not in meta:
                    raise IndexNotBuiltError(f"no knowledge index in {self.directory}: run `helpline kb build` first")
                if meta.get("embedder") != self._embedder.name:
                    raise IndexNotBuiltError(
                        f"the knowledge index in {self.directory} was built with {meta.get('embedder')!r}, "
                        f"not {self._embedder.name!r}: run `helpline kb build` again"
                    )
                rows = conn.execute(_SELECT_CHUNKS).fetchall()
            self._chunks = [Chunk(*row) for row in rows]
            self._index = load_index(self.directory / meta["index_file"], self._options)
            return self._chunks, self._index

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """The ``k`` chunks most similar to ``vector``, best first.

        With ``query_text``, passages containing an identifier the query quotes (an error
        code, say) are considered too and get ``IDENTIFIER_BOOST`` on top of their similarity.
        """
        chunks, index = self._load()
        scores, ids = index.search(vector, k)
        found = {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}
        codes = identifiers(query_text) if query_text else set()
        matched = self._identifier_index(chunks).matches(codes) if codes else {}
        if not matched:
            return [SearchHit(chunks[i], s) for i, s in found.items()]
        extra = [row for row in matched if row not in found]
        if extra:
            similarity = index.reconstruct(extra) @ np.asarray(vector, dtype=np.float32).reshape(-1)
            found.update(zip(extra, map(float, similarity), strict=True))
        boosted = {row: min(1.0, s + IDENTIFIER_BOOST * matched.get(row, 0.0)) for row, s in found.items()}
        best = sorted(boosted, key=lambda row: -boosted[row])[:k]
        return [SearchHit(chunks[row], boosted[row]) for row in best]

    def _identifier_index(self, chunks: list[Chunk]) -> IdentifierIndex:
        """Built on first use, per loaded chunk list."""
        with self._lock:
            if self._identifiers is None or self._identifiers[0] is not chunks:
                texts = [f"{c.title}\n{c.section}\n{c.text}" for c in chunks]
                self._identifiers = (chunks, IdentifierIndex(texts))
            return self._identifiers[1]

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        """Embed ``text`` and search with it, identifiers included."""
        self._load()  # fail fast, before paying for the model, when nothing is built
        return self.search(self._embedder.embed([text]), k, query_text=text)

    def stats(self) -> KbStats:
        """Counts and provenance of the current index."""
        chunks, index = self._load()
        with self._connect() as conn:
            meta = self._meta(conn)
        size = sum(p.stat().st_size for p in self.directory.iterdir() if p.is_file())
        return KbStats(
            chunks=len(chunks),
            documents=len({c.doc_id for c in chunks}),
            index_kind=index.kind,
            dimension=index.dimension,
            embedder=meta.get("embedder", "?"),
            source=meta.get("source", "?"),
            built_at=meta.get("built_at", "?"),
            directory=self.directory,
            size_bytes=size,
        )

    def __len__(self) -> int:
        """Number of searchable chunks (0 when nothing is built)."""
        try:
            return len(self._load()[0])
        except IndexNotBuiltError:
            return 0
