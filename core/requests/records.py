"""The records of feature requests: requests, drafts awaiting a confirmation, votes, status changes and merges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import HelplineError
from core.messages import Address

TITLE_CHARS = 120
TEXT_CHARS = 4000


class RequestStatus(StrEnum):
    """Where a request stands: open → planned → started → completed, or declined, or a duplicate of another."""

    OPEN = "open"
    PLANNED = "planned"
    STARTED = "started"
    COMPLETED = "completed"
    DECLINED = "declined"
    DUPLICATE = "duplicate"  # merged into another request (``FeatureRequest.duplicate_of``)

    @property
    def settable(self) -> bool:
        """True for the statuses a moderator sets by hand (a duplicate is made by merging)."""
        return self is not RequestStatus.DUPLICATE


SETTABLE = tuple(status.value for status in RequestStatus if status.settable)
# The roadmap's order: what is being built first, then what is next, then what is asked for.
ROADMAP_ORDER = (RequestStatus.STARTED, RequestStatus.PLANNED, RequestStatus.OPEN, RequestStatus.COMPLETED)


class RequestNotFoundError(HelplineError):
    """No feature request has that number."""

    def __init__(self, number: int) -> None:
        super().__init__(f"There is no feature request #{number}.")
        self.number = number


@dataclass(frozen=True)
class Requester:
    """Who asked or voted: their identity (``platform:id``), name, account and tier, and where they said it."""

    identity: str
    name: str
    account: str
    tier: str
    address: Address
    link: str = ""  # where it was said, as the platform links to it (a message id, an issue URL); may be empty


@dataclass(frozen=True)
class NewRequest:
    """A request as first written: its words and who wrote them, when."""

    title: str
    description: str
    requester: Requester
    at: datetime


@dataclass(frozen=True)
class Draft:
    """A request written but not yet confirmed ("Record this as a feature request?"); ``filed_as`` once it is."""

    id: int
    request: NewRequest
    filed_as: int | None = None


@dataclass(frozen=True)
class FeatureRequest:
    """A filed request with its status, the note of its last change and, when merged, what it duplicates."""

    number: int
    title: str
    description: str
    requester: Requester
    status: RequestStatus
    created_at: datetime
    updated_at: datetime
    note: str = ""
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Vote:
    """One person's vote, kept on the request they voted for (a merge carries it, it is not rewritten).

    ``comment`` is what they wrote when voting (their own words for the same wish); ``voter.address`` is where
    they are told of status changes.
    """

    request: int
    voter: Requester
    at: datetime
    comment: str = ""


@dataclass(frozen=True)
class StatusChange:
    """One change of a request's status, with its optional note."""

    request: int
    old: RequestStatus
    new: RequestStatus
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Merge:
    """``source`` merged into ``target`` (its votes count there); undone when ``undone_at`` is set."""

    source: int
    target: int
    previous: RequestStatus  # the source's status before, restored by an unmerge
    by: str
    at: datetime
    undone_at: datetime | None = None


# The ``link`` of a vote counted from a 👍 on the request's tracker issue: such votes follow the reactions.
REACTION_LINK = "reaction"


@dataclass(frozen=True)
class IssueLink:
    """Request ``request`` is tracked by the issue at ``issue`` (its address: platform, owner, repository,
    number); ``url`` is where people see it, ``by`` who linked it."""

    request: int
    issue: Address
    url: str
    by: str
    at: datetime
