"""The knowledge domain's port in memory, over the shared ``MemoryState``."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core.knowledge.ranking import tally
from core.knowledge.records import AnswerThenTicket, PassageScore, PassageVote, Voted
from core.tickets.records import Role

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta

    from tests.store_state import MemoryState


class InMemoryAnswerFeedback:
    """The ``AnswerFeedback`` port in memory: one standing vote per thread and passage."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    async def vote(self, vote: PassageVote) -> Voted:
        """Keep ``vote`` as its thread's vote on its passage, replacing an earlier one; say what changed."""
        key = (vote.address, vote.passage)
        earlier = self.state.answer_votes.get(key)
        if earlier is not None and earlier.vote is vote.vote:
            return Voted.SAME
        if earlier is not None:  # the row stays; its verdict and time change, as the SQL update does
            self.state.answer_votes[key] = replace(earlier, vote=vote.vote, at=vote.at)
            return Voted.CHANGED
        self.state.answer_votes[key] = vote
        return Voted.NEW

    async def scores_for(self, passages: Iterable[str]) -> dict[str, PassageScore]:
        """The standing votes on each of ``passages`` that has any."""
        return tally(await self.votes_on(passages))

    async def votes_on(self, passages: Iterable[str]) -> list[PassageVote]:
        """Every standing vote on any of ``passages``."""
        wanted = set(passages)
        return sorted((v for v in self.state.answer_votes.values() if v.passage in wanted), key=lambda v: v.at)

    async def votes_since(self, since: datetime) -> list[PassageVote]:
        """Every standing vote cast at or after ``since``, oldest first."""
        return sorted((v for v in self.state.answer_votes.values() if v.at >= since), key=lambda v: v.at)

    async def answers_then_tickets(self, since: datetime, within: timedelta) -> list[AnswerThenTicket]:
        """Answers given since ``since`` after which a ticket was opened in the same thread within ``within``."""
        found = []
        for message in self.state.messages:
            if message.role is not Role.BOT or message.citation is None or message.at < since:
                continue
            for ticket in sorted(self.state.tickets.values(), key=lambda t: t.number):
                if ticket.address == message.address and message.at <= ticket.created_at <= message.at + within:
                    cited = message.citation
                    found.append(AnswerThenTicket(cited.url, cited.title, ticket.subject, message.at, ticket.number))
        return sorted(found, key=lambda a: (a.answered_at, a.ticket))
