"""The authoring database ``kb.sqlite3``: the articles and phrasings Helpline wrote, which every build includes.

Two sets live here. ``published_articles`` and ``published_phrasings`` are exactly what the desk last
published (``KnowledgeBase.publish`` replaces both at once). ``added_articles`` holds the articles added in
chat before articles had a life cycle; they are served until the first publish, which stands for every
article Helpline wrote and so retires them (``retired_added``), and they stay readable for the desk's
one-time import. A Helpline article's passages name it by its id, never by who wrote it.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import DataError
from core.files import private_file
from core.knowledge.articles import (
    ArticleOrigin,
    ArticleState,
    FileArticle,
    LiveArticle,
    NewArticle,
    Phrasing,
    phrasing_key,
)
from core.ports import Chunk
from kb_index.chunking import join_pieces
from kb_index.ingest import article_chunks
from kb_index.records import SCHEMA, slug

log = logging.getLogger("helpline.kb")
_SERVED_ADDED = (
    "SELECT doc_id, title, body FROM added_articles WHERE doc_id NOT IN (SELECT doc_id FROM retired_added) "
    "ORDER BY added_at, doc_id"
)


class AuthoringDb:
    """``kb.sqlite3`` of one knowledge-base directory (created private on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection with the schema in place; ``with conn:`` around writes makes them one transaction."""
        private_file(self.path)
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            conn.executescript(SCHEMA)
            yield conn

    def exists(self) -> bool:
        """Whether anything was ever written here (reading must not create the file)."""
        return self.path.exists()


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The key-value settings an index written by Helpline 0.1 kept."""
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def helpline_chunks(conn: sqlite3.Connection) -> list[Chunk]:
    """Passages of every Helpline-written article to serve: the published ones by number, then unretired chat ones."""
    published = conn.execute("SELECT doc_id, title, body, url FROM published_articles ORDER BY number, doc_id")
    chunks = [
        chunk
        for doc_id, title, body, url in published.fetchall()
        for chunk in article_chunks(doc_id, title, body, source=doc_id, url=url)
    ]
    added = conn.execute(_SERVED_ADDED).fetchall()
    return chunks + [chunk for row in added for chunk in article_chunks(row[0], row[1], row[2], source=row[0])]


def served_chunks(conn: sqlite3.Connection, files: Sequence[Chunk]) -> tuple[list[Chunk], list[str]]:
    """Passages of the articles Helpline wrote to serve beside ``files``, and the ids left out as a file has them."""
    taken = {chunk.doc_id for chunk in files}
    written = helpline_chunks(conn)
    clashes = list(dict.fromkeys(chunk.doc_id for chunk in written if chunk.doc_id in taken))
    for doc_id in clashes:
        log.warning("knowledge index: article %s is not served: a file has the same id", doc_id)
    return [chunk for chunk in written if chunk.doc_id not in taken], clashes


def helpline_doc_ids(conn: sqlite3.Connection) -> set[str]:
    """Every id a Helpline-written article has here, served or not."""
    rows = conn.execute("SELECT doc_id FROM published_articles UNION SELECT doc_id FROM added_articles")
    return {str(doc_id) for (doc_id,) in rows.fetchall()}


def stored_phrasings(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(doc_id, question)`` of every published phrasing, in the order they were handed over."""
    return [
        (str(d), str(q)) for d, q in conn.execute("SELECT doc_id, question FROM published_phrasings ORDER BY rowid")
    ]


def replace_published(conn: sqlite3.Connection, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> None:
    """Make the published set exactly ``articles`` and ``phrasings`` (in the caller's transaction).

    Refuses, changing nothing, an article without a title or body and two articles with one id; a
    blank phrasing, or a repeat of one (``phrasing_key``), is left out.
    """
    seen: set[str] = set()
    for article in articles:
        if not article.title.strip() or not article.body.strip():
            raise DataError(f"article {article.number} ({article.doc_id}) has no title or no text; nothing published")
        if article.doc_id in seen:
            raise DataError(f"two articles are named {article.doc_id!r}; nothing published")
        seen.add(article.doc_id)
    kept: dict[tuple[str, str], str] = {}
    for phrasing in phrasings:
        key = (phrasing.doc_id, phrasing_key(phrasing.question))
        if key[1] and key not in kept:
            kept[key] = " ".join(phrasing.question.split())
    conn.execute("DELETE FROM published_articles")
    conn.execute("DELETE FROM published_phrasings")
    conn.executemany(
        "INSERT INTO published_articles (doc_id, number, title, body, url) VALUES (?, ?, ?, ?, ?)",
        [(a.doc_id, a.number, a.title.strip(), a.body.strip(), a.url) for a in articles],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO published_phrasings (doc_id, question) VALUES (?, ?)",
        [(doc_id, question) for (doc_id, _), question in kept.items()],
    )
    conn.execute("INSERT OR IGNORE INTO retired_added (doc_id) SELECT doc_id FROM added_articles")


def add_chat_article(conn: sqlite3.Connection, title: str, body: str, author: str) -> str:
    """Keep an article written with ``kb add`` before the life cycle; returns its new id."""
    doc_id = f"added/{slug(title)}-{uuid.uuid4().hex[:6]}"
    with conn:
        conn.execute(
            "INSERT INTO added_articles (doc_id, title, body, author, added_at) VALUES (?, ?, ?, ?, ?)",
            (doc_id, title.strip(), body.strip(), author, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    return doc_id


def remove_added(conn: sqlite3.Connection, doc_id: str) -> None:
    """Forget a chat article whose build failed, so nothing half-stored turns up later."""
    with conn:
        conn.execute("DELETE FROM added_articles WHERE doc_id = ?", (doc_id,))


def legacy_articles(conn: sqlite3.Connection) -> list[NewArticle]:
    """Every article added in chat before the life cycle, as a published chat article with its id, author and time."""
    rows = conn.execute("SELECT doc_id, title, body, author, added_at FROM added_articles ORDER BY added_at, doc_id")
    return [
        NewArticle(
            title=str(title),
            body=str(body),
            origin=ArticleOrigin.CHAT,
            author=str(author),
            at=_when(str(added_at)),
            state=ArticleState.PUBLISHED,
            doc_id=str(doc_id),
        )
        for doc_id, title, body, author, added_at in rows.fetchall()
    ]


def _when(stamp: str) -> datetime:
    """A stored time as an aware UTC datetime (rows were written in UTC)."""
    at = datetime.fromisoformat(stamp)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def file_articles(chunks: Sequence[Chunk]) -> list[FileArticle]:
    """The documents of a build's file passages, in order, each with its text put back together."""
    sections: dict[str, list[tuple[str, list[str]]]] = {}
    first: dict[str, Chunk] = {}
    for chunk in chunks:
        first.setdefault(chunk.doc_id, chunk)
        parts = sections.setdefault(chunk.doc_id, [])
        if not parts or parts[-1][0] != chunk.section:
            parts.append((chunk.section, []))
        parts[-1][1].append(chunk.text)
    return [
        FileArticle(
            doc_id, first[doc_id].title, first[doc_id].source, _body(first[doc_id].title, parts), first[doc_id].url
        )
        for doc_id, parts in sections.items()
    ]


def _body(title: str, sections: list[tuple[str, list[str]]]) -> str:
    """Sections under their headings (the opening one, headed by the title, without), each piece's repeat dropped."""
    return "\n\n".join(
        f"## {heading}\n\n{join_pieces(pieces)}" if heading and heading != title else join_pieces(pieces)
        for heading, pieces in sections
    )
