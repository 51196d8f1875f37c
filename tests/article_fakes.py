"""The ``Articles`` port in memory, with the SQL store's rules (core/knowledge/lifecycle.py) and conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.errors import IndexNotBuiltError
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
from core.ports import Chunk, SearchHit
from tests.store_state import utc

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import datetime


@dataclass
class ArticleTables:
    """The four article tables, as dicts and lists."""

    articles: dict[int, Article] = field(default_factory=dict)
    versions: dict[int, list[ArticleVersion]] = field(default_factory=dict)
    events: dict[int, list[ArticleEvent]] = field(default_factory=dict)
    phrasings: dict[tuple[str, str], Phrasing] = field(default_factory=dict)


class InMemoryArticles:
    """The knowledge base's articles in memory: the same moves, versions, log and refusals as ``SqlArticles``."""

    def __init__(self, tables: ArticleTables | None = None) -> None:
        self.tables = tables if tables is not None else ArticleTables()

    async def create(self, new: NewArticle) -> Article:
        """Save a new article as version 1 (published ones live at once) and log its creation."""
        t = self.tables
        if new.doc_id is not None and any(a.doc_id == new.doc_id for a in t.articles.values()):
            raise ArticleConflict(f"An article named {new.doc_id} exists already; nothing was added.")
        number = max(t.articles, default=0) + 1
        at = utc(new.at)
        article = Article(
            number=number,
            doc_id=new.doc_id or f"article/{number}",
            title=new.title,
            body=new.body,
            state=new.state,
            origin=new.origin,
            version=1,
            live_version=1 if new.state is ArticleState.PUBLISHED else None,
            author=new.author,
            created_at=at,
            updated_at=at,
            ticket=new.ticket,
            source=new.source,
            url=new.url,
        )
        t.articles[number] = article
        t.versions[number] = [ArticleVersion(number, 1, new.title, new.body, new.author, at)]
        detail = lifecycle.created_detail(new.state, new.ticket)
        t.events[number] = [ArticleEvent(number, at, new.author, lifecycle.CREATED, detail)]
        return article

    async def get(self, number: int) -> Article | None:
        """Article ``number``, or None."""
        return self.tables.articles.get(number)

    async def by_doc(self, doc_id: str) -> Article | None:
        """The article the knowledge base knows as ``doc_id``, or None."""
        return next((a for a in self.tables.articles.values() if a.doc_id == doc_id), None)

    async def listed(self, states: Collection[ArticleState], *, limit: int = 50) -> list[Article]:
        """Articles in any of ``states``, the most recently changed first."""
        found = [a for a in self.tables.articles.values() if a.state in states]
        return sorted(found, key=lambda a: (a.updated_at, a.number), reverse=True)[:limit]

    async def revise(
        self, number: int, title: str, body: str, actor: str, at: datetime, *, state: ArticleState, version: int
    ) -> Article:
        """Save a new version and move to ``state``; ``ArticleConflict`` unless the newest is ``version``."""
        was = self._require(number)
        lifecycle.check_revise(number, was.state, was.version, version, state)
        at, newest = utc(at), version + 1
        live = lifecycle.live_after(state, newest, was.live_version)
        now = replace(was, title=title, body=body, state=state, version=newest, live_version=live, updated_at=at)
        self.tables.articles[number] = now
        self.tables.versions[number].append(ArticleVersion(number, newest, title, body, actor, at))
        self._log(ArticleEvent(number, at, actor, lifecycle.EDITED, f"version {newest}"))
        if state is not was.state:
            self._log(ArticleEvent(number, at, actor, lifecycle.move_action(was.state, state)))
        return now

    async def move(
        self, number: int, to: ArticleState, actor: str, at: datetime, *, reason: str = "", expected: ArticleState
    ) -> Article:
        """Move from ``expected`` to ``to`` and log it; ``ArticleConflict`` when that is not possible any more."""
        was = self._require(number)
        lifecycle.check_move(number, was.state, expected, to)
        at = utc(at)
        live = lifecycle.live_after(to, was.version, was.live_version)
        now = replace(was, state=to, live_version=live, updated_at=at)
        self.tables.articles[number] = now
        self._log(ArticleEvent(number, at, actor, lifecycle.move_action(expected, to), reason))
        return now

    async def versions(self, number: int) -> list[ArticleVersion]:
        """Every saved version of article ``number``, oldest first."""
        return list(self.tables.versions.get(number, []))

    async def history(self, number: int) -> list[ArticleEvent]:
        """Article ``number``'s audit log, oldest first."""
        return list(self.tables.events.get(number, []))

    async def live(self) -> list[LiveArticle]:
        """The live text of every chat and ticket article that has one, by number."""
        found = []
        for number, article in sorted(self.tables.articles.items()):
            if article.live_version is None or article.origin is ArticleOrigin.FILE:
                continue
            text = self.tables.versions[number][article.live_version - 1]
            found.append(LiveArticle(number, article.doc_id, text.title, text.body, article.url))
        return found

    async def add_phrasing(self, phrasing: Phrasing) -> bool:
        """Keep another phrasing of an article's question; False when it has that one already."""
        key = (phrasing.doc_id, phrasing_key(phrasing.question))
        if key in self.tables.phrasings:
            return False
        kept = replace(phrasing, at=utc(phrasing.at))
        self.tables.phrasings[key] = kept
        article = await self.by_doc(phrasing.doc_id)
        if article is not None:
            detail = lifecycle.phrasing_detail(kept.question, kept.ticket)
            self._log(ArticleEvent(article.number, kept.at, kept.actor, lifecycle.PHRASING, detail))
        return True

    async def phrasings(self) -> list[Phrasing]:
        """Every kept phrasing, oldest first."""
        return sorted(self.tables.phrasings.values(), key=lambda p: p.at)

    async def sync_files(self, files: Sequence[FileArticle], at: datetime) -> int:
        """Make the file articles match a build: add new ones, update changed ones, archive removed ones."""
        at, changed = utc(at), 0
        known = {a.doc_id: a for a in self.tables.articles.values() if a.origin is ArticleOrigin.FILE}
        for file in {f.doc_id: f for f in files}.values():
            was = known.pop(file.doc_id, None)
            if was is None:
                if await self.by_doc(file.doc_id) is None:  # else a chat article has that id: it stays the chat's
                    await self.create(_new_file_article(file, at))
                    changed += 1
                continue
            if (was.title, was.body, was.source, was.url, was.state) == (
                file.title,
                file.body,
                file.source,
                file.url,
                ArticleState.PUBLISHED,
            ):
                continue
            self._refresh(was, file, at)
            changed += 1
        for was in known.values():
            if was.state is not ArticleState.ARCHIVED:
                self.tables.articles[was.number] = replace(
                    was, state=ArticleState.ARCHIVED, live_version=None, updated_at=at
                )
                actor = was.source or was.author
                self._log(ArticleEvent(was.number, at, actor, "archived", "removed from the files"))
                changed += 1
        return changed

    def _refresh(self, was: Article, file: FileArticle, at: datetime) -> None:
        text_changed = (was.title, was.body) != (file.title, file.body)
        version = was.version + 1 if text_changed else was.version
        self.tables.articles[was.number] = replace(
            was,
            title=file.title,
            body=file.body,
            source=file.source,
            url=file.url,
            state=ArticleState.PUBLISHED,
            version=version,
            live_version=version,
            updated_at=at,
        )
        if text_changed:
            self.tables.versions[was.number].append(
                ArticleVersion(was.number, version, file.title, file.body, file.source, at, "from the files")
            )
            self._log(ArticleEvent(was.number, at, file.source, lifecycle.EDITED, f"version {version}, from the files"))
        if was.state is not ArticleState.PUBLISHED:
            self._log(ArticleEvent(was.number, at, file.source, "restored", "back in the files"))

    def _require(self, number: int) -> Article:
        found = self.tables.articles.get(number)
        if found is None:
            raise ArticleConflict(f"There is no article {number}.")
        return found

    def _log(self, event: ArticleEvent) -> None:
        self.tables.events.setdefault(event.number, []).append(event)


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


@dataclass(frozen=True)
class Published:
    """What ``RecordingKnowledge.publish`` reports."""

    chunks: int
    embedded: int
    version: str


@dataclass
class RecordingKnowledge:
    """A knowledge editor that keeps what was published last and can be made to fail (no index yet)."""

    broken: bool = False
    files: list[FileArticle] = field(default_factory=list)
    legacy: list[NewArticle] = field(default_factory=list)
    published: list[list[LiveArticle]] = field(default_factory=list)

    @property
    def live(self) -> list[LiveArticle]:
        """The articles of the last publish (none before one)."""
        return self.published[-1] if self.published else []

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        """Published passages sharing a word with ``text``."""
        words = set(text.lower().split())
        found = [c for c in self.passages() if words & set(f"{c.title} {c.text}".lower().split())]
        return [SearchHit(chunk, 0.9) for chunk in found[:k]]

    def passages(self) -> list[Chunk]:
        """One passage per published article, cited by its title and URL."""
        return [Chunk(f"{a.doc_id}#0", a.doc_id, a.title, a.title, a.body, a.doc_id, a.url) for a in self.live]

    def publish(self, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> Published:
        """Serve ``articles``; ``IndexNotBuiltError`` while broken."""
        if self.broken:
            raise IndexNotBuiltError("no knowledge base has been built yet: run helpline kb build")
        self.published.append(list(articles))
        return Published(len(articles), len(articles), f"v{len(self.published)}")

    def file_articles(self) -> list[FileArticle]:
        """The files' articles, as set."""
        return list(self.files)

    def legacy_articles(self) -> list[NewArticle]:
        """The old chat articles, as set."""
        return list(self.legacy)
