"""Reading audit logs as clock events, and notices surviving the outbox's JSON."""

from __future__ import annotations

from datetime import UTC, datetime

from core.messages import Action, Address, Attachment, Choice, Mention, Outbound, Reply, ReplyKind
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


# The smallest valid PNG (1x1, transparent), as a chart stand-in with bytes no text encoding survives.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def test_a_notice_with_a_chart_round_trips_through_the_outbox_bytes_intact() -> None:
    chart = Attachment("digest.png", "image/png", TINY_PNG + b"\x00\xff")
    outbound = Outbound(Address("slack", "", "C9", ""), Reply(ReplyKind.INFO, "Weekly digest", attachments=(chart,)))
    values = outbound_values(outbound)
    assert "\\u0000" not in values["payload"]  # base64 text in the JSON, not raw bytes
    back = outbound_from(values["address"], values["payload"])
    assert back == outbound and back.reply.attachments[0].data == TINY_PNG + b"\x00\xff"


def test_an_outbox_row_written_before_attachments_reads_back_with_none() -> None:
    values = outbound_values(Outbound(Address("console"), Reply(ReplyKind.INFO, "hello")))
    old = values["payload"].replace(', "attachments": []', "").replace('"attachments": [], ', "")
    assert "attachments" not in old
    assert outbound_from(values["address"], old).reply.attachments == ()
