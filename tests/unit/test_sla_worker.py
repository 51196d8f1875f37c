"""The SLA worker end to end on fakes: who is notified, once, and what stops or closes what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.clock import ManualClock
from core.messages import Address, Mention, Outbound, ReplyKind
from core.sla.explain import explain_ticket
from core.sla.worker import EscalationWorker
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketStatus
from core.tiers import TierDirectory
from tests.desk_fakes import RecordingNotifier
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio

START = datetime(2026, 12, 1, 9, tzinfo=UTC)  # a Tuesday; 09:00 UTC is the emea shift
TIERS = """\
version: 1
default_tier: gold
calendars:
  office:
    zone: Europe/Berlin
    hours:
      mon: ["09:00-17:00"]
      tue: ["09:00-17:00"]
      wed: ["09:00-17:00"]
      thu: ["09:00-17:00"]
      fri: ["09:00-17:00"]
sla: {warning_share: 50%, critical_reminder: 30m, stale_after: 2d}
on_call:
  zone: UTC
  shifts:
    - {name: americas, hours: "00:00-08:00", mention: ["slack:group:SAMER"]}
    - {name: emea, hours: "08:00-16:00", mention: ["slack:group:SEMEA", "discord:group:42"]}
    - {name: apac, hours: "16:00-24:00", mention: ["slack:group:SAPAC"]}
tiers:
  gold:
    hours: 24x7
    first_response: {critical: 1h, high: 2h, medium: 4h, low: 8h}
    resolution: {critical: 4h, high: 8h, medium: 1d, low: 2d}
    team_channel: "slack:CTEAM"
    escalation:
      target: "slack:CL1"
      contact: the gold desk
      chain:
        - {name: L1 first contact, mention: on-call, wait: 30m}
        - {name: L2 engineering, target: "discord:999", mention: ["discord:user:77"], wait: 1h}
        - {name: L3 leadership, target: "slack:CBOSS", mention: ["slack:user:UBOSS"]}
    channels: [slack]
  office:
    hours: business hours
    calendar: office
    first_response: {critical: 2h, high: 2h, medium: 2h, low: 2h}
    resolution: {critical: 1d, high: 1d, medium: 1d, low: 1d}
    escalation: {target: "slack:COFFICE"}
    channels: [slack]
"""


@pytest.fixture
def tiers(tmp_path: Path) -> TierDirectory:
    path = tmp_path / "tiers.yaml"
    path.write_text(TIERS, encoding="utf-8")
    return load_tiers(path)


class World:
    """A store, a worker and a clock."""

    def __init__(self, tiers: TierDirectory) -> None:
        self.store, self.clock, self.notifier = (
            memory_stores(),
            ManualClock(START),
            RecordingNotifier(),
        )
        self.worker = EscalationWorker(self.store, tiers, self.notifier, self.clock)
        self.tiers = tiers

    async def open(self, priority: Priority = Priority.CRITICAL, tier: str = "gold") -> int:
        address = Address("slack", "T1", "CHELP", "1.1")
        draft = NewTicket("acme", tier, address, "U1", "Ada", "down", None, priority, self.clock.now(), None, None)
        return (await self.store.tickets.open_ticket(draft, "slack:U1")).number

    async def log(self, number: int, kind: str, change: TicketChange | None = None) -> None:
        await self.store.tickets.update(
            number, change or TicketChange(), TicketEvent(number, self.clock.now(), "slack:UMO", kind)
        )

    async def wait(self, minutes: int) -> list[Outbound]:
        before = len(self.notifier.sent)
        self.clock.advance(timedelta(minutes=minutes))
        await self.worker.run_once()
        return self.notifier.sent[before:]


def kinds(sent: list[Outbound], kind: ReplyKind) -> list[Outbound]:
    return [o for o in sent if o.reply.kind is kind]


async def test_a_breach_notifies_exactly_the_configured_recipients_once(tiers: TierDirectory) -> None:
    w = World(tiers)
    await w.open(Priority.HIGH)  # first response 2 h, warning at 50 %
    [warning] = kinds(await w.wait(61), ReplyKind.WARNING)
    assert str(warning.address) == "slack:CTEAM" and warning.reply.mentions == ()  # unassigned: the team channel
    [level1] = kinds(await w.wait(60), ReplyKind.ESCALATION)
    assert str(level1.address) == "slack:CL1"
    assert level1.reply.mentions == (Mention("slack", "group", "SEMEA"), Mention("discord", "group", "42"))
    [level2] = kinds(await w.wait(30), ReplyKind.ESCALATION)
    assert (str(level2.address), level2.reply.mentions) == ("discord:999", (Mention("discord", "user", "77"),))
    [level3] = kinds(await w.wait(60), ReplyKind.ESCALATION)
    assert (str(level3.address), level3.reply.mentions) == ("slack:CBOSS", (Mention("slack", "user", "UBOSS"),))
    assert [o for o in await w.wait(600) if "first-response" in o.reply.text] == []
    first = [e for e in await w.store.escalations.escalations(1) if e.deadline.value == "first_response"]
    assert [(e.level, e.target) for e in first] == [(1, "slack:CL1"), (2, "discord:999"), (3, "slack:CBOSS")]


async def test_the_on_call_shift_decides_who_is_mentioned(tiers: TierDirectory) -> None:
    w = World(tiers)
    w.clock.advance(timedelta(hours=8))  # 17:00 UTC: apac
    await w.open(Priority.HIGH)
    [level1] = kinds(await w.wait(121), ReplyKind.ESCALATION)
    assert level1.reply.mentions == (Mention("slack", "group", "SAPAC"),)


async def test_a_warning_mentions_the_assignee(tiers: TierDirectory) -> None:
    w = World(tiers)
    number = await w.open(Priority.HIGH)
    await w.log(number, "claimed", TicketChange(assignee="slack:UANA"))
    [warning] = kinds(await w.wait(61), ReplyKind.WARNING)
    assert warning.reply.mentions == (Mention("slack", "user", "UANA"),) and "50%" in warning.reply.text


async def test_acknowledging_stops_the_chain(tiers: TierDirectory) -> None:
    w = World(tiers)
    number = await w.open(Priority.HIGH)
    assert len(kinds(await w.wait(121), ReplyKind.ESCALATION)) == 1
    await w.log(number, "acknowledged")
    assert kinds(await w.wait(300), ReplyKind.ESCALATION) == []
    assert [e.level for e in await w.store.escalations.escalations(number)] == [1]


async def test_a_reply_before_the_deadline_means_no_escalation(tiers: TierDirectory) -> None:
    w = World(tiers)
    number = await w.open(Priority.HIGH)
    await w.wait(30)
    await w.log(number, "replied", TicketChange(status=TicketStatus.WAITING))
    sent = await w.wait(600)
    assert [o for o in sent if "first-response" in o.reply.text] == []


async def test_critical_tickets_get_a_status_reminder_every_30_minutes_until_resolved(tiers: TierDirectory) -> None:
    w = World(tiers)
    number = await w.open(Priority.CRITICAL)
    reminders = [o for o in await w.wait(95) if "Status reminder" in o.reply.text]
    assert len(reminders) == 1  # a worker that was away sends the latest one only
    assert len([o for o in await w.wait(30) if "Status reminder" in o.reply.text]) == 1
    await w.log(number, "resolved", TicketChange(status=TicketStatus.RESOLVED, resolved_at=w.clock.now()))
    assert [o for o in await w.wait(120) if "Status reminder" in o.reply.text] == []


async def test_business_hours_tiers_get_no_critical_reminders(tiers: TierDirectory) -> None:
    w = World(tiers)
    await w.open(Priority.CRITICAL, tier="office")
    assert [o for o in await w.wait(120) if "Status reminder" in o.reply.text] == []


async def test_waiting_on_the_customer_reminds_then_closes_once_each(tiers: TierDirectory) -> None:
    w = World(tiers)
    number = await w.open(Priority.LOW)
    await w.log(number, "replied", TicketChange(status=TicketStatus.WAITING))
    assert [o for o in await w.wait(47 * 60) if o.address.channel == "CHELP"] == []
    [reminder] = [o for o in await w.wait(61) if o.address.channel == "CHELP"]
    assert "still waiting for your reply" in reminder.reply.text
    [closing] = [o for o in await w.wait(48 * 60) if o.address.channel == "CHELP"]
    assert "is closed" in closing.reply.text
    ticket = await w.store.tickets.get(number)
    assert ticket is not None and ticket.status is TicketStatus.CLOSED
    assert [o for o in await w.wait(10 * 24 * 60) if o.address.channel == "CHELP"] == []
    assert [e.kind for e in await w.store.tickets.events(number)].count("closed") == 1


async def test_a_failed_send_stays_in_the_outbox_and_is_sent_later(tiers: TierDirectory) -> None:
    w = World(tiers)
    await w.open(Priority.HIGH)
    w.notifier.fail = ConnectionError("slack is down")
    assert await w.wait(61) == []
    [queued] = await w.store.outbox.outbox(1)
    assert queued.sent_at is None and queued.attempts == 1
    w.notifier.fail = None
    assert len(await w.wait(1)) == 1
    [sent] = await w.store.outbox.outbox(1)
    assert sent.sent_at is not None
    assert "notification_failed" in [e.kind for e in await w.store.tickets.events(1)]


async def test_a_calendar_change_replans_active_tickets(tiers: TierDirectory, tmp_path: Path) -> None:
    w = World(tiers)
    number = await w.open(Priority.HIGH, tier="office")  # Tuesday 10:00 Berlin: due 12:00 Berlin
    ticket = await w.store.tickets.get(number)
    assert ticket is not None and ticket.first_response_due == START + timedelta(hours=2)
    changed = tmp_path / "changed.yaml"
    changed.write_text(TIERS.replace('tue: ["09:00-17:00"]', 'tue: ["11:00-17:00"]'), encoding="utf-8")
    restarted = EscalationWorker(w.store, load_tiers(changed), w.notifier, w.clock)
    await restarted.run_once()
    ticket = await w.store.tickets.get(number)
    assert ticket is not None and ticket.first_response_due == START + timedelta(hours=3)  # 11:00-13:00 Berlin


async def test_explain_shows_targets_deadlines_time_spent_pauses_and_calendar(tiers: TierDirectory) -> None:
    w = World(tiers)
    number = await w.open(Priority.HIGH, tier="office")
    w.clock.advance(timedelta(minutes=30))
    await w.log(number, "replied", TicketChange(status=TicketStatus.WAITING))
    w.clock.advance(timedelta(minutes=60))
    await w.log(number, "customer_message")
    w.clock.advance(timedelta(minutes=15))
    ticket = await w.store.tickets.get(number)
    assert ticket is not None
    text = await explain_ticket(w.store, tiers, ticket, w.clock.now())
    assert "Calendar: office (Europe/Berlin): mon 09:00-17:00" in text
    assert "First response: target 2 hours · met" in text
    assert "Resolution: target 24 hours · running" in text and "spent 45m of 24 hours" in text
    assert "paused 2026-12-01 09:30 UTC → 2026-12-01 10:30 UTC (1h 00m)" in text
    assert "Next response #1: target 2 hours · running" in text


def reminders(sent: list[Outbound]) -> list[str]:
    return [o.reply.text for o in sent if o.reply.text.startswith("Status reminder")]


@pytest.fixture
def shipped() -> TierDirectory:
    """The tiers Helpline ships (enterprise: critical first response 2 h, warning at 75 %, reminders every 30 m)."""
    return load_tiers(DEFAULT_TIERS_FILE)


async def test_a_status_reminder_missed_during_a_pause_is_sent_once(shipped: TierDirectory) -> None:
    w = World(shipped)
    await w.open(Priority.CRITICAL, tier="enterprise")
    assert await w.wait(0) == []  # the worker runs as the ticket opens (the console runs it after every line)
    [late] = reminders(await w.wait(180))  # the worker was away for three hours (/wait 3h)
    assert "still open after 3h 00m" in late
    assert reminders(await w.wait(10)) == []  # not again ten minutes later
    [following] = reminders(await w.wait(20))
    assert "still open after 3h 30m" in following


async def test_status_reminders_pause_while_waiting_on_the_customer_and_resume_when_they_write(
    tiers: TierDirectory,
) -> None:
    w = World(tiers)
    number = await w.open(Priority.CRITICAL)
    await w.wait(10)
    await w.log(number, "replied", TicketChange(status=TicketStatus.WAITING))
    quiet = [text for _ in range(12) for text in reminders(await w.wait(30))]
    assert quiet == []  # six hours waiting on the customer: no reminder to the team
    await w.log(number, "customer_message", TicketChange(status=TicketStatus.OPEN))
    assert reminders(await w.wait(0)) == []  # none for the time spent waiting
    [resumed] = reminders(await w.wait(30))
    assert "still open after 6h 40m" in resumed
    [again] = reminders(await w.wait(30))
    assert "still open after 7h 10m" in again


async def test_after_a_pause_notices_go_out_in_the_order_they_fell_due(shipped: TierDirectory) -> None:
    w = World(shipped)
    await w.open(Priority.CRITICAL, tier="enterprise")
    assert await w.wait(0) == []  # the worker runs as the ticket opens (the console runs it after every line)
    heads = [o.reply.text.split(":")[0] for o in await w.wait(180)]
    assert heads == [
        "SLA warning",  # 1h30: 75 % of the two-hour first-response target
        "Escalation (level 1, L1 first contact)",  # 2h00
        "Escalation (level 2, L2 technical support)",  # 3h00
        "Status reminder",  # 3h00, the latest one due (the earlier ones are not sent after a pause)
    ]
