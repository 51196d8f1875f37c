"""What incidents say: to a linked ticket's customer, to a CSM, and on ``/status`` (no personal data there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from core.incidents.records import Incident, IncidentUpdate


def named(incident: Incident) -> str:
    """``incident #3 'Payments failing'``."""
    return f"incident #{incident.number} '{incident.title}'"


def _sentence(text: str) -> str:
    """``text`` ending like a sentence, so what follows reads apart from it."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def update_text(incident: Incident, update: IncidentUpdate, ticket: int, *, resolved_ticket: bool = False) -> str:
    """A customer's copy of ``update``, about their ticket ``ticket``."""
    head = f"Update on {named(incident)}, which your ticket #{ticket} is part of"
    if not update.resolution:
        return f"{head}: {update.text}"
    said = f": {_sentence(update.text)}" if update.text else "."
    tail = (
        f" Your ticket #{ticket} is resolved with it; if the problem is back, just reply here."
        if resolved_ticket
        else f" If ticket #{ticket} still shows the problem, reply here."
    )
    return f"Incident #{incident.number} '{incident.title}' is resolved{said}{tail}"


def joined_text(incident: Incident, ticket: int) -> str:
    """What a customer hears when their ticket joins an incident that has no update yet."""
    return (
        f"Your ticket #{ticket} is part of {named(incident)}: the team is working on it, "
        "and you will get its updates here."
    )


def reminder_text(incident: Incident, ticket: int) -> str:
    """The latest status again, for a critical incident's customers."""
    latest = incident.latest
    said = f"latest update ({_when(latest.at)}): {latest.text}" if latest else "the team is still investigating."
    return f"Still working on {named(incident)} (your ticket #{ticket}); {said}"


def account_text(incident: Incident, ticket: int, account: str, tier: str) -> str:
    """What a CSM (or the staff channel) hears when an account's ticket joins an incident."""
    return f"Ticket #{ticket} of {account} ({tier}) joined {named(incident)} ({incident.severity})."


def status_lines(incidents: Sequence[Incident]) -> list[str]:
    """One line per open incident: title, severity, since when, and its latest update (no authors, no tickets)."""
    lines = []
    for incident in incidents:
        latest = incident.latest
        said = f" Latest ({_when(latest.at)}): {latest.text}" if latest else " Investigating."
        line = f"#{incident.number} {incident.title} ({incident.severity}, since {_when(incident.opened_at)})."
        lines.append(line + said)
    return lines


def status_text(incidents: Sequence[Incident]) -> str:
    """``/status``: every open incident, or that there is none."""
    if not incidents:
        return "No open incidents: everything is running normally."
    return "Open incidents:\n" + "\n".join(status_lines(incidents))
