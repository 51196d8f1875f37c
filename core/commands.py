"""The moderator commands: the one table every platform builds its UI from (records in ``core.command_records``).

An adapter with typed options (Discord's slash commands) builds a record with ``CommandSpec.build``;
text (``/claim 12``) is parsed once, by ``core.desk.commands.parse_command``, into the same records.
This module imports nothing from ``core.desk``, so ``core.messages`` can carry the records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeAlias

from core.command_extras import EXTRA_COMMANDS, EXTRA_GROUPS
from core.command_params import (
    MAX_SCORE,
    MAX_TICKET_NUMBER,
    TICKET_SCOPES,
    CommandError,
    CommandSpec,
    Options,
    Param,
    ParamKind,
    either,
    identity_of,
    person_id,
    quoted,
)
from core.command_records import (
    Acknowledge,
    Assign,
    Claim,
    Command,
    CorrectIntent,
    Escalate,
    ExplainSla,
    ForgetMe,
    Help,
    KbAdd,
    KbApprove,
    KbArchive,
    KbDrafts,
    KbEdit,
    KbReject,
    KbSearch,
    KbShow,
    Link,
    LinkIdentities,
    ListTickets,
    Login,
    Note,
    Rate,
    Reopen,
    ReplyTo,
    Resolve,
    SetPriority,
    SetTier,
    ShowTicket,
    Stats,
    StopJourney,
    UnlinkIdentity,
)
from core.tickets.priority import Priority

# The records are re-exported: callers import them with the table.
__all__ = [
    "MAX_SCORE",
    "MAX_TICKET_NUMBER",
    "TICKET_SCOPES",
    "Acknowledge",
    "Assign",
    "Claim",
    "Command",
    "CommandError",
    "CommandSpec",
    "CorrectIntent",
    "Escalate",
    "ExplainSla",
    "ForgetMe",
    "Help",
    "KbAdd",
    "KbSearch",
    "Link",
    "LinkIdentities",
    "ListTickets",
    "Login",
    "Note",
    "Options",
    "Param",
    "ParamKind",
    "Rate",
    "Reopen",
    "ReplyTo",
    "Resolve",
    "SetPriority",
    "SetTier",
    "ShowTicket",
    "Stats",
    "StopJourney",
    "UnlinkIdentity",
    "either",
    "identity_of",
    "person_id",
    "quoted",
]  # fmt: skip


def _number(options: Options) -> int:
    return int(options["number"])


def _with_text(record: Callable[[int, str], Command]) -> Callable[[Options], Command]:
    return lambda options: record(_number(options), str(options["text"]))


NUMBER = Param("number", ParamKind.TICKET, "The ticket number, e.g. 12", "a ticket number")
_SCOPE = Param(
    "scope", ParamKind.CHOICE, "Which tickets: open, mine or breaching", "a ticket list", "open", TICKET_SCOPES
)
_LEVEL = Param("level", ParamKind.CHOICE, "The new priority", "a priority", values=tuple(p.value for p in Priority))
_PERSON_PARAM = Param("person", ParamKind.PERSON, "Who takes the ticket", "someone to assign")
_TIER = Param("tier", ParamKind.TEXT, "The tier's name, e.g. enterprise", "a tier", max_chars=64)
_WHO = Param("first", ParamKind.IDENTITY, "Whom: a mention here, or platform:id", "an identity")
_OTHER = Param("second", ParamKind.IDENTITY, "The other identity: a mention or platform:id", "another identity")
_CODE = Param("code", ParamKind.TEXT, "The code from your other platform; none: get one", "a code", "", max_chars=32)
_INTENT = Param("intent", ParamKind.TEXT, "The right intent's name, e.g. billing", "an intent", max_chars=128)
_OnTicket: TypeAlias = type[ShowTicket | Claim | Escalate | Acknowledge | ExplainSla | Resolve | Reopen]


def _on_ticket(words: str, usage: str, description: str, record: _OnTicket, sub: str) -> CommandSpec:
    """A command that takes a ticket number and nothing else."""
    return CommandSpec(words, usage, description, record, lambda o: record(_number(o)), (NUMBER,), ("ticket", sub))


_TO = Param(
    "to", ParamKind.CHOICE, "engineering: open a GitHub issue with the package", "where to", "", ("engineering",)
)
ARTICLE = Param("number", ParamKind.TICKET, "The article number, e.g. 3 (kb drafts lists them)", "an article number")


def _on_article(sub: str, description: str, record: type[KbShow | KbApprove | KbArchive]) -> CommandSpec:
    """A knowledge-base command that takes an article number and nothing else."""
    return CommandSpec(
        f"kb {sub}", f"kb {sub} N", description, record, lambda o: record(_number(o)), (ARTICLE,), ("kb", sub)
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "tickets", "tickets [open|mine|breaching]", "list tickets (default: open)", ListTickets,
        lambda o: ListTickets(str(o["scope"])), (_SCOPE,), ("ticket", "list"),
    ),
    _on_ticket("ticket", "ticket N", "show ticket N", ShowTicket, "show"),
    _on_ticket("claim", "claim N", "take ticket N", Claim, "claim"),
    CommandSpec(
        "assign", "assign N WHO", "give ticket N to someone; they are told", Assign,
        lambda o: Assign(_number(o), str(o["person"])), (NUMBER, _PERSON_PARAM), ("ticket", "assign"),
    ),
    CommandSpec(
        "reply", "reply N TEXT", "answer the customer of ticket N", ReplyTo, _with_text(ReplyTo),
        (NUMBER, Param("text", ParamKind.TEXT, "What the customer reads in their thread", "a message")),
        ("ticket", "reply"),
    ),
    CommandSpec(
        "note", "note N TEXT", "add an internal note to ticket N", Note, _with_text(Note),
        (NUMBER, Param("text", ParamKind.TEXT, "The note; only staff see it", "a message")), ("ticket", "note"),
    ),
    CommandSpec(
        "priority", "priority N LEVEL", "set the priority: critical, high, medium or low", SetPriority,
        lambda o: SetPriority(_number(o), Priority(str(o["level"]))), (NUMBER, _LEVEL), ("ticket", "priority"),
    ),
    CommandSpec(
        "tier", "tier N TIER", "move ticket N to another tier; its SLA is planned again", SetTier,
        lambda o: SetTier(_number(o), str(o["tier"]).lower()), (NUMBER, _TIER), ("ticket", "tier"),
    ),
    CommandSpec(
        "intent", "intent N NAME", "correct ticket N's intent; its question becomes a training example",
        CorrectIntent, lambda o: CorrectIntent(_number(o), str(o["intent"]).lower()), (NUMBER, _INTENT),
        ("ticket", "intent"),
    ),
    CommandSpec("escalate", "escalate N [engineering]", "escalate ticket N now (to engineering: a GitHub issue)",
                Escalate, lambda o: Escalate(_number(o), str(o["to"])), (NUMBER, _TO), ("ticket", "escalate")),
    _on_ticket("ack", "ack N", "acknowledge ticket N's escalation: its chain stops", Acknowledge, "ack"),
    _on_ticket("sla", "sla N", "explain ticket N's SLA clocks", ExplainSla, "sla"),
    _on_ticket("resolve", "resolve N", "mark ticket N resolved", Resolve, "resolve"),
    _on_ticket("reopen", "reopen N", "reopen ticket N", Reopen, "reopen"),
    CommandSpec(
        "kb search", "kb search TEXT", "search the knowledge base", KbSearch, lambda o: KbSearch(str(o["query"])),
        (Param("query", ParamKind.TEXT, "What to look for", "something to search for"),), ("kb", "search"),
    ),
    CommandSpec(
        "kb add", "kb add TITLE | BODY", "add a knowledge-base article", KbAdd,
        lambda o: KbAdd(str(o["title"]), str(o["body"])),
        (
            Param("title", ParamKind.TEXT, "The article title", "a title", max_chars=200),
            Param("body", ParamKind.TEXT, "The article text", "a body"),
        ),
        ("kb", "add"),
    ),
    CommandSpec(
        "kb drafts", "kb drafts", "the review queue: drafts and articles in review", KbDrafts, lambda o: KbDrafts(),
        slash=("kb", "drafts"),
    ),
    _on_article("show", "show article N: its versions, log and what its newest version changes", KbShow),
    CommandSpec(
        "kb edit", "kb edit N [TITLE |] BODY", "save a new version of article N (the title stays if not given)",
        KbEdit, lambda o: KbEdit(_number(o), str(o["body"]), str(o["title"]) or None),
        (
            ARTICLE, Param("body", ParamKind.TEXT, "The article's new text", "a body"),
            Param("title", ParamKind.TEXT, "A new title (empty: keep it)", "a title", "", max_chars=200),
        ),
        ("kb", "edit"),
    ),
    _on_article("approve", "publish article N (without the publisher role: send it to review)", KbApprove),
    CommandSpec(
        "kb reject", "kb reject N [REASON]", "send article N back to draft", KbReject,
        lambda o: KbReject(_number(o), str(o["reason"])),
        (ARTICLE, Param("reason", ParamKind.TEXT, "What the author should change (optional)", "a reason", "")),
        ("kb", "reject"),
    ),
    _on_article("archive", "stop serving article N", KbArchive),
    CommandSpec("stats", "stats", "ticket and SLA statistics", Stats, lambda o: Stats(), slash=("stats",)),
    CommandSpec(
        "rate", "rate SCORE [comment]", "rate the help you got, in the survey's thread", Rate,
        lambda o: Rate(int(o["score"]), str(o["comment"])),
        (
            Param("score", ParamKind.SCORE, "Your rating, on the survey's scale", "a rating"),
            Param("comment", ParamKind.TEXT, "What you would like us to know (optional)", "a comment", ""),
        ),
        ("rate",), moderator=False,
    ),
    CommandSpec(
        "login", "login", "a link that signs you in to the dashboard (once, within 10 minutes; only you see it)",
        Login, lambda o: Login(), slash=("helpline", "login"),
    ),
    CommandSpec("stop", "stop", "stop the onboarding messages we send you", StopJourney, lambda o: StopJourney(),
                slash=("helpline", "stop"), moderator=False),
    CommandSpec("forget me", "forget me", "ask the team to erase everything held about you (a lead approves)",
                ForgetMe, lambda o: ForgetMe(), slash=("helpline", "forget"), moderator=False),
    CommandSpec("link", "link [CODE]", "link your accounts: get a code here (only you see it), enter it there",
                Link, lambda o: Link(str(o["code"])), (_CODE,), ("link",), moderator=False),
    CommandSpec("customer link", "customer link WHO OTHER", "join two identities into one person (audited)",
                LinkIdentities, lambda o: LinkIdentities(str(o["first"]), str(o["second"])), (_WHO, _OTHER),
                ("customer", "link")),
    CommandSpec("customer unlink", "customer unlink WHO", "separate an identity from the person it is linked to",
                UnlinkIdentity, lambda o: UnlinkIdentity(str(o["first"])), (_WHO,), ("customer", "unlink")),
    *EXTRA_COMMANDS,
    CommandSpec("help", "help", "this list", Help, lambda o: Help(), moderator=False),
)  # fmt: skip

# What the groups of grouped platforms (Discord's /ticket and /kb) say about themselves.
GROUPS: Mapping[str, str] = {
    "ticket": "Work on support tickets",
    "kb": "Search, grow and review the knowledge base",
    "helpline": "Your Helpline: sign in to the dashboard",
    "customer": "Customers: link and unlink people's identities",
    **EXTRA_GROUPS,
}

COMMAND_USAGE: dict[str, str] = {spec.words: f"{spec.usage} — {spec.description}" for spec in COMMANDS}
BY_WORDS: Mapping[str, CommandSpec] = {spec.words: spec for spec in COMMANDS}
_BY_RECORD: Mapping[type[Command], CommandSpec] = {spec.record: spec for spec in COMMANDS}


def spec_of(command: Command) -> CommandSpec:
    """The table's entry for a command record."""
    return _BY_RECORD[type(command)]


def help_text(*, moderator: bool = True, prefix: str = "") -> str:
    """The commands a person may run (every one for a moderator), one per line, as typed with ``prefix``."""
    usages = (f"{prefix}{spec.usage} — {spec.description}" for spec in COMMANDS if moderator or not spec.moderator)
    return "Commands:\n" + "\n".join(f"  {usage}" for usage in usages)


def needs_moderator(command: Command) -> bool:
    """True for every command but the ones anyone may run (``help``, ``rate``, voting, the roadmap)."""
    return spec_of(command).moderator
