"""Reading audit logs as clock events, and notices surviving the outbox's JSON."""

from __future__ import annotations

from datetime import UTC, datetime

from core.messages import Action, Address, Choice, Mention, Outbound, Reply, ReplyKind
from core.sla.clocks import ClockEvent, Happening
from core.sla.events import clock_events
from core.store.outbox_json import outbound_from, outbound_values
from core.tickets.records import Priority, TicketEvent

T = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_audit_events_become_clock_events_with_their_priorities() -> None:
    log = [
        TicketEvent(1, T, "helpline", "opened", "priority high, tier enterprise"),
        TicketEvent(1, T, "slack:U1", "claimed"),
        TicketEvent(1, T, "slack:U1", "replied"),
        TicketEvent(1, T, "slack:U2", "customer_message", "priority high → critical"),
        TicketEvent(1, T, "slack:U1", "priority", "critical → low"),
        TicketEvent(1, T, "slack:U1", "acknowledged", "escalation chain stopped"),
        TicketEvent(1, T, "helpline", "closed", "closed: no reply"),
        TicketEvent(1, T, "slack:U1", "reopened"),
    ]
    assert clock_events(log) == [
        ClockEvent(T, Happening.OPENED, Priority.HIGH),
        ClockEvent(T, Happening.AGENT_REPLY),
        ClockEvent(T, Happening.PRIORITY, Priority.CRITICAL),
        ClockEvent(T, Happening.CUSTOMER),
        ClockEvent(T, Happening.PRIORITY, Priority.LOW),
        ClockEvent(T, Happening.ACKNOWLEDGED),
        ClockEvent(T, Happening.RESOLVED),
        ClockEvent(T, Happening.REOPENED),
    ]


def test_a_notice_round_trips_through_the_outbox() -> None:
    reply = Reply(
        ReplyKind.ESCALATION,
        "Escalation (level 1, L1): ticket #3 “quoted” \u202e text",
        choices=(Choice("Claim #3", Action.CLAIM, 3), Choice("Acknowledge #3", Action.ACKNOWLEDGE, 3)),
        ticket=3,
        origin=Address("slack", "T1", "C1", ""),  # a workspace without a thread (its string form once did not parse)
        mentions=(Mention("slack", "group", "S1"), Mention("discord", "user", "77")),
    )
    outbound = Outbound(Address("discord", "", "999", ""), reply)
    values = outbound_values(outbound)
    assert outbound_from(values["address"], values["payload"]) == outbound
