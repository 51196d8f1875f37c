"""Block Kit for the core's replies: escaped text, split sections, buttons and the mentions a notice may make.

Pure functions: nothing here talks to Slack. Reading Slack's payloads is ``bots.slack.translate``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.messages import SLACK, Action, Choice, Mention, Reply, ReplyKind
from core.text import strip_bidi

ACTION_PREFIX = "helpline:"
CHOICES_BLOCK_ID = "helpline_choices"
SECTION_LIMIT = 3000  # Slack's limit for a section's (and a context element's) text
FALLBACK_LIMIT = 3000
BLOCK_LIMIT = 50  # blocks per message
BUTTON_LIMIT = 25  # elements per actions block
LABEL_LIMIT = 75  # a button's text
TRUNCATED = "… (truncated)"

_PRIMARY = frozenset({Action.HELPFUL, Action.CLAIM})
_GROUP = re.compile(r"S[A-Z0-9]{1,40}")
_USER = re.compile(r"[UW][A-Z0-9]{1,40}")  # W…: users of Enterprise Grid organisations
# Core-initiated notices to the team: the only replies that may mention anyone.
_NOTICES = frozenset({ReplyKind.ESCALATION, ReplyKind.WARNING})
# What a cut must not fall inside: an entity from ``escape`` or a <link|label> / <!subteam^…> we made.
_TOKEN = re.compile(r"&(?:amp|lt|gt);|<[^<>\n]*>")
_WEB_ADDRESS = re.compile(r"https?://[^\s<>|]+")
# A web address in escaped text: "&lt;" or "&gt;" ends it, and so does trailing punctuation.
_URL = re.compile(r"https?://(?:[^\s<>|&]|&amp;)*(?:[^\s<>|&.,;:!?)\]'\"*_~`]|&amp;)")


def escape(text: str) -> str:
    """Text as Slack shows it literally: no mention, link or bidi trick can form from it."""
    # Bidi controls can reorder what a reader sees around a link; "&" goes first so entities stay intact.
    text = strip_bidi(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class SlackMessage:
    """One Slack message: the notification text and the Block Kit blocks shown."""

    text: str
    blocks: list[dict[str, Any]]


def split_text(text: str, limit: int = SECTION_LIMIT, most: int | None = None) -> list[str]:
    """Up to ``most`` pieces of ``limit`` characters, cut at line ends or spaces, never inside an entity or link."""
    pieces: list[str] = []
    rest = text.strip()
    while rest and (most is None or len(pieces) < most):
        cut = _cut(rest, limit) if len(rest) > limit else len(rest)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return pieces


def _cut(text: str, limit: int) -> int:
    # Tokens are looked for a little past the limit, to catch one that straddles it.
    tokens = [match.span() for match in _TOKEN.finditer(text, 0, 2 * limit)]

    def inside(at: int) -> int | None:
        return next((start for start, end in tokens if start < at < end), None)

    # A break in the fuller half first, so an early blank line does not leave a runt piece.
    for low in (limit // 2, 1):
        for separator in ("\n", " "):
            at = text.rfind(separator, low, limit + 1)
            while at >= low and inside(at) is not None:
                at = text.rfind(separator, low, at)
            if at >= low:
                return at
    return inside(limit) or limit


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object shown as written."""
    # verbatim: Slack would otherwise turn a bare "@here" or "#channel" into a live mention or link.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _linked(escaped: str) -> str:
    # verbatim text gets no automatic links, so web addresses are linked here; "|" would let a link wear a
    # label that is not its address, so it ends one.
    return _URL.sub(lambda match: f"<{match[0]}>", escaped)


def _answer_text(reply: Reply) -> str:
    citation = reply.citation
    assert citation is not None
    title = escape(citation.title.strip()) or "Answer"
    if _WEB_ADDRESS.fullmatch(citation.url):
        header = f"*<{escape(citation.url)}|{title}>*"
    else:
        header = f"*{title}* (source: {escape(citation.url)})"
    heading, _, body = reply.text.partition("\n")
    heading = escape(heading.strip())
    lines = [header, f"*{heading}*" if heading else "", _linked(escape(body.strip()))]
    return "\n".join(line for line in lines if line)


def slack_mentions(mentions: tuple[Mention, ...]) -> list[str]:
    """The Slack markup for the Slack users and groups among ``mentions``; ids that are not Slack's are left out."""
    groups = [
        f"<!subteam^{m.id}>" for m in mentions if m.platform == SLACK and m.kind == "group" and _GROUP.fullmatch(m.id)
    ]
    users = [f"<@{m.id}>" for m in mentions if m.platform == SLACK and m.kind == "user" and _USER.fullmatch(m.id)]
    return list(dict.fromkeys([*groups, *users]))


def _prefix(reply: Reply, mention_group: str | None) -> str:
    if reply.kind is ReplyKind.ERROR:
        return ":warning: "
    if reply.kind not in _NOTICES:
        return ""  # only a notice to the team may notify anyone beyond the thread
    people = slack_mentions(reply.mentions)
    if not people and reply.kind is ReplyKind.ESCALATION and mention_group is not None:
        # An escalation that names nobody on Slack (a console or Discord level) still reaches the staff group.
        if not _GROUP.fullmatch(mention_group):
            raise ValueError(f"{mention_group!r} is not a Slack user group id (S…)")
        people = [f"<!subteam^{mention_group}>"]
    return " ".join(people) + " " if people else ""


def _conversation(reply: Reply, origin_link: str | None) -> dict[str, Any] | None:
    if reply.kind not in _NOTICES:
        return None
    if origin_link is not None and _WEB_ADDRESS.fullmatch(origin_link) and len(origin_link) < SECTION_LIMIT // 2:
        where = f"<{escape(origin_link)}|thread>"
    elif reply.origin is not None:
        where = escape(str(reply.origin))[: SECTION_LIMIT // 2]
    else:
        return None
    return {"type": "context", "elements": [mrkdwn(f"Conversation: {where}")]}


def _choices(choices: tuple[Choice, ...]) -> dict[str, Any]:
    buttons: list[dict[str, Any]] = []
    for choice in choices[:BUTTON_LIMIT]:
        # plain_text is never parsed for mentions or links; only the bidi tricks need removing.
        label = strip_bidi(choice.label).strip()[:LABEL_LIMIT] or choice.value[:LABEL_LIMIT]
        button: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": label},
            "action_id": ACTION_PREFIX + choice.value,
            "value": choice.value,
        }
        # One green button at most: the answer the bot hopes for (helpful) or the one staff want (claim).
        if choice.action in _PRIMARY and not any("style" in b for b in buttons):
            button["style"] = "primary"
        buttons.append(button)
    return {"type": "actions", "block_id": CHOICES_BLOCK_ID, "elements": buttons}


def render(reply: Reply, *, mention_group: str | None = None, origin_link: str | None = None) -> SlackMessage:
    """The Slack message for a reply; everything from the reply is escaped, and only notices to the team mention.

    An escalation or SLA warning mentions exactly the Slack users and groups in ``reply.mentions``; an
    escalation naming none mentions ``mention_group``. Answers lead with their article's title linked;
    long text is split over several sections.
    """
    prefix = _prefix(reply, mention_group)
    answer = reply.kind is ReplyKind.ANSWER and reply.citation is not None
    body = _answer_text(reply) if answer else _linked(escape(reply.text.strip()))
    extras = [block for block in (_conversation(reply, origin_link),) if block is not None]
    if reply.choices:
        extras.append(_choices(reply.choices))
    room = BLOCK_LIMIT - len(extras)
    pieces = split_text(prefix + (body or "(empty reply)"), most=room + 1)
    if len(pieces) > room:
        pieces = [*pieces[: room - 1], TRUNCATED]
    blocks = [{"type": "section", "text": mrkdwn(piece)} for piece in pieces]
    fallback = prefix + (escape(reply.text.strip()) or "(empty reply)")
    if len(fallback) > FALLBACK_LIMIT:
        fallback = fallback[: _cut(fallback, FALLBACK_LIMIT - 1)].rstrip() + "…"
    return SlackMessage(fallback, [*blocks, *extras])
