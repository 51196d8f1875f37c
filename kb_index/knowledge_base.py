"""The persisted knowledge index: versioned snapshots (passages and vectors) that every process can follow.

A build is incremental: a chunk whose embedded text (and model) is unchanged keeps its
vector, so only new or edited passages go through the model; chunks whose files were
removed are gone after the build. Each build writes a new snapshot and switches a pointer
to it (``kb_index.snapshots``); ``refresh`` makes any other process serve it too. The articles
Helpline wrote (``publish``) and their phrasings are kept in ``kb.sqlite3``
(``kb_index.articles_store``) so later builds include them. Nothing is ever pickled.
"""

from __future__ import annotations

import fcntl
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import DataError, IndexNotBuiltError
from core.files import private_dir
from core.knowledge.articles import FileArticle, LiveArticle, NewArticle, Phrasing
from core.ports import Chunk, Embedder, SearchHit, Vectors
from kb_index import articles_store as store
from kb_index.assembly import Assembled, Reusable, assemble
from kb_index.faiss_index import IndexOptions, load_index
from kb_index.ingest import ingest_path
from kb_index.ranking import Ranker
from kb_index.records import (
    DEFAULT_GRACE_SECONDS,
    SELECT_CHUNKS,
    AddedArticle,
    BuildReport,
    KbStats,
    Published,
)
from kb_index.snapshots import Snapshot, SnapshotError, SnapshotFolder
from kb_index.vector_index import VectorIndex

log = logging.getLogger("helpline.kb")
FILE_PASSAGES = "file_passages"  # snapshot metadata: how many leading passages came from the files


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

    @property
    def _db(self) -> store.AuthoringDb:
        return store.AuthoringDb(self._db_path)

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
        """Index ``source`` (a folder, a file or a JSON-lines corpus) and every article Helpline wrote."""
        with self._exclusive(), self._db.connect() as conn:
            return self._build(conn, source, progress)[0]

    def _build(self, conn: sqlite3.Connection, source: Path, progress: bool) -> tuple[BuildReport, int, int]:
        """Build from ``source`` and the articles ``conn`` holds; returns the report, Helpline passages, phrasings."""
        started = time.perf_counter()
        result = ingest_path(source)
        if not result.chunks:
            detail = "; ".join(result.warnings[:5]) or "no .md, .markdown or .txt files with text"
            raise DataError(f"nothing to index in {source}: {detail}")
        added, clashes = store.served_chunks(conn, result.chunks)
        warnings = [*result.warnings, *(f"{doc_id}: not served, a file has the same id" for doc_id in clashes)]
        chunks = [*result.chunks, *added]
        served = {chunk.doc_id for chunk in chunks}
        wanted = [(doc_id, question) for doc_id, question in store.stored_phrasings(conn) if doc_id in served]
        built = assemble(chunks, wanted, self._embedder, self._options, self._reusable(conn), progress=progress)
        self._commit(chunks, built, source, files=len(result.chunks))
        report = BuildReport(
            documents=result.documents + len({chunk.doc_id for chunk in added}),
            chunks=len(chunks),
            embedded=built.embedded,
            reused=len(chunks) - built.embedded,
            removed=built.removed,
            index_kind=built.index.kind,
            warnings=warnings,
            seconds=time.perf_counter() - started,
        )
        return report, len(added), built.phrased

    def publish(self, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> Published:
        """Serve exactly ``articles`` as the Helpline-written ones, with ``phrasings``, rebuilt from the last source.

        Only new or edited passages and new phrasings go through the model. The set is kept in the
        index database, so later builds include it; the new version is what every process serves after its
        refresh. When the build fails, the previous set stays, in the database and in the index.
        """
        with self._exclusive():
            source = self._last_source()
            with self._db.connect() as conn, conn:  # one transaction: committed only when the build succeeded
                store.replace_published(conn, articles, phrasings)
                report, chunks, phrased = self._build(conn, source, progress=False)
        version = self._snapshot().version
        served = self._snapshot().phrasings
        count = len(served.docs) if served is not None else 0
        return Published(chunks, report.embedded + phrased, version, count, report)

    def add_article(self, title: str, body: str, author: str) -> AddedArticle:
        """Store an article written in chat and index it at once, next to the last build's source.

        The article is kept in the index database, so later builds include it too (until a ``publish``
        replaces the articles Helpline wrote).
        """
        if not title.strip() or not body.strip():
            raise DataError("an article needs a title and a body")
        with self._exclusive():
            source = self._last_source()
            with self._db.connect() as conn:
                doc_id = store.add_chat_article(conn, title, body, author)
            try:
                report = self.build(source)
            except Exception:
                with self._db.connect() as conn:
                    store.remove_added(conn, doc_id)
                raise
        chunks = sum(1 for chunk in self._load()[0] if chunk.doc_id == doc_id)
        return AddedArticle(doc_id, title.strip(), chunks, report)

    def _last_source(self) -> Path:
        """Where the newest build, whichever process made it, read its files."""
        self.refresh()
        source = self._snapshot().meta.get("source")
        if source is None:
            raise IndexNotBuiltError(f"no knowledge index in {self.directory}: run `helpline kb build` first")
        return Path(source)

    def file_articles(self) -> list[FileArticle]:
        """The articles of the newest build's files, in the build's order, each with its text put back together."""
        self.refresh()
        snapshot = self._snapshot()
        count = snapshot.meta.get(FILE_PASSAGES)
        if count is not None:
            return store.file_articles(snapshot.chunks[: int(count)])
        if not self._db.exists():  # a version built before file passages were counted: all but Helpline's
            return store.file_articles(snapshot.chunks)
        with self._db.connect() as conn:
            written = store.helpline_doc_ids(conn)
        return store.file_articles([chunk for chunk in snapshot.chunks if chunk.doc_id not in written])

    def legacy_articles(self) -> list[NewArticle]:
        """The articles added in chat before the life cycle, as published chat articles, for a one-time import."""
        if not self._db.exists():
            return []
        with self._db.connect() as conn:
            return store.legacy_articles(conn)

    def _reusable(self, conn: sqlite3.Connection) -> Reusable:
        """What the newest build embedded, if it used the same model."""
        try:
            return Reusable.of(self._read_newest(conn), self._embedder.name)
        except (SnapshotError, OSError, ValueError) as exc:
            log.warning("the previous knowledge index cannot be reused (%s); every chunk will be embedded again", exc)
            return Reusable()

    def _commit(self, chunks: list[Chunk], built: Assembled, source: Path, *, files: int) -> None:
        """Write a new snapshot, switch the pointer and this process to it, and prune replaced ones."""
        meta = {
            "embedder": self._embedder.name,
            "dimension": str(built.index.dimension),
            "index_kind": built.index.kind,
            "source": str(source.resolve()),  # kb add rebuilds from here, from any directory
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            FILE_PASSAGES: str(files),
        }
        version = self._folder.write(chunks, built.hashes, built.index, meta, built.headings, built.phrasings)
        with self._lock:
            self._current = Snapshot(version, chunks, built.hashes, built.index, meta, built.headings, built.phrasings)
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
            with self._db.connect() as own:
                return self._legacy(own)
        return self._legacy(conn)

    def _legacy(self, conn: sqlite3.Connection) -> Snapshot | None:
        """An index written by Helpline 0.1 (chunks in kb.sqlite3 beside one index file), if there is one."""
        meta = store.meta(conn)
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
        source = newest.meta.get("source") if newest is not None else None
        return None if newest is None else (newest.meta.get("embedder", "?"), Path(source) if source else None)

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
                ranker = self._ranker = Ranker(snapshot.chunks, snapshot.index, snapshot.headings, snapshot.phrasings)
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
