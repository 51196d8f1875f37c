"""Pure translation between GitHub webhooks and the core: signatures, events, commands and comment text.

Nothing here does I/O, so every function is tested on GitHub's own recorded payloads.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from pydantic import ValidationError

from bots.github.payloads import IssueCommentPayload, IssuesPayload, PingPayload, problem
from core.messages import GITHUB, Action, Address, Author, CommandText, IncomingMessage, Reply, ReplyKind
from core.text import strip_bidi

if TYPE_CHECKING:
    from bots.github.payloads import IssuePayload, RepositoryPayload, UserPayload

SIGNATURE_PREFIX = "sha256="
COMMAND_PREFIX = "/helpline"
# Commands that make sense on an issue and reveal nothing about other tickets (no list, show or stats).
ISSUE_COMMANDS = ("claim", "assign", "note", "priority", "tier", "escalate", "resolve", "reopen")
# Commands whose answer is news for the issue (the new promise), posted as a comment; the others get a reaction.
ANSWERED_COMMANDS = ("tier",)
COMMAND_USAGE = (
    "/helpline claim · /helpline assign LOGIN · /helpline note TEXT · /helpline priority critical|high|medium|low · "
    "/helpline tier TIER · /helpline escalate · /helpline resolve"
)
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
# "@name" and "@org/team" notify on GitHub; a zero-width space after the "@" keeps the text and stops the ping.
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
# Hidden in every comment the bot posts, so its comments are recognised whatever account posts them
# (with a personal token, that account may be a maintainer's, whose comments would count as answers).
BOT_MARK = "<!-- posted by Helpline -->"
# GitHub refuses comments longer than 65,536 characters; longer text is cut with a note.
COMMENT_CHARS = 60_000
HANDLED = {"issues": frozenset({"opened", "closed", "reopened", "labeled"}), "issue_comment": frozenset({"created"})}
# The feature-request choices as comment commands, GitHub having no buttons: ``/helpline record 4``.
REQUEST_WORDS = {"record": Action.FILE_REQUEST, "vote": Action.VOTE, "unvote": Action.UNVOTE}


class PayloadError(ValueError):
    """A delivery whose JSON is not the shape GitHub documents."""


@dataclass(frozen=True)
class User:
    """Someone on GitHub; ``bot`` for apps and bot accounts."""

    login: str
    bot: bool


@dataclass(frozen=True)
class Repo:
    """A repository, ``owner/name``."""

    owner: str
    name: str

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class Issue:
    """An issue as a delivery describes it."""

    repo: Repo
    number: int
    id: int
    title: str
    body: str
    author: User
    pull_request: bool
    closed: bool = False
    state_reason: str = ""  # why a closed issue was closed: "completed", "not_planned", …

    @property
    def address(self) -> Address:
        """Where the issue's ticket lives: ``github:owner/repo/number``."""
        return issue_address(self.repo, self.number)


@dataclass(frozen=True)
class Ping:
    """GitHub checking that the webhook works."""

    zen: str


@dataclass(frozen=True)
class IssueChanged:
    """``issues``: opened, closed, reopened or labeled (``label``: the label's name)."""

    action: str
    issue: Issue
    sender: User
    label: str = ""


@dataclass(frozen=True)
class Commented:
    """``issue_comment.created``."""

    issue: Issue
    comment_id: int
    body: str
    author: User


GitHubEvent: TypeAlias = Ping | IssueChanged | Commented


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """True only if ``header`` is ``sha256=`` + HMAC-SHA256 of ``body`` under a non-empty ``secret``."""
    if not secret or not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest().encode("ascii")
    # Bytes, not str: compare_digest refuses non-ASCII text, and a forged header may carry some.
    given = header[len(SIGNATURE_PREFIX) :].strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected, given)


def sign(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value GitHub sends for ``body``."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def handled(event: str, payload: object) -> bool:
    """True if Helpline acts on this event and action (others are answered and dropped)."""
    if event == "ping":
        return True
    action = payload.get("action") if isinstance(payload, dict) else None
    return isinstance(action, str) and action in HANDLED.get(event, frozenset())


def read_event(event: str, payload: object) -> GitHubEvent | None:
    """The event in a delivery; None for one Helpline does not act on; ``PayloadError`` if malformed."""
    if not isinstance(payload, dict):
        raise PayloadError("the body is not a JSON object")
    if not handled(event, payload):
        return None
    try:
        if event == "ping":
            return Ping(PingPayload.model_validate(payload).zen or "")
        if event == "issues":
            changed = IssuesPayload.model_validate(payload)
            label = changed.label.name if changed.label is not None else ""
            return IssueChanged(changed.action, _issue(changed.repository, changed.issue), _user(changed.sender), label)
        data = IssueCommentPayload.model_validate(payload)
    except ValidationError as exc:
        raise PayloadError(problem(exc)) from None
    comment = data.comment
    return Commented(_issue(data.repository, data.issue), comment.id, comment.body or "", _user(comment.user))


def issue_address(repo: Repo, number: int) -> Address:
    """The address of an issue: platform github, workspace the owner, channel the repository, thread the number."""
    return Address(GITHUB, repo.owner, repo.name, str(number))


def issue_of(address: Address) -> tuple[str, int] | None:
    """``("owner/repo", number)`` for an issue's address; None for any other address."""
    if address.platform != GITHUB or not (address.workspace and address.channel and address.thread.isdigit()):
        return None
    return f"{address.workspace}/{address.channel}", int(address.thread)


def issue_message(issue: Issue) -> IncomingMessage:
    """The new issue as the core reads it: title, then body."""
    text = f"{issue.title}\n\n{issue.body}".strip()
    author = Author(issue.author.login, issue.author.login)
    return IncomingMessage(issue.address, author, text, f"issue:{issue.id}")


def comment_message(event: Commented, roles: frozenset[str] = frozenset()) -> IncomingMessage:
    """A comment as the core reads it: a message on the issue's ticket."""
    author = Author(event.author.login, event.author.login, roles)
    return IncomingMessage(event.issue.address, author, event.body, f"comment:{event.comment_id}")


def comment_command(event: Commented, roles: frozenset[str], command: str) -> CommandText:
    """A ``/helpline`` comment's command, already in core syntax (``priority 12 high``), for the core to parse."""
    author = Author(event.author.login, event.author.login, roles)
    return CommandText(event.issue.address, author, command, f"comment:{event.comment_id}")


def command_in(body: str) -> str | None:
    """What follows ``/helpline`` when a comment starts with it (``""`` for a bare prefix); else None."""
    first = body.strip().splitlines()[0].strip() if body.strip() else ""
    head, _, rest = first.partition(" ")
    return rest.strip() if head.lower() == COMMAND_PREFIX else None


def core_command(words: str, ticket: int) -> str | None:
    """``priority high`` on the issue of ticket 12 becomes ``priority 12 high``; None if not an issue command."""
    name, _, rest = words.strip().partition(" ")
    name = name.lower()
    if name not in ISSUE_COMMANDS:
        return None
    return " ".join(part for part in (name, str(ticket), rest.strip()) if part)


def marked(body: str) -> str:
    """A comment body as the bot posts it, with its hidden mark."""
    return f"{body}\n\n{BOT_MARK}"


def from_helpline(body: str) -> bool:
    """True for a comment the bot posted itself."""
    return BOT_MARK in body


def quiet(text: str) -> str:
    """Text safe to post: mentions cannot notify anyone and bidirectional controls are removed."""
    return _MENTION.sub("@\u200b", strip_bidi(text))


def acknowledgement_comment(acknowledgement: str, answer: Reply | None) -> str:
    """The one comment on a new issue: its ticket and the tier's promise, then the docs' answer when there is one."""
    lines = ["Thanks for opening this! " + quiet(acknowledgement)]
    if answer is not None:
        lines += ["", "It looks like a known issue, and our docs cover it:", ""]
        if answer.citation is not None:
            lines.append(f"> **{quiet(answer.citation.title)}**")
        lines += [f"> {quiet(line)}" for line in answer.text.splitlines() if line.strip()]
        if answer.citation is not None:
            lines += ["", f"Read more: [{quiet(answer.citation.title)}]({answer.citation.url})"]
        lines += ["", "If this does not solve it, just reply here and a person from the team will pick it up."]
    else:
        lines += ["", "A person from the team will read it; you can add details here at any time."]
    return "\n".join(lines)


def reply_comment(reply: Reply) -> str:
    """A core message (a support reply, a resolution notice) as a comment, quieted and within GitHub's limit."""
    text = quiet(reply.text)
    if reply.kind in (ReplyKind.ESCALATION, ReplyKind.WARNING):  # a notice may mention the people it names
        named = (m.id for m in reply.mentions if m.platform == GITHUB and m.kind == "user")
        people = [f"@{login}" for login in named if _LOGIN.fullmatch(login)]
        text = " ".join([*dict.fromkeys(people), text])
    if len(text) > COMMENT_CHARS:
        text = text[:COMMENT_CHARS].rstrip() + "\n\n(cut here: the whole reply is kept on the Helpline ticket)"
    if reply.citation is not None:
        text += f"\n\nSee: [{quiet(reply.citation.title)}]({reply.citation.url})"
    if reply.attachments:  # the REST API has no upload for comments: say what is missing instead of dropping it
        names = ", ".join(quiet(a.name) for a in reply.attachments)
        text += f"\n\n(Not attached: {names}. GitHub comments cannot carry files; see the digest on another platform.)"
    return text + survey_prompt(reply)


def survey_prompt(reply: Reply) -> str:
    """How to answer a survey on GitHub, which has no buttons: a reply comment with ``/helpline rate N``."""
    scores = [choice.score for choice in reply.choices if choice.action is Action.RATE and choice.score is not None]
    if not scores or len(scores) != len(reply.choices):
        return ""
    low, high = min(scores), max(scores)
    return (
        f"\n\nTo answer, reply with a comment `{COMMAND_PREFIX} rate N [comment]` (N = {low}–{high}), "
        f"e.g. `{COMMAND_PREFIX} rate {high} quick and clear`."
    )


def rate_command(body: str) -> str | None:
    """The core's ``rate`` command text of a ``/helpline rate N [comment]`` comment; None for anything else.

    The comment may go on over several lines: all of it is the survey's comment.
    """
    words = command_in(body)
    if words is None or words.split(" ", 1)[0].lower() != "rate":
        return None
    after = body.strip().partition(" ")[2].strip()  # everything after "/helpline", the later lines too
    return "rate " + after.partition(" ")[2].strip() if " " in after else "rate"


def request_prompt(reply: Reply) -> str:
    """A feature-request offer as a comment: its question, then each choice as the comment command that picks it."""
    lines = [quiet(reply.text), ""]
    for choice in reply.choices:
        if choice.action is Action.FILE_REQUEST:
            lines.append(f"- the issue's author: comment `{COMMAND_PREFIX} record {choice.ticket}` to record it")
        elif choice.action is Action.VOTE:
            lines.append(f"- {quiet(choice.label)}: comment `{COMMAND_PREFIX} vote {choice.ticket}`")
    return "\n".join(lines).rstrip()


def request_choice(body: str) -> tuple[Action, int] | None:
    """The feature-request choice of a ``/helpline record N``, ``vote N`` or ``unvote N`` comment; else None."""
    words = (command_in(body) or "").split()
    if len(words) != 2 or words[0].lower() not in REQUEST_WORDS or not words[1].isdigit() or len(words[1]) > 9:
        return None
    return REQUEST_WORDS[words[0].lower()], int(words[1])


def _issue(repository: RepositoryPayload, raw: IssuePayload) -> Issue:
    return Issue(
        repo=Repo(repository.owner.login, repository.name),
        number=raw.number,
        id=raw.id,
        title=raw.title or "",
        body=raw.body or "",
        author=_user(raw.user),
        pull_request="pull_request" in raw.model_fields_set,
        closed=raw.state == "closed",
        state_reason=raw.state_reason or "",
    )


def _user(raw: UserPayload) -> User:
    return User(raw.login, raw.type == "Bot")
