"""What feature requests say: their one-line form, the roadmap, the confirmation and the status notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.messages import Action, Address, Choice, Mention, Outbound, Reply, ReplyKind
from core.requests.impact import Impact
from core.requests.records import ROADMAP_ORDER, TITLE_CHARS, FeatureRequest, RequestStatus, StatusChange, Vote

LABEL_CHARS = 60  # a button's label: "Vote for #12 'Dark mode for the…'"
ROADMAP_PER_STATUS = 5
HEADINGS = {
    RequestStatus.STARTED: "Being built",
    RequestStatus.PLANNED: "Planned",
    RequestStatus.OPEN: "Most wanted",
    RequestStatus.COMPLETED: "Done",
}


def title_of(text: str) -> str:
    """A request's title from what someone wrote: its first line, shortened at a word."""
    first = next((line.strip() for line in text.strip().splitlines() if line.strip()), "")
    if len(first) <= TITLE_CHARS:
        return first
    return first[: TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def short(title: str, limit: int) -> str:
    """``title`` cut to ``limit`` characters with "…"."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def vote_choice(request: FeatureRequest) -> Choice:
    """The button that votes for ``request``."""
    label = short(f"Vote for #{request.number} '{request.title}'", LABEL_CHARS - 1)
    return Choice(label + ("'" if label.endswith("…") else ""), Action.VOTE, request.number)


def withdraw_choice(number: int) -> Choice:
    """The button that withdraws one's vote for request ``number``."""
    return Choice("Withdraw my vote", Action.UNVOTE, number)


def numbers(impact: Impact) -> str:
    """``5 votes · 3 accounts · score 7.5 · 2 in 30 days``."""
    votes = "1 vote" if impact.votes == 1 else f"{impact.votes} votes"
    accounts = "1 account" if impact.accounts == 1 else f"{impact.accounts} accounts"
    return f"{votes} · {accounts} · score {impact.score:g} · {impact.trending} in 30 days"


def request_line(request: FeatureRequest, impact: Impact) -> str:
    """``#12 Dark mode for the dashboard (planned) — 5 votes · …``."""
    return f"#{request.number} {request.title} ({request.status}) — {numbers(impact)}"


def roadmap_reply(requests: Sequence[FeatureRequest], impacts: Mapping[int, Impact], order: Sequence[int]) -> Reply:
    """The roadmap: by status (being built, planned, most wanted, done), each by score; votes as buttons."""
    by_number = {r.number: r for r in requests}
    sections: list[str] = []
    shown: list[FeatureRequest] = []
    for status in ROADMAP_ORDER:
        mine = [by_number[n] for n in order if n in by_number and by_number[n].status is status]
        if not mine:
            continue
        top = mine[:ROADMAP_PER_STATUS]
        more = f"\n  … and {len(mine) - len(top)} more" if len(mine) > len(top) else ""
        lines = "\n".join(f"  #{r.number} {r.title} — {numbers(impacts[r.number])}" for r in top)
        sections.append(f"{HEADINGS[status]}:\n{lines}{more}")
        shown += [r for r in top if status is not RequestStatus.COMPLETED]
    if not sections:
        return Reply(ReplyKind.INFO, "No feature requests yet. Ask for one with: feature TEXT")
    text = "Roadmap\n" + "\n".join(sections) + "\nVote with: vote N"
    return Reply(ReplyKind.INFO, text, choices=tuple(vote_choice(r) for r in shown[:ROADMAP_PER_STATUS]))


def status_text(request: FeatureRequest, change: StatusChange) -> str:
    """What a voter reads when the request they voted for moves on."""
    said = {
        RequestStatus.PLANNED: "is planned",
        RequestStatus.STARTED: "is being built",
        RequestStatus.COMPLETED: "is done",
        RequestStatus.DECLINED: "was declined",
        RequestStatus.OPEN: "is open again",
    }.get(change.new, f"is now {change.new}")
    note = f" Note from the team: {change.note}" if change.note else ""
    return f"Feature request #{request.number} '{request.title}' {said} (was {change.old}).{note}"


def status_notices(request: FeatureRequest, change: StatusChange, votes: list[Vote]) -> list[Outbound]:
    """One notice per conversation where the requester or a voter asked, mentioning each person there once.

    People are told where they voted; someone who voted in two places is told in the first.
    """
    people = [(request.requester.identity, request.requester.address)]
    people += [(vote.voter.identity, vote.voter.address) for vote in votes]
    told: set[str] = set()
    by_address: dict[Address, list[str]] = {}
    for identity, address in people:
        if identity not in told:
            told.add(identity)
            by_address.setdefault(address, []).append(identity)
    text = status_text(request, change)
    notices = []
    for address, identities in by_address.items():
        mentions = tuple(_mention(identity) for identity in identities)
        notices.append(Outbound(address, Reply(ReplyKind.INFO, text, mentions=mentions)))
    return notices


def _mention(identity: str) -> Mention:
    platform, _, ident = identity.partition(":")
    return Mention(platform, "user", ident)
