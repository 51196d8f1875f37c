"""Satisfaction surveys in SQL: the unique indexes, not the sender, keep one CSAT per ticket and one NPS a day."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.satisfaction.records import SCALES, Survey, SurveyKind, SurveyNotFoundError
from core.store import rows
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox, surveys

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy import RowMapping

    from core.messages import Address, Outbound
    from core.satisfaction.records import NewSurvey


class SqlSurveys(SqlPort):
    """The ``Surveys`` port in a SQL database."""

    async def send(self, survey: NewSurvey, question: Callable[[Survey], Outbound] | None = None) -> Survey | None:
        """Record a survey as sent, and queue ``question``'s notice with it; None (nothing stored) if already asked."""
        values = survey_values(survey)
        try:  # two workers asking at once: the unique index decides, the loser stores and queues nothing
            async with self._write() as conn:
                inserted = await conn.execute(insert(surveys).values(values).returning(surveys.c.id))
                number = int(inserted.scalar_one())
                stored = survey_from(
                    (await conn.execute(select(surveys).where(surveys.c.id == number))).mappings().one()
                )
                if question is not None:
                    row = outbound_values(question(stored))
                    await conn.execute(insert(outbox).values(**row, created_at=survey.sent_at, attempts=0))
        except IntegrityError:
            return None
        return stored

    async def get(self, survey_id: int) -> Survey | None:
        """The survey with this number, if any."""
        found = await self._read(select(surveys).where(surveys.c.id == survey_id))
        return survey_from(found[0]) if found else None

    async def for_ticket(self, ticket: int) -> Survey | None:
        """The ticket's CSAT survey, if one was sent."""
        query = select(surveys).where(surveys.c.kind == SurveyKind.CSAT.value, surveys.c.ticket_id == ticket)
        found = await self._read(query)
        return survey_from(found[0]) if found else None

    async def answer(self, survey_id: int, score: int | None, comment: str | None, at: datetime) -> Survey:
        """Keep a score and/or comment (``None`` leaves it); ``answered_at`` is the first score's time.

        A score outside the survey's scale is refused with ``ValueError`` and nothing is changed.
        """
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"naive datetime {at.isoformat()} cannot be stored; give it a timezone")
        at = at.astimezone(UTC)
        async with self._write() as conn:
            found = (await conn.execute(select(surveys).where(surveys.c.id == survey_id))).mappings().first()
            if found is None:
                raise SurveyNotFoundError(survey_id)
            current = survey_from(found)
            changes = answer_changes(current, score, comment, at)
            if changes:
                await conn.execute(update(surveys).where(surveys.c.id == survey_id).values(changes))
        return survey_from({**found, **changes})

    async def latest_for(self, kind: SurveyKind, platform: str, person: str) -> Survey | None:
        """The newest survey of this kind sent to this person, answered or not."""
        query = (
            select(surveys)
            .where(surveys.c.kind == kind.value, surveys.c.platform == platform, surveys.c.person == person)
            .order_by(surveys.c.sent_at.desc(), surveys.c.id.desc())
            .limit(1)
        )
        found = await self._read(query)
        return survey_from(found[0]) if found else None

    async def latest_in(self, address: Address, person: str) -> Survey | None:
        """The newest survey of any kind sent to this person in the conversation at ``address``."""
        query = (
            select(surveys)
            .where(rows.in_thread(surveys, address), surveys.c.person == person)
            .order_by(surveys.c.sent_at.desc(), surveys.c.id.desc())
            .limit(1)
        )
        found = await self._read(query)
        return survey_from(found[0]) if found else None

    async def sent_between(self, start: datetime, end: datetime) -> list[Survey]:
        """Surveys sent in ``[start, end)``, oldest first, with their answers."""
        query = (
            select(surveys)
            .where(surveys.c.sent_at >= start, surveys.c.sent_at < end)
            .order_by(surveys.c.sent_at, surveys.c.id)
        )
        return [survey_from(row) for row in await self._read(query)]


def survey_values(survey: NewSurvey) -> dict[str, Any]:
    """The row of a survey being sent; a survey asked on another platform than its person's is refused."""
    if survey.address.platform != survey.platform:
        raise ValueError(
            f"a survey for a {survey.platform} person must be asked on {survey.platform}, "
            f"not at a {survey.address.platform} address"
        )
    if survey.kind is SurveyKind.CSAT and survey.ticket is None:
        raise ValueError("a CSAT survey is about a ticket; give its number")
    if survey.sent_at.tzinfo is None or survey.sent_at.utcoffset() is None:
        raise ValueError(f"naive datetime {survey.sent_at.isoformat()} cannot be stored; give it a timezone")
    return {
        "kind": survey.kind.value,
        "ticket_id": survey.ticket,
        **rows.address_values(survey.address),
        "person": survey.person,
        "tier": survey.tier,
        "agent": survey.agent,
        "sent_at": survey.sent_at,
        "sent_day": survey.sent_at.astimezone(UTC).date().isoformat(),
        "comment": "",
    }


def answer_changes(current: Survey, score: int | None, comment: str | None, at: datetime) -> dict[str, Any]:
    """The columns an answer changes: score and comment as given, the first score's time, the latest change's."""
    if score is not None and score not in SCALES[current.kind]:
        scale = SCALES[current.kind]
        raise ValueError(
            f"a {current.kind.value.upper()} score is a whole number from {scale.start} to {scale.stop - 1}, "
            f"not {score}"
        )
    changes: dict[str, Any] = {}
    if score is not None and score != current.score:
        changes["score"] = score
    if comment is not None and comment != current.comment:
        changes["comment"] = comment
    if score is not None and current.answered_at is None:
        changes["answered_at"] = at
    if changes:
        changes["updated_at"] = at
    return changes


def survey_from(row: RowMapping | dict[str, Any]) -> Survey:
    """A survey read back from its row."""
    return Survey(
        id=row["id"],
        kind=SurveyKind(row["kind"]),
        ticket=row["ticket_id"],
        platform=row["platform"],
        person=row["person"],
        address=rows.address_from(row),
        tier=row["tier"],
        agent=row["agent"],
        sent_at=row["sent_at"],
        score=row["score"],
        comment=row["comment"],
        answered_at=row["answered_at"],
        updated_at=row["updated_at"],
    )
