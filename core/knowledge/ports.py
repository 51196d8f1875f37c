"""The knowledge domain's ports: customers' votes on the passages they were answered with, and the articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence
    from datetime import datetime, timedelta

    from core.knowledge.articles import (
        Article,
        ArticleEvent,
        ArticleState,
        ArticleVersion,
        FileArticle,
        LiveArticle,
        NewArticle,
        Phrasing,
    )
    from core.knowledge.records import AnswerThenTicket, PassageScore, PassageVote, Voted


class AnswerFeedback(Protocol):
    """Votes kept per thread and passage: a thread has one standing vote on a passage, its latest."""

    async def vote(self, vote: PassageVote) -> Voted:
        """Keep ``vote`` as its thread's vote on its passage, replacing an earlier one; say what changed."""
        ...

    async def scores_for(self, passages: Iterable[str]) -> dict[str, PassageScore]:
        """The standing votes on each of ``passages`` that has any (others are left out)."""
        ...

    async def votes_on(self, passages: Iterable[str]) -> list[PassageVote]:
        """Every standing vote on any of ``passages`` (the re-rank weighs them by the question they were cast on)."""
        ...

    async def votes_since(self, since: datetime) -> list[PassageVote]:
        """Every standing vote cast at or after ``since``, oldest first."""
        ...

    async def answers_then_tickets(self, since: datetime, within: timedelta) -> list[AnswerThenTicket]:
        """Answers given since ``since`` after which a ticket was opened in the same thread within ``within``."""
        ...


class Articles(Protocol):
    """The knowledge base's articles with their versions, audit log and phrasings (``core.knowledge.articles``)."""

    async def create(self, new: NewArticle) -> Article:
        """Save a new article as version 1 (published ones live at once) and log its creation."""
        ...

    async def get(self, number: int) -> Article | None:
        """Article ``number``, or None."""
        ...

    async def by_doc(self, doc_id: str) -> Article | None:
        """The article the knowledge base knows as ``doc_id``, or None."""
        ...

    async def listed(self, states: Collection[ArticleState], *, limit: int = 50) -> list[Article]:
        """Articles in any of ``states``, the most recently changed first."""
        ...

    async def revise(
        self, number: int, title: str, body: str, actor: str, at: datetime, *, state: ArticleState, version: int
    ) -> Article:
        """Save a new version and move to ``state``; ``ArticleConflict`` unless the newest is ``version``."""
        ...

    async def move(
        self, number: int, to: ArticleState, actor: str, at: datetime, *, reason: str = "", expected: ArticleState
    ) -> Article:
        """Move from ``expected`` to ``to`` and log it (published: the newest version goes live; archived: none).

        ``ArticleConflict`` when the article is not in ``expected`` any more, or ``to`` is not a move it allows.
        """
        ...

    async def versions(self, number: int) -> list[ArticleVersion]:
        """Every saved version of article ``number``, oldest first."""
        ...

    async def history(self, number: int) -> list[ArticleEvent]:
        """Article ``number``'s audit log, oldest first."""
        ...

    async def live(self) -> list[LiveArticle]:
        """The live text of every chat and ticket article that has one, by number."""
        ...

    async def add_phrasing(self, phrasing: Phrasing) -> bool:
        """Keep another phrasing of an article's question; False when it has that one already."""
        ...

    async def phrasings(self) -> list[Phrasing]:
        """Every kept phrasing, oldest first."""
        ...

    async def sync_files(self, files: Sequence[FileArticle], at: datetime) -> int:
        """Make the file articles match a build: add new ones, update changed ones, archive removed ones.

        Returns how many changed.
        """
        ...
