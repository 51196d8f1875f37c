"""The escalation package engineering reads: summary, customer impact, what was tried, what the customer said.

Everything comes from the ticket as Helpline keeps it, so secrets and personal data were redacted at the door;
agents' names stay out (the issue may be public), and the customer appears by account and tier only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.engineering.records import ticket_marker
from core.tickets.records import ConversationMessage, Role, Ticket

_MOST_TEXT = 1500  # characters of one customer message in the package
_MOST_MESSAGES = 8


@dataclass(frozen=True)
class Impact:
    """Who the problem hurts: the account, its tier, and how many tickets share it (an incident's)."""

    account: str
    tier: str
    linked_tickets: int = 1


def issue_title(ticket: Ticket) -> str:
    """The issue's title."""
    return f"[support #{ticket.number}] {ticket.subject}"[:240]


def issue_body(ticket: Ticket, impact: Impact, messages: Sequence[ConversationMessage]) -> str:
    """The issue's body: the package in Markdown (the agents' internal notes are what was tried)."""
    notes = [m.text for m in messages if m.role is Role.NOTE and m.text.strip()]
    said = [m.text for m in messages if m.role is Role.CUSTOMER and m.text.strip()][:_MOST_MESSAGES]
    lines = [
        "## Summary",
        ticket.subject,
        "",
        "## Customer impact",
        f"- Account: {impact.account} ({impact.tier} tier)",
        f"- Priority: {ticket.priority}",
        f"- Tickets about this: {impact.linked_tickets}",
        f"- Opened: {ticket.created_at:%Y-%m-%d %H:%M} UTC",
        "",
        "## What support tried",
        *([f"- {_one_line(n)}" for n in notes] or ["- (no notes on the ticket)"]),
        "",
        "## What the customer told us",
        *([_quoted(text) for text in said] or ["> (nothing in writing)"]),
        "",
        "---",
        f"{ticket_marker(ticket.number)} Comments here are added to the ticket as notes; closing this issue "
        "hands the ticket back to support, and the customer is told.",
    ]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:_MOST_TEXT]


def _quoted(text: str) -> str:
    cut = text if len(text) <= _MOST_TEXT else text[:_MOST_TEXT] + " …"
    return "\n".join(f"> {line}" for line in cut.splitlines() or [""]) + "\n"
