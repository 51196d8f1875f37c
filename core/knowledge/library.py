"""The article life cycle as the desk, the dashboard and the CLI run it: add, edit, approve, reject, archive, publish.

Who may publish is decided by the caller (the desk checks the publisher roles) and passed in as
``may_publish``. A change is saved first; publishing follows when what customers are answered from changed.
If the index cannot be rebuilt then, the change stays saved and the outcome says it is not live yet.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from core.errors import HelplineError
from core.knowledge.articles import (
    BODY_CHARS,
    TITLE_CHARS,
    Article,
    ArticleConflict,
    ArticleEvent,
    ArticleOrigin,
    ArticleState,
    ArticleVersion,
    LiveArticle,
    NewArticle,
    Phrasing,
)
from core.knowledge.lifecycle import label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.knowledge.articles import FileArticle
    from core.knowledge.ports import Articles
    from core.ports import Clock

log = logging.getLogger("helpline.knowledge")

DIFF_LINES = 40  # the most lines of a diff a chat answer or page shows
DIFF_CHARS = 3000
WAITING = (ArticleState.DRAFT, ArticleState.IN_REVIEW)


class PublishInfo(Protocol):
    """What a publish reports back."""

    @property
    def chunks(self) -> int:
        """Passages of the published articles now served."""
        ...

    @property
    def embedded(self) -> int:
        """Texts that went through the model."""
        ...

    @property
    def version(self) -> str:
        """The index version every process serves now."""
        ...


class ArticlePublisher(Protocol):
    """The knowledge index as the life cycle needs it: serve exactly these articles and phrasings."""

    def publish(self, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> PublishInfo:
        """Rebuild with ``articles`` as the Helpline-written ones (blocking: it embeds)."""
        ...


class ArticleError(HelplineError):
    """A change the life cycle refuses, with a message for the person who asked."""


@dataclass(frozen=True)
class Outcome:
    """What a change did: the article as it is now, and whether customers are answered from it."""

    article: Article
    published: PublishInfo | None = None  # set when the index was rebuilt for this change
    not_live: str = ""  # why a change meant to go live did not (yet)


@dataclass(frozen=True)
class ArticlePage:
    """Everything about one article a reviewer looks at."""

    article: Article
    versions: list[ArticleVersion]
    history: list[ArticleEvent]
    diff: str  # the newest version against the live one ("" when they are the same or nothing is live)


class Library:
    """The life cycle's rules over the ``Articles`` store, publishing through the knowledge index."""

    def __init__(self, articles: Articles, publisher: ArticlePublisher | None, clock: Clock) -> None:
        self.articles = articles
        self.publisher = publisher
        self.clock = clock

    async def add(self, title: str, body: str, actor: str, *, may_publish: bool) -> Outcome:
        """A new chat article: published at once for a publisher, else in review."""
        title, body = _checked(title, body)
        state = ArticleState.PUBLISHED if may_publish else ArticleState.IN_REVIEW
        made = await self.articles.create(NewArticle(title, body, ArticleOrigin.CHAT, actor, self.clock.now(), state))
        return await self._after(made, went_live=may_publish)

    async def edit(self, number: int, title: str | None, body: str, actor: str, *, may_publish: bool) -> Outcome:
        """A new version (``title`` None keeps the title): a publisher's edit of a live article is live at once.

        Any other edit goes to review (an archived article's edit becomes a draft), while the live text, if any,
        keeps answering until the edit is approved.
        """
        was = await self._editable(number)
        title, body = _checked(was.title if title is None else title, body)
        if was.state is ArticleState.ARCHIVED:
            to = ArticleState.DRAFT
        elif was.state is ArticleState.PUBLISHED and may_publish:
            to = ArticleState.PUBLISHED
        else:
            to = ArticleState.IN_REVIEW
        now = await self.articles.revise(number, title, body, actor, self.clock.now(), state=to, version=was.version)
        return await self._after(now, went_live=to is ArticleState.PUBLISHED)

    async def approve(self, number: int, actor: str, *, may_publish: bool) -> Outcome:
        """Publish a draft or an article in review; without the publisher role a draft is sent to review."""
        was = await self._editable(number)
        if was.state not in WAITING:
            raise ArticleError(
                f"Article {number} is {label(was.state)}; only drafts and articles in review are approved."
            )
        if not may_publish:
            if was.state is ArticleState.IN_REVIEW:
                raise ArticleError(f"Only a publisher can approve article {number}; it stays in review.")
            now = await self._move(was, ArticleState.IN_REVIEW, actor)
            return Outcome(now)
        return await self._after(await self._move(was, ArticleState.PUBLISHED, actor), went_live=True)

    async def reject(self, number: int, actor: str, reason: str, *, may_publish: bool) -> Outcome:
        """Send an article in review back to draft, with the reason in its log."""
        was = await self._editable(number)
        if not may_publish:
            raise ArticleError(f"Only a publisher can reject article {number}; it stays {label(was.state)}.")
        if was.state is not ArticleState.IN_REVIEW:
            raise ArticleError(f"Article {number} is {label(was.state)}; only articles in review are rejected.")
        return Outcome(await self._move(was, ArticleState.DRAFT, actor, reason.strip()[:500]))

    async def archive(self, number: int, actor: str, *, may_publish: bool) -> Outcome:
        """Stop an article (a live one only by a publisher): it answers nobody any more."""
        was = await self._editable(number)
        if was.state is ArticleState.ARCHIVED:
            raise ArticleError(f"Article {number} is archived already.")
        if was.live_version is not None and not may_publish:
            raise ArticleError(f"Only a publisher can archive article {number}: customers are answered from it.")
        now = await self._move(was, ArticleState.ARCHIVED, actor)
        return await self._after(now, went_live=was.live_version is not None)

    async def waiting(self, limit: int = 50) -> list[Article]:
        """The review queue: drafts and articles in review, the most recently changed first."""
        return await self.articles.listed(WAITING, limit=limit)

    async def page(self, number: int) -> ArticlePage:
        """Article ``number`` with its versions, log and the diff of its newest version against the live one."""
        article = await self._article(number)
        versions = await self.articles.versions(number)
        history = await self.articles.history(number)
        return ArticlePage(article, versions, history, newest_against_live(article, versions))

    async def publish(self) -> PublishInfo | None:
        """Serve every live article and phrasing now; None (and logged) when the index cannot be rebuilt."""
        if self.publisher is None:
            return None
        live, phrasings = await self.articles.live(), await self.articles.phrasings()
        try:
            return await asyncio.to_thread(self.publisher.publish, live, phrasings)
        except Exception:  # the change is saved; the next publish (or `helpline kb build`) serves it
            log.exception("knowledge: publishing %d article(s) failed; they are saved and served later", len(live))
            return None

    async def import_legacy(self, legacy: Sequence[NewArticle]) -> int:
        """Keep the articles added in chat before the life cycle as published ones, once (known ids are skipped)."""
        added = 0
        for new in legacy:
            if new.doc_id is not None and await self.articles.by_doc(new.doc_id) is not None:
                continue
            try:
                await self.articles.create(new)
            except ArticleConflict:  # another process imported it meanwhile
                continue
            added += 1
        return added

    async def sync_files(self, files: Sequence[FileArticle]) -> int:
        """List the files' articles as the newest build found them; how many changed."""
        return await self.articles.sync_files(files, self.clock.now())

    async def _after(self, article: Article, *, went_live: bool) -> Outcome:
        if not went_live:
            return Outcome(article)
        if self.publisher is None:
            return Outcome(article, not_live="the knowledge base is not available in this process")
        published = await self.publish()
        if published is None:
            return Outcome(article, not_live="the knowledge index could not be rebuilt (see the log)")
        return Outcome(article, published)

    async def _move(self, was: Article, to: ArticleState, actor: str, reason: str = "") -> Article:
        return await self.articles.move(was.number, to, actor, self.clock.now(), reason=reason, expected=was.state)

    async def _article(self, number: int) -> Article:
        found = await self.articles.get(number)
        if found is None:
            raise ArticleError(f"There is no article {number}.")
        return found

    async def _editable(self, number: int) -> Article:
        found = await self._article(number)
        if not found.editable_in_chat:
            where = found.source or "the knowledge-base files"
            raise ArticleError(f"Article {number} comes from {where}; change it there and run `helpline kb build`.")
        return found


def newest_against_live(article: Article, versions: Sequence[ArticleVersion]) -> str:
    """A unified diff of the newest version against the live one, at most ``DIFF_LINES`` lines."""
    by_number = {v.version: v for v in versions}
    live = by_number.get(article.live_version) if article.live_version is not None else None
    newest = by_number.get(article.version)
    if live is None or newest is None or live.version == newest.version:
        return ""
    lines = difflib.unified_diff(
        _lines(live),
        _lines(newest),
        fromfile=f"version {live.version} (live)",
        tofile=f"version {newest.version}",
        lineterm="",
    )
    return bounded(list(lines))


def bounded(lines: list[str]) -> str:
    """``lines`` joined, cut to ``DIFF_LINES`` lines and ``DIFF_CHARS`` characters, saying how much was left out."""
    shown = "\n".join(lines[:DIFF_LINES])
    cut = len(lines) > DIFF_LINES or len(shown) > DIFF_CHARS
    shown = shown[:DIFF_CHARS]
    return f"{shown}\n… ({len(lines)} lines in all; the rest is left out)" if cut else shown


def _lines(version: ArticleVersion) -> list[str]:
    return [f"# {version.title}", *version.body.splitlines()]


def _checked(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ArticleError("An article needs a title and a body: TITLE | BODY.")
    if "\n" in title:
        raise ArticleError("An article's title is one line.")
    if len(title) > TITLE_CHARS:
        raise ArticleError(f"A title is at most {TITLE_CHARS} characters; this one has {len(title)}.")
    if len(body) > BODY_CHARS:
        raise ArticleError(f"A body is at most {BODY_CHARS} characters; this one has {len(body)}.")
    return title, body


@dataclass(frozen=True)
class Settled:
    """What bringing the store in line with the index did (at start-up and after ``helpline kb build``)."""

    imported: int  # articles added in chat before the life cycle, now kept as published articles
    files_changed: int  # file articles added, updated or archived
    published: PublishInfo | None = None  # set when the import made a publish necessary


async def settle(library: Library, files: Sequence[FileArticle], legacy: Sequence[NewArticle]) -> Settled:
    """Import the old chat articles once, list the files' articles as built, and publish if the import added any."""
    imported = await library.import_legacy(legacy)
    changed = await library.sync_files(files)
    return Settled(imported, changed, await library.publish() if imported else None)
