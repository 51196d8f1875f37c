"""The typed records of the moderator commands, one frozen dataclass each; ``core.commands`` tables them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from core.tickets.priority import Priority


@dataclass(frozen=True)
class ListTickets:
    """List tickets: open ones, the moderator's own, or those missing a target."""

    scope: str = "open"


@dataclass(frozen=True)
class ShowTicket:
    """Show one ticket and its history."""

    number: int


@dataclass(frozen=True)
class Claim:
    """Take a ticket as its assignee."""

    number: int


@dataclass(frozen=True)
class ReplyTo:
    """Answer a ticket's customer."""

    number: int
    text: str


@dataclass(frozen=True)
class Note:
    """Add an internal note the customer never sees."""

    number: int
    text: str


@dataclass(frozen=True)
class SetPriority:
    """Change a ticket's priority, and with it its deadlines."""

    number: int
    priority: Priority


@dataclass(frozen=True)
class Escalate:
    """Hand a ticket to the tier's escalation contact now, or to engineering as a tracker issue."""

    number: int
    to: str = ""  # "engineering": a GitHub issue with the escalation package


@dataclass(frozen=True)
class Acknowledge:
    """Take an escalation: its chain stops for this ticket."""

    number: int


@dataclass(frozen=True)
class ExplainSla:
    """Show a ticket's SLA clocks: targets, deadlines, time spent, pauses and the calendar."""

    number: int


@dataclass(frozen=True)
class Resolve:
    """Mark a ticket resolved."""

    number: int


@dataclass(frozen=True)
class Reopen:
    """Reopen a resolved ticket."""

    number: int


@dataclass(frozen=True)
class Assign:
    """Give a ticket to someone else; they become its assignee and are told."""

    number: int
    person: str  # the person's id on the platform the command was run on


@dataclass(frozen=True)
class SetTier:
    """Move a ticket to another support tier; its SLA is planned again under that tier's promises."""

    number: int
    tier: str


@dataclass(frozen=True)
class CorrectIntent:
    """Say what a ticket is really about: its intent changes and its question becomes a labelled example."""

    number: int
    intent: str


@dataclass(frozen=True)
class KbSearch:
    """Search the knowledge base."""

    text: str


@dataclass(frozen=True)
class KbAdd:
    """Add an article to the knowledge base."""

    title: str
    body: str


@dataclass(frozen=True)
class KbDrafts:
    """List the review queue: drafts and articles in review."""


@dataclass(frozen=True)
class KbShow:
    """Show an article: its state, versions, audit log and what its newest version changes."""

    number: int


@dataclass(frozen=True)
class KbEdit:
    """Save a new version of an article; ``title`` None keeps its title."""

    number: int
    body: str
    title: str | None = None


@dataclass(frozen=True)
class KbApprove:
    """Publish an article (without the publisher role: send a draft to review)."""

    number: int


@dataclass(frozen=True)
class KbReject:
    """Send an article in review back to draft, saying why."""

    number: int
    reason: str = ""


@dataclass(frozen=True)
class KbArchive:
    """Stop serving an article."""

    number: int


# The article life cycle's commands, which the desk's knowledge commands run.
KbLifecycle: TypeAlias = KbDrafts | KbShow | KbEdit | KbApprove | KbReject | KbArchive


@dataclass(frozen=True)
class Stats:
    """Show ticket and SLA statistics."""


@dataclass(frozen=True)
class Rate:
    """A customer's answer to a survey: a rating, a comment, or both; ``survey`` None is the thread's newest."""

    score: int | None
    comment: str = ""
    survey: int | None = None


@dataclass(frozen=True)
class StopJourney:
    """Stop one's onboarding messages (``/helpline stop``)."""


@dataclass(frozen=True)
class ForgetMe:
    """Ask the team to erase everything held about oneself (``/helpline forget me``); a lead approves."""


@dataclass(frozen=True)
class Login:
    """Ask for a one-time link that signs the moderator in to the dashboard as themselves."""


@dataclass(frozen=True)
class Link:
    """Link one's identities on two platforms: without a code, ask for one; with one, enter it."""

    code: str = ""


@dataclass(frozen=True)
class LinkIdentities:
    """A moderator joins two identities into one person (``@mention`` on this platform, or ``platform:id``)."""

    first: str
    second: str


@dataclass(frozen=True)
class UnlinkIdentity:
    """A moderator separates an identity from the person it is linked to."""

    identity: str


@dataclass(frozen=True)
class Help:
    """List the commands."""


@dataclass(frozen=True)
class ExtraCommand:
    """The base of the commands a feature package brings: it tables them in ``core.command_extras``."""


# The knowledge base's life-cycle commands (core.desk.knowledge_commands).
KnowledgeCommand: TypeAlias = KbAdd | KbDrafts | KbShow | KbEdit | KbApprove | KbReject | KbArchive

Command: TypeAlias = (
    ListTickets
    | ShowTicket
    | Claim
    | Assign
    | ReplyTo
    | Note
    | SetPriority
    | SetTier
    | CorrectIntent
    | Escalate
    | Acknowledge
    | ExplainSla
    | Resolve
    | Reopen
    | KbSearch
    | KbAdd
    | KbDrafts
    | KbShow
    | KbEdit
    | KbApprove
    | KbReject
    | KbArchive
    | Stats
    | Rate
    | Login
    | StopJourney
    | ForgetMe
    | Link
    | LinkIdentities
    | UnlinkIdentity
    | Help
    | ExtraCommand
)
