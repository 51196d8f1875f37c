"""The daily health pass on the escalation worker, on every store: one score per account and day across
workers; and the figures a score is computed from, gathered from the tickets, surveys and usage reports."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import build_system
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, load_settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.customers.health import engagement_part
from core.customers.health_figures import health_figures
from core.customers.health_pass import HealthPass
from core.customers.records import Account, AccountEntry, Person, PersonDraft, Usage
from core.messages import Address
from core.requests.records import NewRequest, Requester
from core.satisfaction.records import NewSurvey, SurveyKind
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tickets.records import NewTicket, Priority
from tests.desk_fakes import RULES, KeywordUnderstander, RecordingNotifier
from tests.fakes import memory_stores
from tests.scale_worker import TIERS

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
ACME = Account("acme", "Acme", "enterprise", seats=10)


async def _acme(store: Stores) -> None:
    people = (PersonDraft("Ana", ("slack:U1",)), PersonDraft("Bob", ("slack:U2",)))
    await store.customers.save([AccountEntry(ACME, people), AccountEntry(Account("globex", "Globex", "pro"))], T0)
    await store.customers.record_usage(Usage("acme", T0 - timedelta(days=10), active_users=5, seats=10))
    await store.customers.record_usage(
        Usage("acme", T0 - timedelta(days=1), active_users=8, seats=12, feature_adoption=0.5, plan_usage=0.7)
    )


def _worker(store: Stores, clock: ManualClock, tmp_path: Path, owner: str) -> EscalationWorker:
    tiers_file = tmp_path / "tiers.yaml"
    tiers_file.write_text(TIERS)
    health = HealthPass(store, clock)
    return EscalationWorker(
        store, load_tiers(tiers_file), RecordingNotifier(), clock, owner=owner, passes=(health.run_once,)
    )


async def test_two_workers_score_each_account_once_a_day(store: Stores, tmp_path: Path) -> None:
    await _acme(store)
    clock = ManualClock(T0 - timedelta(hours=7))
    first, second = (_worker(store, clock, tmp_path, owner) for owner in ("w1", "w2"))
    # One pass alone the evening before: two workers planning a fresh database at the same moment race on the
    # SLA fingerprint (store_meta), which is not what this test is about.
    await first.run_once()
    clock.advance(timedelta(hours=7))
    for _ in range(3):  # several passes in one day, both workers at once
        await asyncio.gather(first.run_once(), second.run_once())
        clock.advance(timedelta(hours=5))
    # usage: mean of 8/10, 0.5, 0.7 = 67; engagement 0 of 2; support 100; growth 10 -> 12 seats = +20 % -> 100;
    # no satisfaction answers: (0.3 x 67 + 0.25 x 0 + 0.2 x 100 + 0.1 x 100) / 0.85 = 58.94
    [day1] = await store.health.history("acme", T0.date())
    assert (day1.day, day1.score, day1.category, day1.missing) == (T0.date(), 59, "At risk", ("satisfaction",))
    [globex] = await store.health.history("globex", T0.date())
    assert (globex.score, globex.category) == (0, "No data")

    await store.customers.record_usage(Usage("acme", T0 + timedelta(hours=14), active_users=10, seats=12))
    clock.advance(timedelta(hours=3))  # 00:00 the next UTC day: scored again, once
    await asyncio.gather(first.run_once(), second.run_once())
    await first.run_once()
    # usage: 10/10 with adoption and plan usage no longer reported -> 100; (30 + 20 + 10) / 0.85 = 70.59
    history = await store.health.history("acme", T0.date() - timedelta(days=1))
    assert [(h.day.day, h.score) for h in history] == [(2, 59), (3, 59), (4, 71)]


async def test_the_figures_come_from_the_accounts_tickets_surveys_and_usage(store: Stores) -> None:
    await _acme(store)
    now = T0
    where = Address("slack", "T1", "C1", "1.1")
    due = now - timedelta(minutes=30)
    draft = NewTicket(
        "acme", "enterprise", where, "U1", "Ana", "Down", None, Priority.CRITICAL, now - timedelta(hours=1), due, None
    )
    ticket = await store.tickets.open_ticket(draft, "helpline")
    other = NewTicket("x", "community", where, "U9", "Zed", "Not ours", None, Priority.LOW, now, None, None)
    await store.tickets.open_ticket(other, "helpline")
    old = NewTicket(
        "acme", "enterprise", where, "U2", "Bob", "Long ago", None, Priority.LOW, now - timedelta(days=40), None, None
    )
    await store.tickets.open_ticket(old, "helpline")
    sent = NewSurvey(SurveyKind.CSAT, ticket.number, "slack", "U2", where, "enterprise", None, now - timedelta(days=2))
    survey = await store.surveys.send(sent)
    assert survey is not None
    await store.surveys.answer(survey.id, 5, None, now - timedelta(days=2))
    figures = await health_figures(store, ACME, now)
    assert (figures.tickets, figures.sla_misses, figures.unresolved_critical) == (1, 1, 1)
    assert (figures.people, figures.active_people, figures.csat_answers, figures.csat_satisfied) == (2, 1, 1, 1)
    assert (figures.active_users, figures.seats_before, figures.seats_now) == (8, 10, 12)


async def test_the_served_worker_scores_the_accounts_on_its_pass() -> None:
    stores, clock = memory_stores(), ManualClock(T0)
    await _acme(stores)
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    system = await build_system(
        load_settings(env={}),
        notifier=RecordingNotifier(),
        understander=KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=stores,
        clock=clock,
    )
    await system.worker.run_once()
    await system.worker.run_once()
    assert [h.score for h in await stores.health.history("acme", T0.date())] == [59]


async def test_an_account_whose_score_fails_leaves_the_others_scored_and_is_tried_again() -> None:
    stores, clock = memory_stores(), ManualClock(T0)
    await _acme(stores)
    broken = {"globex"}
    people = stores.customers.people

    async def failing_people(account_id: str) -> list[Person]:
        if account_id in broken:
            raise RuntimeError("the store lost globex's people")
        return await people(account_id)

    stores.customers.people = failing_people  # type: ignore[method-assign]
    health = HealthPass(stores, clock)
    assert await health.run_once() == 1
    assert await stores.health.scored_on(T0.date()) == {"acme"}
    broken.clear()
    assert await health.run_once() == 1
    assert await stores.health.scored_on(T0.date()) == {"acme", "globex"}


async def test_filing_or_voting_for_a_feature_request_counts_as_engagement(store: Stores) -> None:
    await _acme(store)
    bob = Requester("slack:U2", "Bob", "acme", "enterprise", Address("slack", "T1", "C1", "2.2"))
    draft = await store.feature_requests.draft(NewRequest("Dark mode", "Dark mode please", bob, T0 - timedelta(days=3)))
    assert await store.feature_requests.file_draft(draft.id, "slack:U2") is not None
    figures = await health_figures(store, ACME, T0)
    assert (figures.people, figures.active_people, figures.voters, figures.tickets) == (2, 1, 1, 0)
    assert "1 feature-request vote)" in engagement_part(figures).reason
    later = await health_figures(store, ACME, T0 + timedelta(days=40))  # the vote is out of the window
    assert (later.active_people, later.voters) == (0, 0)
