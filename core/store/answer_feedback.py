"""The ``AnswerFeedback`` port in SQL: one standing vote per thread and passage."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.knowledge.records import AnswerThenTicket, PassageScore, PassageVote, Vote, Voted
from core.store import rows
from core.store.base import SqlPort
from core.store.schema import messages, tickets
from core.store.schema_knowledge import answer_feedback

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

_BOT = "bot"


class SqlAnswerFeedback(SqlPort):
    """Customers' votes on passages, in a SQL database."""

    async def vote(self, vote: PassageVote) -> Voted:
        """Keep ``vote`` as its thread's vote on its passage, replacing an earlier one; say what changed."""
        async with self._write() as conn:
            done = await self._change(conn, vote)
            if done is not None:
                return done
            try:  # the unique constraint decides when two presses race
                async with conn.begin_nested():
                    await conn.execute(insert(answer_feedback).values(_values(vote)))
                return Voted.NEW
            except IntegrityError:
                again = await self._change(conn, vote)
                if again is None:
                    raise
                return again

    async def scores_for(self, passages: Iterable[str]) -> dict[str, PassageScore]:
        """The standing votes on each of ``passages`` that has any."""
        wanted = sorted(set(passages))
        if not wanted:
            return {}
        c = answer_feedback.c
        helpful = c.vote == Vote.HELPFUL.value
        query = (
            select(
                c.passage,
                func.count().filter(helpful).label("helpful"),
                func.count().filter(~helpful).label("not_helpful"),
                func.max(c.at).filter(helpful).label("last_helpful"),
            )
            .where(c.passage.in_(wanted))
            .group_by(c.passage)
        )
        return {
            row["passage"]: PassageScore(
                row["passage"], int(row["helpful"]), int(row["not_helpful"]), _aware(row["last_helpful"])
            )
            for row in await self._read(query)
        }

    async def votes_on(self, passages: Iterable[str]) -> list[PassageVote]:
        """Every standing vote on any of ``passages``."""
        wanted = sorted(set(passages))
        if not wanted:
            return []
        c = answer_feedback.c
        found = await self._read(select(answer_feedback).where(c.passage.in_(wanted)).order_by(c.at, c.id))
        return [_vote_from(row) for row in found]

    async def votes_since(self, since: datetime) -> list[PassageVote]:
        """Every standing vote cast at or after ``since``, oldest first."""
        c = answer_feedback.c
        found = await self._read(select(answer_feedback).where(c.at >= since).order_by(c.at, c.id))
        return [_vote_from(row) for row in found]

    async def answers_then_tickets(self, since: datetime, within: timedelta) -> list[AnswerThenTicket]:
        """Answers given since ``since`` after which a ticket was opened in the same thread within ``within``."""
        m, t = messages.c, tickets.c
        same_thread = and_(*(t[name] == m[name] for name in ("platform", "workspace", "channel", "thread")))
        query = (
            select(m.citation_url, m.citation_title, m.at, t.id, t.subject, t.created_at)
            .join(tickets, same_thread)
            .where(m.role == _BOT, m.citation_url.is_not(None), m.at >= since)
            .where(t.created_at >= m.at)
            .order_by(m.at, t.id)
        )
        return [
            AnswerThenTicket(row["citation_url"], row["citation_title"] or "", row["subject"], row["at"], row["id"])
            for row in await self._read(query)
            if row["created_at"] - row["at"] <= within
        ]

    async def _change(self, conn: AsyncConnection, vote: PassageVote) -> Voted | None:
        """Replace the thread's vote on the passage if it has one: None when it has none yet."""
        c = answer_feedback.c
        mine = and_(rows.in_thread(answer_feedback, vote.address), c.passage == vote.passage)
        row = (await conn.execute(select(c.vote).where(mine))).first()
        if row is None:
            return None
        if row[0] == vote.vote.value:
            return Voted.SAME
        await conn.execute(update(answer_feedback).where(mine).values(vote=vote.vote.value, at=vote.at))
        return Voted.CHANGED


def _values(vote: PassageVote) -> dict[str, Any]:
    return {
        **rows.address_values(vote.address),
        "passage": vote.passage,
        "url": vote.url,
        "title": vote.title,
        "question": vote.question,
        "vote": vote.vote.value,
        "at": vote.at,
    }


def _vote_from(row: RowMapping) -> PassageVote:
    return PassageVote(
        address=rows.address_from(row),
        passage=row["passage"],
        url=row["url"],
        title=row["title"],
        question=row["question"],
        vote=Vote(row["vote"]),
        at=row["at"],
    )


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates may lose the column type on some drivers: read a bare datetime as UTC."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
