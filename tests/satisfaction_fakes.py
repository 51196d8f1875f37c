"""An in-memory ``Surveys`` with the rules the SQL store keeps by unique indexes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from core.satisfaction.records import SCALES, NewSurvey, Survey, SurveyKind, SurveyNotFoundError
from tests.store_state import MemoryState

if TYPE_CHECKING:
    from core.messages import Address, Outbound


class InMemorySurveys:
    """Surveys in a dict: one CSAT survey per ticket, one NPS survey per (platform, person, UTC day).

    Questions are queued in ``state``'s outbox, the one the in-memory outbox drains.
    """

    def __init__(self, state: MemoryState | None = None) -> None:
        self.surveys: dict[int, Survey] = {}
        self._state = state if state is not None else MemoryState()

    async def send(self, survey: NewSurvey, question: Callable[[Survey], Outbound] | None = None) -> Survey | None:
        """Keep ``survey`` (and queue its question) unless its ticket (CSAT) or its person's day (NPS) has one."""
        for kept in self.surveys.values():
            if kept.kind is not survey.kind:
                continue
            if survey.kind is SurveyKind.CSAT and kept.ticket == survey.ticket:
                return None
            same_day = kept.sent_at.date() == survey.sent_at.date()
            same_person = (kept.platform, kept.person) == (survey.platform, survey.person)
            if survey.kind is SurveyKind.NPS and same_person and same_day:
                return None
        number = len(self.surveys) + 1
        stored = Survey(number, survey.kind, survey.ticket, survey.platform, survey.person, survey.address,
                        survey.tier, survey.agent, survey.sent_at)  # fmt: skip
        notice = question(stored) if question is not None else None  # built first: a failure stores nothing
        self.surveys[number] = stored
        if notice is not None:
            self._state.enqueue(None, None, notice)
        return stored

    async def get(self, survey_id: int) -> Survey | None:
        """The survey with this number, if any."""
        return self.surveys.get(survey_id)

    async def for_ticket(self, ticket: int) -> Survey | None:
        """The ticket's CSAT survey, if one was sent."""
        return next((s for s in self.surveys.values() if s.kind is SurveyKind.CSAT and s.ticket == ticket), None)

    async def answer(self, survey_id: int, score: int | None, comment: str | None, at: datetime) -> Survey:
        """Keep a score and/or a comment; the first score sets ``answered_at``."""
        if survey_id not in self.surveys:
            raise SurveyNotFoundError(survey_id)
        kept = self.surveys[survey_id]
        if score is not None and score not in SCALES[kept.kind]:
            scale = SCALES[kept.kind]
            raise ValueError(
                f"a {kept.kind.value.upper()} score is a whole number from {scale[0]} to {scale[-1]}, not {score}"
            )
        changed = replace(
            kept,
            score=kept.score if score is None else score,
            comment=kept.comment if comment is None else comment,
            answered_at=kept.answered_at or (at if score is not None else None),
            updated_at=at,
        )
        self.surveys[survey_id] = changed
        return changed

    async def latest_for(self, kind: SurveyKind, platform: str, person: str) -> Survey | None:
        """The newest survey of ``kind`` sent to this person."""
        mine = [s for s in self.surveys.values() if (s.kind, s.platform, s.person) == (kind, platform, person)]
        return max(mine, key=lambda s: (s.sent_at, s.id), default=None)

    async def latest_in(self, address: Address, person: str) -> Survey | None:
        """The newest survey of any kind sent to this person at ``address``."""
        mine = [s for s in self.surveys.values() if (s.address, s.person) == (address, person)]
        return max(mine, key=lambda s: (s.sent_at, s.id), default=None)

    async def sent_between(self, start: datetime, end: datetime) -> list[Survey]:
        """Surveys sent in ``[start, end)``, oldest first."""
        found = [s for s in self.surveys.values() if start <= s.sent_at < end]
        return sorted(found, key=lambda s: (s.sent_at, s.id))
