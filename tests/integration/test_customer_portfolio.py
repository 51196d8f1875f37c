"""The dashboard's customer list and account page read from every store: the latest kept score with its trend,
open tickets by the people's identities, the SLA record and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.customers.health_history import HealthDay
from core.customers.portfolio import PortfolioQuery, portfolio
from core.customers.profile import account_profile
from core.customers.records import Account, AccountEntry, PersonDraft
from core.messages import Address
from core.stores import Stores
from core.tickets.records import NewTicket, Priority

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


async def test_the_list_and_the_page_read_scores_tickets_and_links_from_the_store(store: Stores) -> None:
    people = (PersonDraft("Ana", ("slack:U1",)),)
    entries = [AccountEntry(Account("acme", "Acme", "enterprise"), people), AccountEntry(Account("b", "Beta", "pro"))]
    await store.customers.save(entries, T0 - timedelta(days=20))
    await store.links.link("slack:U1", "discord:9", "slack:UMOD", T0 - timedelta(days=3))
    for days_ago, score, category in ((9, 90, "Healthy"), (1, 72, "Good")):
        at = T0 - timedelta(days=days_ago)
        await store.health.add(HealthDay("acme", at.date(), score, category, (), at))
    where = Address("slack", "T1", "C1", "1.1")
    due = T0 - timedelta(minutes=30)  # passed unanswered: missed
    for user, subject in (("U1", "Down"), ("9", "Also down"), ("U7", "Not theirs")):
        platform = "discord" if user == "9" else "slack"
        place = Address(platform, "g", "c", user)
        draft = NewTicket("acme", "enterprise", place if platform == "discord" else where, user, "Ana", subject,
                          None, Priority.HIGH, T0 - timedelta(hours=1), due, None)  # fmt: skip
        await store.tickets.open_ticket(draft, "helpline")

    rows = await portfolio(store, T0, PortfolioQuery(sort="open"))
    assert [(r.account.id, r.open_tickets, r.category, r.trend) for r in rows] == [
        ("acme", 2, "Good", "declining"),
        ("b", 0, "Not scored", None),
    ]
    shown = await account_profile(store, "acme", T0)
    assert shown is not None and [t.subject for t in shown.view.open_tickets] == ["Also down", "Down"]
    assert (shown.sla.tickets, shown.sla.missed, shown.sla.met) == (2, 2, 0)
    assert [t.number for t in shown.view.open_tickets if shown.sla_word(t) == "missed"] == [2, 1]
    assert [e.text for e in shown.timeline] == [
        "now 72 Good (was 90 Healthy)",
        "slack:UMOD linked slack:U1 to discord:9",
        "scored 90 Healthy",
    ]


async def test_everyone_and_every_history_read_all_accounts_at_once(store: Stores) -> None:
    entries = [
        AccountEntry(Account("b", "Beta", "pro"), (PersonDraft("Zed", ("slack:UZ",)),)),
        AccountEntry(Account("a", "Alpha", "pro"), (PersonDraft("Ana", ("slack:UA", "github:ana")),)),
    ]
    await store.customers.save(entries, T0)
    await store.links.link("slack:UZ", "discord:7", "slack:UMOD", T0)
    await store.links.unlink("discord:7", "slack:UMOD", T0)  # a person of their own, in no account
    assert [(p.account, p.name, p.identities) for p in await store.customers.everyone()] == [
        ("a", "Ana", ("github:ana", "slack:UA")),
        ("b", "Zed", ("slack:UZ",)),
    ]
    for account, days_ago in (("b", 2), ("a", 1), ("a", 3), ("b", 40)):
        at = T0 - timedelta(days=days_ago)
        await store.health.add(HealthDay(account, at.date(), 50, "At risk", (), at))
    kept = await store.health.every_history((T0 - timedelta(days=30)).date())
    assert [(h.account, (T0.date() - h.day).days) for h in kept] == [("a", 3), ("a", 1), ("b", 2)]
