"""The incident commands: their records and their table, brought to every platform by ``core.command_extras``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from core.command_params import MAX_TICKET_NUMBER, CommandError, CommandSpec, Options, Param, ParamKind, quoted
from core.command_records import ExtraCommand
from core.incidents.records import TEXT_CHARS, TITLE_CHARS, Severity

SEVERITIES = tuple(s.value for s in Severity)
MAX_LINKED = 50  # tickets one ``incident link`` may name
_INCIDENT = Param("number", ParamKind.TICKET, "The incident's number, e.g. 3", "an incident number")
_LINK_USAGE = "incident link ID N [N…]"


@dataclass(frozen=True)
class OpenIncident(ExtraCommand):
    """Open an incident (``severity`` first when given: minor, major or critical)."""

    title: str
    severity: str = Severity.MAJOR.value


@dataclass(frozen=True)
class LinkTickets(ExtraCommand):
    """Link tickets to an incident: their customers get its updates."""

    number: int
    tickets: tuple[int, ...]


@dataclass(frozen=True)
class PostUpdate(ExtraCommand):
    """Post an update: every linked ticket's customer gets it once."""

    number: int
    text: str


@dataclass(frozen=True)
class ResolveIncident(ExtraCommand):
    """Resolve an incident with an optional last word; its tickets are told (and resolved, when configured)."""

    number: int
    text: str = ""


@dataclass(frozen=True)
class SetSeverity(ExtraCommand):
    """Change an incident's severity."""

    number: int
    severity: str


@dataclass(frozen=True)
class ShowStatus(ExtraCommand):
    """The open incidents and their latest update (anyone may ask; no personal data)."""


IncidentCommand: TypeAlias = OpenIncident | LinkTickets | PostUpdate | ResolveIncident | SetSeverity | ShowStatus


def ticket_numbers(text: str) -> tuple[int, ...]:
    """``12 #13, 14`` as (12, 13, 14); ``CommandError`` with the usage for anything that is not a ticket number."""
    tokens = text.replace(",", " ").split()
    if not tokens:
        raise CommandError(f'"incident link" needs at least one ticket number. Usage: {_LINK_USAGE}')
    if len(tokens) > MAX_LINKED:
        raise CommandError(f"at most {MAX_LINKED} tickets at once. Usage: {_LINK_USAGE}")
    numbers = []
    for token in tokens:
        digits = token.removeprefix("#")
        short = digits.lstrip("0")
        if (
            not digits.isdigit()
            or not short
            or len(short) > len(str(MAX_TICKET_NUMBER))
            or int(short) > MAX_TICKET_NUMBER
        ):
            raise CommandError(f"{quoted(token)} is not a ticket number. Usage: {_LINK_USAGE}")
        numbers.append(int(short))
    return tuple(dict.fromkeys(numbers))


def _opened(options: Options) -> OpenIncident:
    """``critical Payments failing``: a first word naming a severity sets it; the rest is the title."""
    text = str(options["title"])
    first, _, rest = text.partition(" ")
    if first.lower() in SEVERITIES and rest.strip():
        return OpenIncident(rest.strip(), first.lower())
    return OpenIncident(text)


INCIDENT_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "incident open", "incident open [minor|major|critical] TITLE", "open an incident (major unless named)",
        OpenIncident, _opened,
        (Param("title", ParamKind.TEXT, "What is wrong, e.g. critical Payments failing", "a title",
               max_chars=TITLE_CHARS),),
        ("incident", "open"),
    ),
    CommandSpec(
        "incident link", _LINK_USAGE, "link tickets to an incident; their customers get its updates",
        LinkTickets, lambda o: LinkTickets(int(o["number"]), ticket_numbers(str(o["tickets"]))),
        (_INCIDENT, Param("tickets", ParamKind.TEXT, "Ticket numbers, e.g. 12 13", "ticket numbers", max_chars=400)),
        ("incident", "link"),
    ),
    CommandSpec(
        "incident update", "incident update ID TEXT", "post an update to every linked ticket's customer",
        PostUpdate, lambda o: PostUpdate(int(o["number"]), str(o["text"])),
        (_INCIDENT, Param("text", ParamKind.TEXT, "What customers read", "an update", max_chars=TEXT_CHARS)),
        ("incident", "update"),
    ),
    CommandSpec(
        "incident resolve", "incident resolve ID [TEXT]", "resolve an incident; its tickets' customers are told",
        ResolveIncident, lambda o: ResolveIncident(int(o["number"]), str(o["text"])),
        (_INCIDENT, Param("text", ParamKind.TEXT, "What customers read (optional)", "a note", "",
                          max_chars=TEXT_CHARS)),
        ("incident", "resolve"),
    ),
    CommandSpec(
        "incident severity", "incident severity ID minor|major|critical", "change an incident's severity",
        SetSeverity, lambda o: SetSeverity(int(o["number"]), str(o["severity"])),
        (_INCIDENT, Param("severity", ParamKind.CHOICE, "How bad it is", "a severity", values=SEVERITIES)),
        ("incident", "severity"),
    ),
    CommandSpec(
        "status", "status", "open incidents and their latest update", ShowStatus, lambda o: ShowStatus(),
        slash=("status",), moderator=False,
    ),
)  # fmt: skip

INCIDENT_GROUPS = {"incident": "Open incidents, link tickets, post updates and resolve them"}
