"""The port that keeps satisfaction surveys and their answers, apart from the ticket store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.messages import Address, Outbound
    from core.satisfaction.records import NewSurvey, Survey, SurveyKind


class Surveys(Protocol):
    """Surveys sent and answered; at most one CSAT survey per ticket, enforced by the database."""

    async def send(self, survey: NewSurvey, question: Callable[[Survey], Outbound] | None = None) -> Survey | None:
        """Record a survey as sent; None (and nothing stored) if the unique rules say it was already asked.

        With ``question``, the notice it builds from the stored survey is queued in the outbox in the same
        transaction: asked once across workers, and never lost to a crash before it is delivered.
        """
        ...

    async def get(self, survey_id: int) -> Survey | None:
        """The survey with this number, if any."""
        ...

    async def for_ticket(self, ticket: int) -> Survey | None:
        """The ticket's CSAT survey, if one was sent."""
        ...

    async def answer(self, survey_id: int, score: int | None, comment: str | None, at: datetime) -> Survey:
        """Keep a score and/or comment (``None`` leaves it as it is); ``answered_at`` is set by the first score.

        An unknown survey raises ``SurveyNotFoundError``; a score off the survey's scale ``ValueError``.
        """
        ...

    async def latest_for(self, kind: SurveyKind, platform: str, person: str) -> Survey | None:
        """The newest survey of this kind sent to this person, answered or not."""
        ...

    async def latest_in(self, address: Address, person: str) -> Survey | None:
        """The newest survey of any kind sent to this person in the conversation at ``address``."""
        ...

    async def sent_between(self, start: datetime, end: datetime) -> list[Survey]:
        """Surveys sent in ``[start, end)``, oldest first, with their answers."""
        ...
