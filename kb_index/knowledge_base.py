"""The persisted knowledge index: versioned snapshots (passages and vectors) that every process can follow.

A build is incremental: a chunk whose embedded text (and model) is unchanged keeps its
vector, so only new or edited passages go through the model; chunks whose files were
removed are gone after the build. Each build writes a new snapshot and switches a pointer
to it (``kb_index.snapshots``); ``refresh`` makes any other process serve it too. Articles
added in chat are kept in ``kb.sqlite3`` so later builds include them. Nothing is ever pickled.
"""

from __future__ import annotations

import fcntl
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from core.errors import DataError, IndexNotBuiltError
from core.files import private_dir, private_file
from core.ports import Chunk, Embedder, SearchHit, Vectors
from kb_index.faiss_index import IndexOptions, build_index, load_index
from kb_index.ingest import article_chunks, ingest_path
from kb_index.ranking import HeadingVectors, Ranker
from kb_index.records import (
    DEFAULT_GRACE_SECONDS,
    SCHEMA,
    SELECT_CHUNKS,
    AddedArticle,
    BuildReport,
    KbStats,
    content_hash,
    slug,
)
from kb_index.snapshots import Snapshot, SnapshotError, SnapshotFolder
from kb_index.vector_index import VectorIndex

log = logging.getLogger("helpline.kb")


class KnowledgeBase:
    """Builds, persists and searches the knowledge index in one data directory."""

    def __init__(
        self,
        directory: Path,
        embedder: Embedder,
        options: IndexOptions | None = None,
        *,
        grace_seconds: float = DEFAULT_GRACE_SECONDS,
    ) -> None:
        self.directory = directory
        self._embedder = embedder
        self._options = options or IndexOptions()
        self._grace = grace_seconds
        self._folder = SnapshotFolder(directory)
        self._lock = threading.Lock()
        # Builds (and ``kb add``) run one at a time, across processes too; searches only wait for the final swap.
        self._build_lock = threading.RLock()
        self._current: Snapshot | None = None
        self._holding_file_lock = False
        self._ranker: Ranker | None = None

    @property
    def _db_path(self) -> Path:
        return self.directory / "kb.sqlite3"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        private_file(self._db_path)
        with closing(sqlite3.connect(self._db_path, timeout=30)) as conn:
            conn.executescript(SCHEMA)
            yield conn

    def _meta(self, conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This thread's build lock, and a lock file that makes builds in other processes wait (re-entrant)."""
        with self._build_lock:
            if self._holding_file_lock:
                yield
                return
            private_dir(self.directory)
            with (self.directory / ".build.lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                self._holding_file_lock = True
                try:
                    yield
                finally:
                    self._holding_file_lock = False
                    fcntl.flock(lock, fcntl.LOCK_UN)

    def build(self, source: Path, *, progress: bool = False) -> BuildReport:
        """Index ``source`` (a folder, a file or a JSON-lines corpus) and every article added in chat."""
        started = time.perf_counter()
        result = ingest_path(source)
        if not result.chunks:
            detail = "; ".join(result.warnings[:5]) or "no .md, .markdown or .txt files with text"
            raise DataError(f"nothing to index in {source}: {detail}")
        with self._exclusive(), self._connect() as conn:
            added = self._added_chunks(conn)
            chunks = [*result.chunks, *added]
            hashes = [content_hash(self._embedder.name, chunk) for chunk in chunks]
            old_vectors, old_headings = self._reusable_vectors(conn)
            vectors, embedded = self._vectors_for(chunks, hashes, old_vectors, progress)
            index = build_index(vectors, vectors.shape[1], self._options)
            headings, _ = HeadingVectors.build(
                chunks, lambda texts: self._embedder.embed(texts, progress=progress), old_headings, index.dimension
            )
            removed = len(set(old_vectors) - set(hashes))
            self._commit(chunks, hashes, index, source, headings)
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
        with self._exclusive():
            self.refresh()  # the newest build decides the source, whichever process made it
            source = self._snapshot().meta.get("source")
            if source is None:
                raise IndexNotBuiltError(f"no knowledge index in {self.directory}: run `helpline kb build` first")
            with self._connect() as conn:
                doc_id = f"added/{slug(title)}-{uuid.uuid4().hex[:6]}"
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

    def _reusable_vectors(self, conn: sqlite3.Connection) -> tuple[dict[str, Vectors], dict[str, Vectors]]:
        """Vectors of the newest build by content hash, and its heading vectors by text, if it used the same model."""
        try:
            previous = self._read_newest(conn)
        except (SnapshotError, OSError, ValueError) as exc:
            log.warning("the previous knowledge index cannot be reused (%s); every chunk will be embedded again", exc)
            return {}, {}
        if previous is None or previous.meta.get("embedder") != self._embedder.name:
            return {}, {}
        stored = previous.index.vectors()
        headings = previous.headings.by_text(previous.chunks) if previous.headings is not None else {}
        return {digest: stored[row] for row, digest in enumerate(previous.hashes) if row < len(stored)}, headings

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
        self, chunks: list[Chunk], hashes: list[str], index: VectorIndex, source: Path, headings: HeadingVectors
    ) -> None:
        """Write a new snapshot, switch the pointer and this process to it, and prune replaced ones."""
        meta = {
            "embedder": self._embedder.name,
            "dimension": str(index.dimension),
            "index_kind": index.kind,
            "source": str(source.resolve()),  # kb add rebuilds from here, from any directory
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        version = self._folder.write(chunks, hashes, index, meta, headings)
        with self._lock:
            self._current = Snapshot(version, chunks, hashes, index, meta, headings)
        for old in self._folder.prune(self._grace, keep={version}):
            log.info("knowledge index: removed version %s, replaced more than %.0f s ago", old, self._grace)

    def _read_newest(self, conn: sqlite3.Connection | None = None) -> Snapshot | None:
        """The version the pointer names (or an index built before snapshots existed); None if never built."""
        version = self._folder.current()
        if version is not None:
            if self._current is not None and self._current.version == version:
                return self._current
            return self._folder.load(version, self._options)
        if conn is None and not self._db_path.exists():
            return None  # nothing was ever built here; reading must not create files
        if conn is None:
            with self._connect() as own:
                return self._legacy(own)
        return self._legacy(conn)

    def _legacy(self, conn: sqlite3.Connection) -> Snapshot | None:
        """An index written by Helpline 0.1 (chunks in kb.sqlite3 beside one index file), if there is one."""
        meta = self._meta(conn)
        name = meta.get("index_file", "")
        path = self.directory / name
        if not name.startswith("index-") or path.parent != self.directory or not path.is_file():
            return None
        rows = conn.execute(SELECT_CHUNKS).fetchall()
        chunks, hashes = [Chunk(*row[:7]) for row in rows], [str(row[7]) for row in rows]
        return Snapshot("legacy", chunks, hashes, load_index(path, self._options), meta)

    def refresh(self) -> bool:
        """Serve the newest version if it is not the one served now; False when unchanged or refused.

        Searches already running keep the version they started with. A pointer or snapshot that
        cannot be trusted is logged and the current version kept.
        """
        try:
            newest = self._read_newest()
            if newest is None or (self._current is not None and newest.version == self._current.version):
                return False
            self._check_model(newest)
        except (SnapshotError, IndexNotBuiltError, OSError, ValueError) as exc:
            kept = self._current.version if self._current else "none"
            log.error("knowledge index: refused the newest version (%s); still serving version %s", exc, kept)
            return False
        with self._lock:
            if self._current is not None and self._current.version > newest.version:
                return False  # a build in this process finished while this older version was loading
            self._current = newest
        log.info("knowledge index: now serving version %s (%d passages)", newest.version, len(newest.chunks))
        return True

    def built_with(self) -> tuple[str, Path | None] | None:
        """The embedder name and source of the newest build, whatever model made it; None if there is none."""
        try:
            newest = self._read_newest()
        except (SnapshotError, OSError, ValueError):
            return None
        if newest is None:
            return None
        source = newest.meta.get("source")
        return newest.meta.get("embedder", "?"), Path(source) if source else None

    def _check_model(self, snapshot: Snapshot) -> None:
        built_with = snapshot.meta.get("embedder")
        if built_with != self._embedder.name:
            raise IndexNotBuiltError(
                f"the knowledge index in {self.directory} was built with {built_with!r}, "
                f"not {self._embedder.name!r}: run `helpline kb build` again"
            )

    def _snapshot(self) -> Snapshot:
        """The version served now, read on first use."""
        current = self._current
        if current is not None:
            return current
        try:
            newest = self._read_newest()
        except (SnapshotError, OSError, ValueError) as exc:
            raise IndexNotBuiltError(
                f"the knowledge index in {self.directory} cannot be used ({exc}): run `helpline kb build` again"
            ) from None
        if newest is None:
            raise IndexNotBuiltError(f"no knowledge index in {self.directory}: run `helpline kb build` first")
        self._check_model(newest)
        with self._lock:
            if self._current is None:
                self._current = newest
            return self._current

    def _load(self) -> tuple[list[Chunk], VectorIndex]:
        """The served version's passages and vectors (in memory after the first read)."""
        snapshot = self._snapshot()
        return snapshot.chunks, snapshot.index

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """The ``k`` passages that best answer the question, best first (``kb_index.ranking`` says how).

        With ``query_text``, passages quoting an identifier of the query (an error code, say) or
        using its words rank higher too.
        """
        snapshot = self._snapshot()
        with self._lock:
            ranker = self._ranker
            if ranker is None or ranker.chunks is not snapshot.chunks:
                ranker = self._ranker = Ranker(snapshot.chunks, snapshot.index, snapshot.headings)
        return ranker.search(vector, k, query_text)

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        """Embed ``text`` and search with it, identifiers included."""
        self._load()  # fail fast, before paying for the model, when nothing is built
        return self.search(self._embedder.embed([text]), k, query_text=text)

    def passages(self) -> list[Chunk]:
        """Every passage of the version served now, in the snapshot's order."""
        return list(self._load()[0])

    def stats(self) -> KbStats:
        """Counts and provenance of the version served now."""
        snapshot = self._snapshot()
        meta, index = snapshot.meta, snapshot.index
        added = self._db_path.stat().st_size if self._db_path.exists() else 0
        return KbStats(
            chunks=len(snapshot.chunks),
            documents=len({c.doc_id for c in snapshot.chunks}),
            index_kind=index.kind,
            dimension=index.dimension,
            embedder=meta.get("embedder", "?"),
            source=meta.get("source", "?"),
            built_at=meta.get("built_at", "?"),
            directory=self.directory,
            size_bytes=self._folder.size_bytes(snapshot.version) + added,
            version=snapshot.version,
        )

    def __len__(self) -> int:
        """Number of searchable chunks (0 when nothing is built)."""
        try:
            return len(self._load()[0])
        except IndexNotBuiltError:
            return 0
