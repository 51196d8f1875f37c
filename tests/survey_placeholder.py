"""A stand-in for the in-memory ``Surveys`` fake until the surveys helper's one is merged (then delete this file).

Every method says so instead of pretending: no test can pass on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from datetime import datetime

    from core.satisfaction.records import NewSurvey, Survey, SurveyKind

_WHY = "the in-memory Surveys fake is the surveys helper's (tests/satisfaction_fakes.py); not merged here yet"


class NoSurveys:
    """The ``Surveys`` port's shape with no behaviour: each call raises ``NotImplementedError``."""

    async def send(self, survey: NewSurvey) -> Survey | None:
        """Not here yet."""
        return _missing()

    async def get(self, survey_id: int) -> Survey | None:
        """Not here yet."""
        return _missing()

    async def for_ticket(self, ticket: int) -> Survey | None:
        """Not here yet."""
        return _missing()

    async def answer(self, survey_id: int, score: int | None, comment: str | None, at: datetime) -> Survey:
        """Not here yet."""
        return _missing()

    async def latest_for(self, kind: SurveyKind, platform: str, person: str) -> Survey | None:
        """Not here yet."""
        return _missing()

    async def sent_between(self, start: datetime, end: datetime) -> list[Survey]:
        """Not here yet."""
        return _missing()


def _missing() -> NoReturn:
    raise NotImplementedError(_WHY)
