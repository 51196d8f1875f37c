"""The incident records: an incident, its updates, and the errors its commands answer with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import HelplineError

TITLE_CHARS = 200  # the longest incident title kept
TEXT_CHARS = 2000  # the longest update kept


class Severity(StrEnum):
    """How bad an incident is; critical ones re-send their latest status until resolved."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class IncidentStatus(StrEnum):
    """Where an incident stands."""

    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class IncidentUpdate:
    """One status update: what the team says, who said it, when."""

    id: int
    text: str
    author: str  # platform:id of the moderator
    at: datetime
    resolution: bool = False  # the update that resolved the incident


@dataclass(frozen=True)
class Incident:
    """A problem shared by many tickets, with its updates (oldest first) and the tickets linked to it."""

    number: int
    title: str
    severity: Severity
    status: IncidentStatus
    opened_by: str
    opened_at: datetime
    resolved_at: datetime | None = None
    updates: tuple[IncidentUpdate, ...] = ()
    tickets: tuple[int, ...] = ()  # by number

    @property
    def latest(self) -> IncidentUpdate | None:
        """The newest update, if any."""
        return self.updates[-1] if self.updates else None

    @property
    def is_open(self) -> bool:
        """True until the incident is resolved."""
        return self.status is IncidentStatus.OPEN


class IncidentError(HelplineError):
    """An incident command that cannot be carried out; the message says why."""


class IncidentNotFoundError(IncidentError):
    """No incident has that number."""

    def __init__(self, number: int) -> None:
        super().__init__(f"There is no incident #{number}.")
        self.number = number
