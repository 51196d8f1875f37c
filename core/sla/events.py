"""Reading a ticket's audit log as the events its SLA clocks run on."""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.sla.clocks import ClockEvent, Happening
from core.tickets.records import Priority, TicketEvent

ACKNOWLEDGED = "acknowledged"
CLOSED = "closed"
# Audit-log kinds and what they mean to the clocks; every other kind (claimed, note, ...) changes none.
_HAPPENINGS = {
    "opened": Happening.OPENED,
    "replied": Happening.AGENT_REPLY,
    "customer_message": Happening.CUSTOMER,
    "waiting": Happening.WAITING,
    "resumed": Happening.RESUMED,
    "resolved": Happening.RESOLVED,
    CLOSED: Happening.RESOLVED,
    "reopened": Happening.REOPENED,
    ACKNOWLEDGED: Happening.ACKNOWLEDGED,
    "priority": Happening.PRIORITY,
}
# Kinds after which a ticket is planned again: those above, and a tier change (new targets and calendar).
SLA_KINDS = frozenset(_HAPPENINGS) | {"tier"}
# "priority high, tier enterprise" (opened), "high → critical" (priority), "priority high → critical" (follow-up)
_OPENED_PRIORITY = re.compile(r"^priority (\w+)")
_NEW_PRIORITY = re.compile(r"→\s*(\w+)\s*$")


def _priority(pattern: re.Pattern[str], detail: str) -> Priority | None:
    match = pattern.search(detail)
    if match is None:
        return None
    try:
        return Priority(match.group(1))
    except ValueError:
        return None


def clock_events(events: Iterable[TicketEvent]) -> list[ClockEvent]:
    """The events of an audit log that move SLA clocks, oldest first as logged."""
    found = []
    for event in events:
        happening = _HAPPENINGS.get(event.kind)
        if happening is None:
            continue
        priority = None
        if happening is Happening.OPENED:
            priority = _priority(_OPENED_PRIORITY, event.detail)
        elif happening in (Happening.PRIORITY, Happening.CUSTOMER):
            priority = _priority(_NEW_PRIORITY, event.detail)
            if priority is not None and happening is Happening.CUSTOMER:
                found.append(ClockEvent(event.at, Happening.PRIORITY, priority))
                priority = None
        found.append(ClockEvent(event.at, happening, priority))
    return found
