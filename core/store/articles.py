"""The ``Articles`` port in SQL: an article's row, versions and audit log change in one transaction.

``move`` and ``revise`` are conditional UPDATEs (on the state, and on the newest version), so when two
reviewers act on the same article at once exactly one of them wins and the other gets ``ArticleConflict``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.knowledge import lifecycle
from core.knowledge.articles import (
    Article,
    ArticleConflict,
    ArticleEvent,
    ArticleOrigin,
    ArticleState,
    ArticleVersion,
    FileArticle,
    LiveArticle,
    NewArticle,
    Phrasing,
    phrasing_key,
)
from core.store.base import SqlPort
from core.store.schema_knowledge import kb_article_events, kb_article_versions, kb_articles, kb_phrasings

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

_A = kb_articles.c


class SqlArticles(SqlPort):
    """The knowledge base's articles, their versions, audit log and phrasings, in a SQL database."""

    async def create(self, new: NewArticle) -> Article:
        """Save a new article as version 1 (published ones live at once) and log its creation."""
        async with self._write() as conn:
            return await self._create(conn, new)

    async def get(self, number: int) -> Article | None:
        """Article ``number``, or None."""
        found = await self._read(select(kb_articles).where(_A.id == number))
        return _article(found[0]) if found else None

    async def by_doc(self, doc_id: str) -> Article | None:
        """The article the knowledge base knows as ``doc_id``, or None."""
        found = await self._read(select(kb_articles).where(_A.doc_id == doc_id))
        return _article(found[0]) if found else None

    async def listed(self, states: Collection[ArticleState], *, limit: int = 50) -> list[Article]:
        """Articles in any of ``states``, the most recently changed first."""
        wanted = sorted(s.value for s in states)
        query = select(kb_articles).where(_A.state.in_(wanted)).order_by(_A.updated_at.desc(), _A.id.desc())
        return [_article(row) for row in await self._read(query.limit(limit))]

    async def revise(
        self, number: int, title: str, body: str, actor: str, at: datetime, *, state: ArticleState, version: int
    ) -> Article:
        """Save a new version and move to ``state``; ``ArticleConflict`` unless the newest is ``version``."""
        async with self._write() as conn:
            row = await _require(conn, number)
            current = ArticleState(row["state"])
            lifecycle.check_revise(number, current, row["version"], version, state)
            newest = version + 1
            values = {
                "title": title,
                "body": body,
                "state": state.value,
                "version": newest,
                "live_version": lifecycle.live_after(state, newest, row["live_version"]),
                "updated_at": at,
            }
            changed = await conn.execute(
                update(kb_articles)
                .where(_A.id == number, _A.version == version, _A.state == current.value)
                .values(values)
            )
            if changed.rowcount != 1:
                raise ArticleConflict(f"Article {number} was changed by someone else meanwhile; nothing was saved.")
            await _add_version(conn, ArticleVersion(number, newest, title, body, actor, at))
            await _log(conn, ArticleEvent(number, at, actor, lifecycle.EDITED, f"version {newest}"))
            if state is not current:
                await _log(conn, ArticleEvent(number, at, actor, lifecycle.move_action(current, state)))
            return _article(await _require(conn, number))

    async def move(
        self, number: int, to: ArticleState, actor: str, at: datetime, *, reason: str = "", expected: ArticleState
    ) -> Article:
        """Move from ``expected`` to ``to`` and log it; ``ArticleConflict`` when that is not possible any more."""
        async with self._write() as conn:
            row = await _require(conn, number)
            lifecycle.check_move(number, ArticleState(row["state"]), expected, to)
            live = lifecycle.live_after(to, row["version"], row["live_version"])
            changed = await conn.execute(
                update(kb_articles)
                .where(_A.id == number, _A.state == expected.value, _A.version == row["version"])
                .values(state=to.value, live_version=live, updated_at=at)
            )
            if changed.rowcount != 1:
                raise ArticleConflict(f"Article {number} was changed by someone else meanwhile; nothing was done.")
            await _log(conn, ArticleEvent(number, at, actor, lifecycle.move_action(expected, to), reason))
            return _article(await _require(conn, number))

    async def versions(self, number: int) -> list[ArticleVersion]:
        """Every saved version of article ``number``, oldest first."""
        v = kb_article_versions.c
        found = await self._read(select(kb_article_versions).where(v.article == number).order_by(v.version))
        return [
            ArticleVersion(number, r["version"], r["title"], r["body"], r["author"], r["at"], r["note"]) for r in found
        ]

    async def history(self, number: int) -> list[ArticleEvent]:
        """Article ``number``'s audit log, oldest first."""
        e = kb_article_events.c
        found = await self._read(select(kb_article_events).where(e.article == number).order_by(e.id))
        return [ArticleEvent(number, r["at"], r["actor"], r["action"], r["detail"]) for r in found]

    async def live(self) -> list[LiveArticle]:
        """The live text of every chat and ticket article that has one, by number."""
        v = kb_article_versions.c
        query = (
            select(_A.id, _A.doc_id, _A.url, v.title, v.body)
            .join(kb_article_versions, and_(v.article == _A.id, v.version == _A.live_version))
            .where(_A.origin != ArticleOrigin.FILE.value)
            .order_by(_A.id)
        )
        return [LiveArticle(r["id"], r["doc_id"], r["title"], r["body"], r["url"]) for r in await self._read(query)]

    async def add_phrasing(self, phrasing: Phrasing) -> bool:
        """Keep another phrasing of an article's question; False when it has that one already."""
        values = {
            "doc_id": phrasing.doc_id,
            "question": phrasing.question,
            "key": phrasing_key(phrasing.question),
            "ticket": phrasing.ticket,
            "actor": phrasing.actor,
            "at": phrasing.at,
        }
        async with self._write() as conn:
            try:  # the unique key, not a look first, decides when two tickets bring the same question at once
                async with conn.begin_nested():
                    await conn.execute(insert(kb_phrasings).values(values))
            except IntegrityError:
                return False
            found = (await conn.execute(select(_A.id).where(_A.doc_id == phrasing.doc_id))).first()
            if found is not None:
                detail = lifecycle.phrasing_detail(phrasing.question, phrasing.ticket)
                await _log(conn, ArticleEvent(found[0], phrasing.at, phrasing.actor, lifecycle.PHRASING, detail))
            return True

    async def phrasings(self) -> list[Phrasing]:
        """Every kept phrasing, oldest first."""
        p = kb_phrasings.c
        found = await self._read(select(kb_phrasings).order_by(p.at, p.id))
        return [Phrasing(r["doc_id"], r["question"], r["at"], r["actor"], r["ticket"]) for r in found]

    async def sync_files(self, files: Sequence[FileArticle], at: datetime) -> int:
        """Make the file articles match a build: add new ones, update changed ones, archive removed ones."""
        changed = 0
        async with self._write() as conn:
            from_files = await conn.execute(select(kb_articles).where(_A.origin == ArticleOrigin.FILE.value))
            known = {r["doc_id"]: r for r in from_files.mappings()}
            for file in {f.doc_id: f for f in files}.values():
                row = known.pop(file.doc_id, None)
                if row is None:
                    if (await conn.execute(select(_A.id).where(_A.doc_id == file.doc_id))).first() is None:
                        await self._create(conn, _new_file_article(file, at))
                        changed += 1
                    continue  # a chat article already has that id: it stays the chat's
                if _same(row, file):
                    continue
                await _refresh(conn, row, file, at)
                changed += 1
            for row in known.values():
                if row["state"] != ArticleState.ARCHIVED.value:
                    await _archive_removed(conn, row, at)
                    changed += 1
        return changed

    async def _create(self, conn: AsyncConnection, new: NewArticle) -> Article:
        provisional = new.doc_id or f"pending/{uuid.uuid4().hex}"
        values = {
            "doc_id": provisional,
            "title": new.title,
            "body": new.body,
            "state": new.state.value,
            "origin": new.origin.value,
            "version": 1,
            "live_version": 1 if new.state is ArticleState.PUBLISHED else None,
            "author": new.author,
            "created_at": new.at,
            "updated_at": new.at,
            "ticket": new.ticket,
            "source": new.source,
            "url": new.url,
        }
        try:
            async with conn.begin_nested():
                inserted = await conn.execute(insert(kb_articles).values(values).returning(_A.id))
                number = int(inserted.scalar_one())
        except IntegrityError as error:
            raise ArticleConflict(f"An article named {new.doc_id} exists already; nothing was added.") from error
        if new.doc_id is None:
            await conn.execute(update(kb_articles).where(_A.id == number).values(doc_id=f"article/{number}"))
        await _add_version(conn, ArticleVersion(number, 1, new.title, new.body, new.author, new.at))
        detail = lifecycle.created_detail(new.state, new.ticket)
        await _log(conn, ArticleEvent(number, new.at, new.author, lifecycle.CREATED, detail))
        return _article(await _require(conn, number))


def _new_file_article(file: FileArticle, at: datetime) -> NewArticle:
    return NewArticle(
        title=file.title,
        body=file.body,
        origin=ArticleOrigin.FILE,
        author=file.source,
        at=at,
        state=ArticleState.PUBLISHED,
        source=file.source,
        url=file.url,
        doc_id=file.doc_id,
    )


def _same(row: RowMapping, file: FileArticle) -> bool:
    return (row["title"], row["body"], row["source"], row["url"], row["state"]) == (
        file.title,
        file.body,
        file.source,
        file.url,
        ArticleState.PUBLISHED.value,
    )


async def _refresh(conn: AsyncConnection, row: RowMapping, file: FileArticle, at: datetime) -> None:
    """A file article changed (or came back) in a build: its text becomes a new live version."""
    number, newest = row["id"], row["version"] + 1
    text_changed = (row["title"], row["body"]) != (file.title, file.body)
    version = newest if text_changed else row["version"]
    values: dict[str, Any] = {
        "title": file.title,
        "body": file.body,
        "source": file.source,
        "url": file.url,
        "state": ArticleState.PUBLISHED.value,
        "version": version,
        "live_version": version,
        "updated_at": at,
    }
    await conn.execute(update(kb_articles).where(_A.id == number).values(values))
    if text_changed:
        await _add_version(
            conn, ArticleVersion(number, newest, file.title, file.body, file.source, at, "from the files")
        )
        await _log(conn, ArticleEvent(number, at, file.source, lifecycle.EDITED, f"version {newest}, from the files"))
    if row["state"] != ArticleState.PUBLISHED.value:
        await _log(conn, ArticleEvent(number, at, file.source, "restored", "back in the files"))


async def _archive_removed(conn: AsyncConnection, row: RowMapping, at: datetime) -> None:
    await conn.execute(
        update(kb_articles)
        .where(_A.id == row["id"])
        .values(state=ArticleState.ARCHIVED.value, live_version=None, updated_at=at)
    )
    await _log(conn, ArticleEvent(row["id"], at, row["source"] or row["author"], "archived", "removed from the files"))


async def _require(conn: AsyncConnection, number: int) -> RowMapping:
    row = (await conn.execute(select(kb_articles).where(_A.id == number))).mappings().first()
    if row is None:
        raise ArticleConflict(f"There is no article {number}.")
    return row


async def _add_version(conn: AsyncConnection, version: ArticleVersion) -> None:
    await conn.execute(
        insert(kb_article_versions).values(
            article=version.number,
            version=version.version,
            title=version.title,
            body=version.body,
            author=version.author,
            at=version.at,
            note=version.note,
        )
    )


async def _log(conn: AsyncConnection, event: ArticleEvent) -> None:
    await conn.execute(
        insert(kb_article_events).values(
            article=event.number, at=event.at, actor=event.actor, action=event.action, detail=event.detail
        )
    )


def _article(row: RowMapping) -> Article:
    return Article(
        number=row["id"],
        doc_id=row["doc_id"],
        title=row["title"],
        body=row["body"],
        state=ArticleState(row["state"]),
        origin=ArticleOrigin(row["origin"]),
        version=row["version"],
        live_version=row["live_version"],
        author=row["author"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        ticket=row["ticket"],
        source=row["source"],
        url=row["url"],
    )
