"""The feature-request commands: their records and their table, brought to every platform by ``core.command_extras``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeAlias

from core.command_params import CommandSpec, Options, Param, ParamKind
from core.command_records import ExtraCommand

STATUSES = ("open", "planned", "started", "completed", "declined")  # core.requests.records.SETTABLE
REQUEST = Param("number", ParamKind.TICKET, "The feature request's number, e.g. 12", "a request number")
_STATUS = Param("status", ParamKind.CHOICE, "The request's new status", "a status", values=STATUSES)
_ISSUE = Param("issue", ParamKind.TEXT, "The issue's URL, or create for a new one", "an issue", max_chars=300)


@dataclass(frozen=True)
class FileRequest(ExtraCommand):
    """Ask for a feature: recorded as a request after one confirmation, or a vote for a close one."""

    text: str


@dataclass(frozen=True)
class VoteFor(ExtraCommand):
    """Vote for a feature request (once per person)."""

    number: int


@dataclass(frozen=True)
class Unvote(ExtraCommand):
    """Withdraw one's vote for a feature request."""

    number: int


@dataclass(frozen=True)
class Roadmap(ExtraCommand):
    """The top feature requests by status and score."""


@dataclass(frozen=True)
class ShowRequest(ExtraCommand):
    """One feature request: its status, numbers, history and what was merged into it."""

    number: int


@dataclass(frozen=True)
class SetRequestStatus(ExtraCommand):
    """Move a feature request to a status, with an optional note; its voters and requester are told."""

    number: int
    status: str
    note: str = ""


@dataclass(frozen=True)
class MergeRequests(ExtraCommand):
    """Merge a duplicate request into another: its votes count there."""

    source: int
    target: int


@dataclass(frozen=True)
class UnmergeRequest(ExtraCommand):
    """Undo a merge: the request and its votes are its own again."""

    number: int


@dataclass(frozen=True)
class LinkRequestIssue(ExtraCommand):
    """Have a GitHub issue follow a feature request: ``issue`` is its URL, or ``create`` for a new one."""

    number: int
    issue: str


RequestCommand: TypeAlias = (
    FileRequest
    | VoteFor
    | Unvote
    | Roadmap
    | ShowRequest
    | SetRequestStatus
    | MergeRequests
    | UnmergeRequest
    | LinkRequestIssue
)


def _number(options: Options) -> int:
    return int(options["number"])


REQUEST_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "feature", "feature TEXT", "ask for a feature; you can vote for a close one instead", FileRequest,
        lambda o: FileRequest(str(o["text"])), (Param("text", ParamKind.TEXT, "What you would like", "a request"),),
        ("feature",), moderator=False,
    ),
    CommandSpec(
        "vote", "vote N", "vote for feature request N", VoteFor, lambda o: VoteFor(_number(o)), (REQUEST,),
        ("vote",), moderator=False,
    ),
    CommandSpec(
        "unvote", "unvote N", "withdraw your vote for feature request N", Unvote, lambda o: Unvote(_number(o)),
        (REQUEST,), ("unvote",), moderator=False,
    ),
    CommandSpec("roadmap", "roadmap", "the top feature requests", Roadmap, lambda o: Roadmap(), slash=("roadmap",),
                moderator=False),
    CommandSpec(
        "request show", "request show N", "show feature request N", ShowRequest, lambda o: ShowRequest(_number(o)),
        (REQUEST,), moderator=False,
    ),
    CommandSpec(
        "request status", "request status N STATUS [note]", "move a feature request on; its voters are told",
        SetRequestStatus, lambda o: SetRequestStatus(_number(o), str(o["status"]), str(o["note"])),
        (REQUEST, _STATUS, Param("note", ParamKind.TEXT, "What voters read with it (optional)", "a note", "")),
        ("request", "status"),
    ),
    CommandSpec(
        "request merge", "request merge N INTO", "merge duplicate request N into request INTO", MergeRequests,
        lambda o: MergeRequests(_number(o), int(o["into"])), (REQUEST, replace(REQUEST, name="into")),
        ("request", "merge"),
    ),
    CommandSpec(
        "request unmerge", "request unmerge N", "undo request N's merge", UnmergeRequest,
        lambda o: UnmergeRequest(_number(o)), (REQUEST,), ("request", "unmerge"),
    ),
    CommandSpec(
        "request github", "request github N ISSUE_URL|create",
        "have a GitHub issue follow request N (a new one with create); its 👍 count as votes", LinkRequestIssue,
        lambda o: LinkRequestIssue(_number(o), str(o["issue"])), (REQUEST, _ISSUE), ("request", "github"),
    ),
)  # fmt: skip

REQUEST_GROUPS = {"request": "Move feature requests on, merge and unmerge them"}
