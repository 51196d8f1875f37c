"""QA reviews in SQL: a review and the note to its agent are kept in one transaction, once per ticket."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core.reviews.records import Review
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox
from core.store.schema_reviews import reviews

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping

    from core.messages import Outbound

_r = reviews.c


class SqlReviews(SqlPort):
    """The ``Reviews`` port in a SQL database."""

    async def save(self, review: Review, notices: Sequence[Outbound]) -> bool:
        """Insert the review (the unique ticket index refuses a second) and queue ``notices`` with it."""
        try:
            async with self._write() as conn:
                if (await conn.execute(select(_r.id).where(_r.ticket_id == review.ticket))).first() is not None:
                    return False
                await conn.execute(insert(reviews).values(_values(review)))
                for notice in notices:
                    await conn.execute(
                        insert(outbox).values(**outbound_values(notice), created_at=review.at, attempts=0)
                    )
        except IntegrityError:  # another lead's review of the same ticket won the race
            return False
        return True

    async def of_ticket(self, ticket: int) -> Review | None:
        """The ticket's review."""
        found = await self._read(select(reviews).where(_r.ticket_id == ticket))
        return _review(found[0]) if found else None

    async def reviewed(self, tickets: Sequence[int]) -> set[int]:
        """Which of ``tickets`` have a review, read in chunks to keep each query's parameters few."""
        found: set[int] = set()
        numbers = list(dict.fromkeys(tickets))
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            rows = await self._read(select(_r.ticket_id).where(_r.ticket_id.in_(chunk)))
            found.update(int(row["ticket_id"]) for row in rows)
        return found

    async def since(self, start: datetime) -> list[Review]:
        """Reviews made at or after ``start``, oldest first."""
        query = select(reviews).where(_r.at >= start).order_by(_r.at, _r.id)
        return [_review(row) for row in await self._read(query)]


def _values(review: Review) -> dict[str, Any]:
    return {
        "ticket_id": review.ticket,
        "reviewer": review.reviewer,
        "agent": review.agent,
        "scores": json.dumps(dict(review.scores), sort_keys=True),
        "note": review.note,
        "at": review.at,
    }


def _review(row: RowMapping) -> Review:
    scores = json.loads(row["scores"])
    return Review(
        ticket=row["ticket_id"],
        reviewer=row["reviewer"],
        agent=row["agent"],
        scores={str(name): int(value) for name, value in scores.items()},
        note=row["note"],
        at=row["at"],
    )
