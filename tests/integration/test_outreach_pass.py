"""Proactive outreach on every store: each trigger's occurrence runs its playbook once (two passes, two workers,
a restart), customer messages are throttled per account and wait for the customer's business hours, and the
account's timeline shows it all, newest first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bots.bootstrap import build_system
from bots.cli.customers import text_of
from bots.http.app import create_app
from bots.http.customers_api import customer_routes
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, load_settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.customers.health_history import HealthDay
from core.customers.outreach import ActionKind, Audience, OutreachPolicy, Playbook, PlaybookAction, Trigger
from core.customers.outreach_pass import OutreachPass
from core.customers.records import Account, AccountEntry, PersonDraft, Usage
from core.customers.timeline import timeline as account_timeline
from core.customers.view import customer_view, document
from core.errors import ConfigError
from core.messages import Address, Destination
from core.sla.worker import EscalationWorker
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from core.tickets.records import Deadline, Escalation, NewTicket, Priority
from tests.desk_fakes import RULES, KeywordUnderstander, RecordingNotifier
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # a Thursday, 06:00 in London: before business hours
TIERS = load_tiers(DEFAULT_TIERS_FILE)  # enterprise is 24x7; professional keeps London business hours
CSM = "slack:U0CSM"
NOTICE = (PlaybookAction(ActionKind.NOTICE, Audience.CSM, "{reason}"),)
MESSAGE = PlaybookAction(ActionKind.MESSAGE, Audience.CUSTOMER, "Hello {name}: {reason}.")
TASK = PlaybookAction(ActionKind.TASK, Audience.CSM, "Call {name}")

EVERY_TRIGGER = (
    Playbook("health_70", Trigger.HEALTH, NOTICE, threshold=70),
    Playbook("health_50", Trigger.HEALTH, (*NOTICE, PlaybookAction(ActionKind.NOTICE, Audience.LEADERSHIP, "")), 50),
    Playbook("usage_limit", Trigger.USAGE_LIMIT, NOTICE, threshold=0.85),
    Playbook("low_adoption", Trigger.LOW_ADOPTION, NOTICE, threshold=0.3),
    Playbook("renewal", Trigger.RENEWAL, NOTICE, days=(60, 30, 14, 7, 1)),
    Playbook("escalation", Trigger.ESCALATION, NOTICE, tiers=("enterprise",)),
    Playbook("milestone", Trigger.MILESTONE, NOTICE, milestones=(10, 50)),
)


async def _account(store: Stores, tier: str = "enterprise", **fields: object) -> Account:
    account = Account(
        "acme",
        "Acme",
        tier,
        csm=CSM,
        contract_start=T0.date() - timedelta(days=60),
        renewal_date=T0.date() + timedelta(days=30),
        seats=10,
    )
    account = Account(**{**account.__dict__, **fields})
    await store.customers.save([AccountEntry(account, (PersonDraft("Ana", ("slack:U1",)),))], T0)
    return account


async def _troubled(store: Stores) -> None:
    """Health 80, 65, then 45; plan usage 90 %, adoption 20 %, 12 active users; an escalated enterprise ticket."""
    for days, score in ((2, 80), (1, 65), (0, 45)):
        day = T0.date() - timedelta(days=days)
        await store.health.add(HealthDay("acme", day, score, "x", (), T0))
    usage = Usage("acme", T0 - timedelta(days=1), active_users=12, seats=10, feature_adoption=0.2, plan_usage=0.9)
    await store.customers.record_usage(usage)
    where = Address("slack", "T1", "C1", "1.1")
    draft = NewTicket("acme", "enterprise", where, "U1", "Ana", "Down", None, Priority.HIGH, T0, None, None)
    ticket = await store.tickets.open_ticket(draft, "helpline")
    assert await store.escalations.claim_escalation(Escalation(ticket.number, Deadline.MANUAL, 1, "console", T0))


def _pass(store: Stores, clock: ManualClock, *playbooks: Playbook, **policy: object) -> OutreachPass:
    return OutreachPass(store, TIERS, clock, OutreachPolicy(playbooks, leadership_channel="slack:C0LEADS", **policy))  # type: ignore[arg-type]


async def test_every_trigger_runs_its_playbook_once_across_passes_workers_and_a_restart(store: Stores) -> None:
    await _account(store)
    await _troubled(store)
    clock = ManualClock(T0)
    first, second = _pass(store, clock, *EVERY_TRIGGER), _pass(store, clock, *EVERY_TRIGGER)
    await asyncio.gather(first.run_once(), second.run_once())
    clock.advance(timedelta(hours=2))  # the next hourly check of both workers
    await asyncio.gather(first.run_once(), second.run_once())
    restarted = _pass(store, clock, *EVERY_TRIGGER)
    await restarted.run_once()
    assert await store.outreach.occurred("acme") == {
        ("health_70", f"70:{(T0.date() - timedelta(days=1)).isoformat()}"),  # below 70 since yesterday
        ("health_50", f"50:{T0.date().isoformat()}"),
        ("usage_limit", "85%:2026-12-02"),
        ("low_adoption", "30%:2026-10-04"),
        ("renewal", "30:2027-01-02"),
        ("escalation", "#1"),
        ("milestone", "active_users:10"),
    }
    notices = await store.outbox.outbox()
    assert sorted(str(n.outbound.address) for n in notices) == ["slack:C0LEADS", *[CSM] * 7]
    to_csm = [n.outbound.reply for n in notices if str(n.outbound.address) == CSM]
    assert all(
        r.destination is Destination.DIRECT and [str(m) for m in r.mentions] == ["slack:user:U0CSM"] for r in to_csm
    )
    texts = [r.text for r in to_csm]
    renewal = "Outreach (renewal) for Acme [acme]: the contract renews in 30 days, on 2027-01-02."
    assert any(t.splitlines()[0] == renewal for t in texts)
    assert any("health score 45 (x) is below 50 since 2026-12-03" in t for t in texts)

    # The health score recovers and drops again later: a new occurrence, told once more.
    for days, score in ((1, 75), (2, 60)):
        await store.health.add(HealthDay("acme", T0.date() + timedelta(days=days), score, "x", (), T0))
    clock.advance(timedelta(days=2))
    await asyncio.gather(first.run_once(), second.run_once())
    assert ("health_70", "70:2026-12-05") in await store.outreach.occurred("acme")
    assert len(await store.outbox.outbox()) == 9


async def test_customer_messages_are_throttled_per_account_and_the_timeline_says_so(store: Stores) -> None:
    await _account(store)
    await store.customers.record_usage(Usage("acme", T0, active_users=12, plan_usage=0.9))
    clock = ManualClock(T0)
    playbooks = (
        Playbook("renewal", Trigger.RENEWAL, (MESSAGE,), days=(30,)),
        Playbook("usage_limit", Trigger.USAGE_LIMIT, (MESSAGE, TASK), threshold=0.85),
        Playbook("milestone", Trigger.MILESTONE, (MESSAGE,), milestones=(10, 50)),
    )
    outreach = _pass(store, clock, *playbooks, messages=2, window=timedelta(days=7))
    await outreach.run_once()
    timeline = await store.outreach.timeline("acme")
    statuses = sorted((r.playbook, r.action, r.status) for r in timeline)
    assert statuses == [
        ("milestone", "message", "throttled"),
        ("renewal", "message", "sent"),
        ("usage_limit", "message", "sent"),
        ("usage_limit", "task", "open"),
    ]
    sent = [n.outbound for n in await store.outbox.outbox()]
    assert [str(o.address) for o in sent] == ["slack:U1", "slack:U1"]  # a direct message to the account's person
    assert all(o.reply.destination is Destination.DIRECT for o in sent)
    assert "Hello Acme: the contract renews in 30 days, on 2027-01-02." in [o.reply.text for o in sent]

    # A week later the window has room again: the next milestone's message goes.
    clock.advance(timedelta(days=8))
    await store.customers.record_usage(Usage("acme", clock.now(), active_users=60))
    await outreach.run_once()
    newest = (await store.outreach.timeline("acme"))[0]
    assert (newest.playbook, newest.occurrence, newest.status) == ("milestone", "active_users:50", "sent")
    view = await customer_view(store, "acme")
    assert view is not None
    shown = document(view)
    assert shown["timeline"][0]["occurrence"] == "active_users:50"
    lines = text_of(shown).splitlines()
    assert lines[lines.index("Outreach (5):") + 1].endswith("milestone (active_users:50): message to slack:U1, sent")
    assert any(line.endswith("milestone (active_users:10): message to slack:U1, throttled") for line in lines)
    assert set(shown["timeline"][0]) == {
        "at", "playbook", "trigger", "occurrence", "action", "audience", "target", "text", "status", "due_at", "sent_at"
    }  # fmt: skip
    # The dashboard's account timeline shows the same actions among its other entries.
    entries = await account_timeline(store, view, clock.now())
    outreach_lines = [e.text for e in entries if e.kind == "outreach"]
    assert "milestone (milestone): message to slack:U1, throttled" in outreach_lines
    assert len(outreach_lines) == 5


async def test_a_message_outside_business_hours_waits_for_them_and_goes_once(store: Stores) -> None:
    await _account(store, tier="professional")  # London business hours, 08:00-18:00 on weekdays
    clock = ManualClock(T0)  # 06:00 in London
    playbook = Playbook("renewal", Trigger.RENEWAL, (*NOTICE, MESSAGE), days=(30,))
    channels = {"acme": "slack:T0ACME/C0SHARED"}
    first, second = (_pass(store, clock, playbook, channels=channels) for _ in range(2))
    await first.run_once()
    [notice] = await store.outbox.outbox()  # the staff notice goes at once; the customer's message waits
    assert str(notice.outbound.address) == CSM
    [message, _] = await store.outreach.timeline("acme")
    assert (message.action, message.status, message.due_at) == ("message", "deferred", T0.replace(hour=8))
    clock.advance(timedelta(hours=1, minutes=59))
    await asyncio.gather(first.run_once(), second.run_once())
    assert len(await store.outbox.outbox()) == 1
    clock.advance(timedelta(minutes=1))  # 08:00: the customer's day begins
    await asyncio.gather(first.run_once(), second.run_once())
    await first.run_once()
    sent = await store.outbox.outbox()
    assert [str(n.outbound.address) for n in sent] == [CSM, "slack:T0ACME/C0SHARED"]
    assert sent[1].outbound.reply.destination is Destination.CHANNEL
    [message, _] = await store.outreach.timeline("acme")
    assert (message.status, message.sent_at) == ("sent", T0.replace(hour=8))


async def test_an_escalation_the_worker_fires_and_a_usage_report_are_checked_at_once(store: Stores) -> None:
    await _account(store)
    clock = ManualClock(T0)
    playbooks = (
        Playbook("escalation", Trigger.ESCALATION, NOTICE, tiers=("enterprise",)),
        Playbook("usage_limit", Trigger.USAGE_LIMIT, NOTICE, threshold=0.85),
    )
    outreach = _pass(store, clock, *playbooks)
    await outreach.run_once()  # the hourly check: nothing due yet
    where = Address("slack", "T1", "C1", "1.1")
    draft = NewTicket("acme", "enterprise", where, "U1", "Ana", "Down", None, Priority.HIGH, T0, None, None)
    ticket = await store.tickets.open_ticket(draft, "helpline")
    fired = Escalation(ticket.number, Deadline.FIRST_RESPONSE, 1, "console", T0)
    assert await outreach.escalations([fired, fired]) == 1
    assert await outreach.escalations([fired]) == 0
    await store.customers.record_usage(Usage("acme", T0, plan_usage=0.9, active_users=5, seats=10))
    kept = await outreach.after_usage("acme")
    assert [(r.playbook, r.occurrence) for r in kept] == [("usage_limit", "85%:2026-12-03")]
    assert [h.score for h in await store.health.history("acme", T0.date())] != []  # scored again on the report
    assert await outreach.after_usage("acme") == []
    assert await outreach.after_usage("nobody") == []
    assert len(await store.outbox.outbox()) == 2


async def test_a_usage_post_through_the_api_runs_the_usage_playbook_at_once(store: Stores) -> None:
    await _account(store)
    clock = ManualClock(T0)
    outreach = _pass(store, clock, Playbook("usage_limit", Trigger.USAGE_LIMIT, NOTICE, threshold=0.85))
    routes = customer_routes(store.customers, ("enterprise",), clock, "s3cret-token", outreach.after_usage)
    app = create_app(None, clock, (), interval=60.0, routes=routes)
    body = {"account": "acme", "at": "2026-12-03T05:00:00Z", "plan_usage": 0.9}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://helpline") as http:
        for _ in range(2):
            answer = await http.post("/api/usage", json=body, headers={"Authorization": "Bearer s3cret-token"})
            assert answer.status_code == 201, answer.text
    assert await store.outreach.occurred("acme") == {("usage_limit", "85%:2026-12-03")}
    assert [str(n.outbound.address) for n in await store.outbox.outbox()] == [CSM]
    assert await store.health.scored_on(T0.date()) == {"acme"}  # the report scored the account again


async def test_the_served_worker_runs_the_shipped_playbooks_and_sends_through_its_drain() -> None:
    stores, clock = memory_stores(), ManualClock(T0)
    await _account(stores)  # enterprise, renewing in 30 days, with a CSM
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    notifier = RecordingNotifier()
    system = await build_system(
        load_settings(env={}),
        notifier=notifier,
        understander=KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        tiers=TIERS,
        stores=stores,
        clock=clock,
    )
    await system.worker.run_once()
    await system.worker.run_once()
    renewal = [o for o in notifier.sent if "(renewal)" in o.reply.text]
    assert [str(o.address) for o in renewal] == [CSM]
    assert "Renewal in 30 days (2027-01-02)." in renewal[0].reply.text
    tasks = [r for r in await stores.outreach.timeline("acme") if r.action == "task" and r.playbook == "renewal"]
    assert [t.text for t in tasks] == ["Prepare Acme's renewal (2027-01-02)"]
    # The pass scored the account first (no usage, no activity: 44, Critical). That first score is the account's
    # baseline, not a drop, so no health playbook ran: a new account does not page its CSM on its first day.
    assert [o for o in notifier.sent if "health score" in o.reply.text] == []


async def test_an_escalation_the_sla_worker_fires_runs_the_escalation_playbook_in_that_pass(store: Stores) -> None:
    await _account(store)
    clock = ManualClock(T0)
    playbook = Playbook("escalation", Trigger.ESCALATION, NOTICE, tiers=("enterprise",))
    outreach = _pass(store, clock, playbook, every=timedelta(days=30))  # no check for a month: only the hook finds it
    await outreach.run_once()
    notifier = RecordingNotifier()
    worker = EscalationWorker(store, TIERS, notifier, clock, owner="w1", escalated=outreach.escalations)
    worker.passes = (outreach.run_once,)
    where = Address("slack", "T1", "C1", "1.1")
    opened = T0 - timedelta(hours=5)  # enterprise, high: a first response within 4h, missed an hour ago
    draft = NewTicket("acme", "enterprise", where, "U1", "Ana", "Down", None, Priority.HIGH, opened, None, None)
    await store.tickets.open_ticket(draft, "helpline")
    fired = await worker.run_once()
    assert fired  # the SLA engine escalated the ticket in this pass ...
    told = [o for o in notifier.sent if "Outreach (escalation)" in o.reply.text]
    assert [str(o.address) for o in told] == [CSM]  # ... and the CSM heard of it through the same pass's drain
    await worker.run_once()
    assert len([o for o in notifier.sent if "Outreach (escalation)" in o.reply.text]) == 1


async def test_nothing_runs_twice_after_a_restart_on_a_new_connection(database_url: str) -> None:
    clock = ManualClock(T0)
    for run in range(2):  # the second run is a new process: a new engine on the same database
        engine = create_engine_for(database_url)
        try:
            await upgrade_schema(engine)
            store = sql_stores(engine)
            if run == 0:
                await _account(store)
                await _troubled(store)
            await _pass(store, clock, *EVERY_TRIGGER).run_once()
            assert len(await store.outreach.occurred("acme")) == 7
            assert len(await store.outbox.outbox()) == 8
        finally:
            await engine.dispose()


async def test_a_broken_playbooks_file_stops_the_start_naming_the_file_and_key(tmp_path: Path) -> None:
    broken = tmp_path / "playbooks.yaml"
    broken.write_text("playbooks:\n  renewal: {trigger: renewal, days: [30], actions: [{message: 'Hi {nmae}'}]}\n")
    settings = load_settings(env={})
    settings = settings.model_copy(update={"support": settings.support.model_copy(update={"playbooks_file": broken})})
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    with pytest.raises(ConfigError) as raised:
        await build_system(
            settings,
            notifier=RecordingNotifier(),
            understander=KeywordUnderstander(catalog, RULES),
            catalog=catalog,
            tiers=TIERS,
            stores=memory_stores(),
            clock=ManualClock(T0),
        )
    assert (raised.value.path, raised.value.key) == (str(broken), "playbooks.renewal.actions[0].message")
    assert "unknown template field {nmae}" in raised.value.problem
