"""The platform-neutral messages that flow between the bots and the core.

Adapters translate a Discord, Slack or GitHub event into an ``Inbound`` message (a written message,
a command as text or typed, a picked choice) and the core's ``Reply`` objects back into the
platform's form; the core never sees an SDK type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import quote, unquote

from core.commands import Command
from core.text import strip_invisible

if TYPE_CHECKING:
    from core.community.records import Enforcement

CONSOLE = "console"
DISCORD = "discord"
SLACK = "slack"
GITHUB = "github"


@dataclass(frozen=True)
class Address:
    """A place messages live in: platform, workspace (guild, Slack team, org/repo), channel and thread."""

    platform: str
    workspace: str = ""
    channel: str = ""
    thread: str = ""

    @classmethod
    def parse(cls, text: str) -> Address:
        """Read ``platform[:channel]`` or ``platform:workspace/channel[/thread]``, e.g. ``slack:C123``.

        Parts may be empty in the ``/`` forms (``slack:T1/`` is a workspace alone, ``slack:/C1/1.2`` a
        thread without its workspace), and ``%2F``-style escapes are read back, so ``str`` of every
        address parses back to it.
        """
        platform, _, rest = text.strip().partition(":")
        if not platform or not platform.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"{text!r} is not an address like 'console', 'slack:C123' or 'discord:456'")
        parts = [unquote(part) for part in rest.split("/")] if rest else []
        if len(parts) > 3 or (parts and not any(parts)):
            raise ValueError(f"{text!r} is not an address like 'platform:workspace/channel/thread'")
        if len(parts) == 1:
            return cls(platform.lower(), channel=parts[0])
        return cls(platform.lower(), *parts)

    def __str__(self) -> str:
        workspace, channel, thread = (_quote(part) for part in (self.workspace, self.channel, self.thread))
        if not (workspace or channel or thread):
            return self.platform
        if not workspace and not thread:
            return f"{self.platform}:{channel}"
        if not thread:  # "slack:T1/C1", and "slack:T1/" for a workspace alone
            return f"{self.platform}:{workspace}/{channel}"
        return f"{self.platform}:{workspace}/{channel}/{thread}"


def _quote(part: str) -> str:
    # "/" separates the parts and "%" starts an escape; spaces at the ends would be lost to strip().
    # Platform ids never hold these, so the usual strings (and those already in config and the database) stay
    # as they were; only a stored string with a literal "%XX" in it would now read as its escape.
    return quote(part, safe=_SAFE) if part else part


_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "/%")


@dataclass(frozen=True)
class Author:
    """Who wrote a message, with the roles the platform gives them."""

    id: str
    name: str
    roles: frozenset[str] = frozenset()
    # The author's own organisation when it differs from where they write: on Slack Connect, a
    # customer's team id in a channel shared from the vendor's workspace. Empty when unknown.
    team: str = ""
    zone: str = ""  # their IANA time zone when the platform says (Slack's profile); empty when unknown


class _FromPlatform:
    """What every inbound message has: where it was written and by whom."""

    address: Address
    author: Author

    @property
    def platform(self) -> str:
        """The platform the message came from."""
        return self.address.platform


@dataclass(frozen=True)
class FileRef:
    """A file someone sent with a message, as a reference to where their platform keeps it, never its bytes."""

    name: str
    url: str  # as the platform gave it; only an http(s) one ever becomes a link
    media_type: str = ""  # e.g. ``image/png``; empty when the platform does not say
    size: int | None = None  # in bytes, when the platform says


MAX_FILES = 20  # kept per message; a message with more keeps the first ones
FILE_NAME_CHARS = 255
FILE_URL_CHARS = 2048  # a longer address is not kept: cut, it would lead somewhere else
MEDIA_TYPE_CHARS = 127


def bounded_files(files: Sequence[FileRef]) -> tuple[FileRef, ...]:
    """``files`` as they are kept: the first ``MAX_FILES``, each name and media type made one visible line, cut.

    A name too long is cut (with "…"); an address too long, or with spaces or invisible characters in it,
    is dropped, since a cut or cleaned address would lead somewhere else. A negative size is unknown.
    """
    kept = []
    for file in files[:MAX_FILES]:
        name = _one_line(file.name) or "unnamed file"
        name = name if len(name) <= FILE_NAME_CHARS else name[: FILE_NAME_CHARS - 1].rstrip() + "…"
        url = file.url.strip()
        url = url if len(url) <= FILE_URL_CHARS and url.isprintable() and " " not in url else ""
        media_type = _one_line(file.media_type)
        media_type = media_type if len(media_type) <= MEDIA_TYPE_CHARS else ""
        size = file.size if file.size is not None and file.size >= 0 else None
        kept.append(FileRef(name, url, media_type, size))
    return tuple(kept)


def _one_line(text: str) -> str:
    return " ".join(strip_invisible(text).split())


@dataclass(frozen=True)
class IncomingMessage(_FromPlatform):
    """A message someone wrote, as the core sees it.

    ``text`` is kept exactly as received (it may even be bytes); the core cleans its own copy. ``files`` are
    what came with it (a message may be a file alone, with no text).
    """

    address: Address
    author: Author
    text: str | bytes
    message_id: str = ""
    received_at: datetime | None = None
    # ISO 639-1 code when the platform knows the writer's language; empty lets the core detect it.
    language: str = ""
    files: tuple[FileRef, ...] = ()
    member_since: datetime | None = None  # when the author joined the server, if the platform says (spam rules)


@dataclass(frozen=True)
class CommandText(_FromPlatform):
    """A moderator command typed as text, without its platform prefix (``claim 12``); the core parses it once."""

    address: Address
    author: Author
    text: str
    message_id: str = ""
    received_at: datetime | None = None


@dataclass(frozen=True)
class CommandMessage(_FromPlatform):
    """A moderator command an adapter built from its platform's own typed structure (slash-command options)."""

    address: Address
    author: Author
    command: Command
    message_id: str = ""
    received_at: datetime | None = None


class Destination(StrEnum):
    """Where a reply goes, relative to the message it answers."""

    THREAD = "thread"
    CHANNEL = "channel"
    DIRECT = "direct"


class ReplyKind(StrEnum):
    """What a reply is, for adapters that render kinds differently and for ``--json``."""

    ANSWER = "answer"
    TICKET = "ticket"
    ESCALATION = "escalation"
    WARNING = "warning"  # an SLA warning or status reminder to the team: may mention, never the customer
    INFO = "info"
    ERROR = "error"
    SURVEY = "survey"  # a satisfaction question (CSAT or NPS) with its rating choices
    GUARD = "guard"  # no text: the platform deletes the spam message or times its author out (``enforcement``)


class Action(StrEnum):
    """What picking a choice does."""

    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"
    HUMAN = "human"
    OPEN_TICKET = "open_ticket"
    ADD_TO_TICKET = "add_to_ticket"  # the message waiting for a choice belongs to the choice's ticket
    NEW_QUESTION = "new_question"  # ... or it starts a new conversation
    CLAIM = "claim"
    ACKNOWLEDGE = "ack"
    RATE = "rate"  # a survey answer: ``score`` on the scale of the survey ``ticket`` names (its number)
    VOTE = "vote"  # a vote for the feature request ``ticket`` names (its number)
    UNVOTE = "unvote"  # ... withdrawn
    FILE_REQUEST = "file_request"  # "Record this as a feature request?": yes, for the draft ``ticket`` names
    BOOK_CALL = (
        "book_call"  # a video-call slot: ``score`` is its start (minutes since the epoch), ``ticket`` its ticket
    )
    OFFER_CALL = "offer_call"  # "Book a call" on a ticket's acknowledgement: the slots for the ``ticket`` named


@dataclass(frozen=True)
class Citation:
    """The knowledge-base article an answer came from."""

    title: str
    url: str
    passage: str | None = None  # the chunk id of the passage quoted, for the votes on it


@dataclass(frozen=True)
class Choice:
    """A button (or numbered option) offered with a reply; ``ticket`` ties it to a ticket."""

    label: str
    action: Action
    ticket: int | None = None
    score: int | None = None  # with ``Action.RATE``: the rating this choice gives; ``ticket`` is the survey

    @property
    def value(self) -> str:
        """The action as one string, e.g. ``claim:12`` or ``rate:7:5``, for platforms that carry a button value."""
        if self.ticket is None:
            return self.action.value
        return f"{self.action.value}:{self.ticket}" + (f":{self.score}" if self.score is not None else "")

    @classmethod
    def parse_value(cls, value: str) -> tuple[Action, int | None]:
        """The action and ticket of a button value made by ``value``; ``ValueError`` if it is not one."""
        choice = cls.parse(value)
        return choice.action, choice.ticket

    @classmethod
    def parse(cls, value: str) -> Choice:
        """The choice (without its label) a button value made by ``value`` stands for; ``ValueError`` if none."""
        name, _, rest = value.partition(":")
        number, _, score = rest.partition(":")
        action = Action(name)
        if score and action not in (Action.RATE, Action.BOOK_CALL):
            raise ValueError(f"{value!r}: only a rating or a call's time carries a score")
        return cls("", action, int(number) if number else None, int(score) if score else None)


@dataclass(frozen=True)
class ChoiceMessage(_FromPlatform):
    """A picked choice (a button, a numbered option): its action and ticket, already read by the adapter."""

    address: Address
    author: Author
    action: Action
    ticket: int | None = None
    message_id: str = ""
    received_at: datetime | None = None
    score: int | None = None  # with ``Action.RATE``: the rating picked (``ticket`` is then the survey's number)


# Everything an adapter hands to the desk.
Inbound: TypeAlias = IncomingMessage | CommandText | CommandMessage | ChoiceMessage


def not_offered(value: str) -> Reply:
    """The answer to a choice value no reply of ours carries (an old, mistyped or forged button)."""
    return Reply(ReplyKind.ERROR, f"{value!r} is not a choice I offered.")


@dataclass(frozen=True)
class Mention:
    """Someone a core-initiated message must notify, platform-neutrally: a user or a group on one platform.

    Adapters render the mentions of their own platform (``<@U…>``, ``<!subteam^S…>``, ``<@&role>``) and ignore
    the others; ``text`` is written as ``platform:user:ID`` or ``platform:group:ID``.
    """

    platform: str
    kind: str  # "user" or "group" (a Discord role, a Slack user group)
    id: str

    @classmethod
    def parse(cls, text: str) -> Mention:
        """Read ``platform:user:ID`` or ``platform:group:ID``; ``ValueError`` with the reason otherwise."""
        platform, kind, ident = (part.strip() for part in [*text.split(":", 2), "", ""][:3])
        if not platform or kind not in ("user", "group") or not ident:
            raise ValueError(f"{text!r} is not a mention like slack:group:S0123ABC or discord:user:81234")
        return cls(platform.lower(), kind, ident)

    def __str__(self) -> str:
        return f"{self.platform}:{self.kind}:{self.id}"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (the weekly digest's chart): its file name, media type and bytes."""

    name: str
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Reply:
    """Something the core says: text, maybe a citation, choices and files, and where it goes."""

    kind: ReplyKind
    text: str
    citation: Citation | None = None
    choices: tuple[Choice, ...] = ()
    destination: Destination = Destination.THREAD
    intent: str | None = None
    ticket: int | None = None
    # The conversation a reply is about when it is sent elsewhere (an escalation), so adapters can link to it.
    origin: Address | None = None
    # Whom a core-initiated notice must notify (an escalation level's people, the on-call shift, an assignee).
    mentions: tuple[Mention, ...] = ()
    # Files to deliver with the text; a platform that cannot upload says so in the text instead.
    attachments: tuple[Attachment, ...] = ()
    enforcement: Enforcement | None = None  # with ``ReplyKind.GUARD``: what the platform does about the message


@dataclass(frozen=True)
class Outbound:
    """A message the core starts itself (an escalation, a notice to a customer) and where it goes."""

    address: Address
    reply: Reply
