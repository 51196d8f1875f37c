"""The ``GapQuestions`` port in SQL: the questions the desk could not answer well, one row each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from core.knowledge.gap_records import GapQuestion, GapReason
from core.store import rows
from core.store.base import SqlPort
from core.store.schema_gaps import gap_questions

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import RowMapping


class SqlGapQuestions(SqlPort):
    """Gap questions in a SQL database."""

    async def record(self, question: GapQuestion) -> None:
        """Keep ``question``."""
        values = {
            **rows.address_values(question.address),
            "person": question.person,
            "tier": question.tier,
            "question": question.text,
            "reason": question.reason.value,
            "score": question.score,
            "at": question.at,
        }
        async with self._write() as conn:
            await conn.execute(insert(gap_questions).values(values))

    async def since(self, since: datetime, *, until: datetime | None = None, limit: int = 5000) -> list[GapQuestion]:
        """The questions kept from ``since`` to before ``until`` (open: now), oldest first; the newest ``limit``."""
        c = gap_questions.c
        period = select(gap_questions).where(c.at >= since)
        if until is not None:
            period = period.where(c.at < until)
        newest = period.order_by(c.at.desc(), c.id.desc()).limit(limit)
        found = await self._read(newest)
        return [_question_from(row) for row in reversed(found)]


def _question_from(row: RowMapping) -> GapQuestion:
    score = row["score"]
    return GapQuestion(
        address=rows.address_from(row),
        person=row["person"],
        tier=row["tier"],
        text=row["question"],
        reason=GapReason(row["reason"]),
        at=row["at"],
        score=None if score is None else float(score),
    )
