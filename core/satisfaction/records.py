"""Satisfaction surveys: CSAT after a resolved ticket, NPS now and then, and the answers customers give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.messages import Address


class SurveyNotFoundError(LookupError):
    """No survey has this number (raised by every ``Surveys`` implementation)."""

    def __init__(self, number: int) -> None:
        super().__init__(f"there is no survey #{number}")
        self.number = number


class SurveyKind(StrEnum):
    """Which question a survey asks."""

    CSAT = "csat"  # "How did we do?" 1-5, once per resolved ticket
    NPS = "nps"  # "How likely are you to recommend ...?" 0-10, at most once per person per interval


SCALES = {SurveyKind.CSAT: range(1, 6), SurveyKind.NPS: range(0, 11)}


@dataclass(frozen=True)
class NewSurvey:
    """A survey about to be sent; the store assigns its number."""

    kind: SurveyKind
    ticket: int | None  # the ticket a CSAT survey is about; None for NPS
    platform: str
    person: str  # the requester's id on ``platform``
    address: Address  # where it was asked (the ticket's thread, or a DM)
    tier: str
    agent: str | None  # credited: the assignee when the ticket was resolved
    sent_at: datetime


@dataclass(frozen=True)
class Survey:
    """A survey sent, and the customer's answer once there is one (the latest, if they changed it)."""

    id: int
    kind: SurveyKind
    ticket: int | None
    platform: str
    person: str
    address: Address
    tier: str
    agent: str | None
    sent_at: datetime
    score: int | None = None
    comment: str = ""
    answered_at: datetime | None = None  # the first answer: when the rating was given
    updated_at: datetime | None = None  # the latest change of score or comment
