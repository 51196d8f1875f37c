"""The knowledge domain's port: the votes customers give the passages they were answered with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta

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
