"""Triage of tracker issues and their life on the ticket, on in-memory fakes: no model, no database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.desk.issues import IssueDesk, IssueKind
from core.messages import Address, Author, IncomingMessage, ReplyKind
from core.tickets.records import Priority, Role, TicketStatus
from core.tiers import Customer
from tests.desk_fakes import make_harness

pytestmark = pytest.mark.asyncio

ISSUE = Address("github", "acme", "cli", "7")


def issue(text: str, user: str = "ana") -> IncomingMessage:
    """An issue as the GitHub adapter hands it to the core."""
    return IncomingMessage(ISSUE, Author(user, user), text, "issue:7")


async def test_an_issue_always_opens_a_ticket_and_carries_its_text() -> None:
    h = make_harness()
    triage = await IssueDesk(h.desk.desk).triage(issue("Weather widget\n\nshows the wrong city"), "Weather widget")
    assert triage.opened and triage.answer is None and triage.kind is IssueKind.QUESTION
    assert (triage.ticket.subject, triage.ticket.address, triage.priority) == ("Weather widget", ISSUE, Priority.MEDIUM)
    [kept] = await h.store.conversations.messages(triage.ticket.number)
    assert (kept.role, kept.text) == (Role.CUSTOMER, "Weather widget shows the wrong city")


async def test_a_confident_answer_is_returned_and_kept_on_the_ticket() -> None:
    h = make_harness()
    triage = await IssueDesk(h.desk.desk).triage(issue("Exit code 137 on deploy"), "Exit code 137 on deploy")
    assert triage.answer is not None and triage.answer.kind is ReplyKind.ANSWER
    assert triage.answer.citation is not None and triage.answer.citation.url == "https://docs.example.com/oom"
    assert [m.role for m in await h.store.conversations.messages(triage.ticket.number)] == [Role.CUSTOMER, Role.BOT]


async def test_triaging_the_same_issue_again_opens_no_second_ticket() -> None:
    h = make_harness()
    issues = IssueDesk(h.desk.desk)
    first = await issues.triage(issue("App crash on start"), "App crash on start")
    again = await issues.triage(issue("App crash on start"), "App crash on start")
    assert (first.opened, again.opened, again.ticket.number) == (True, False, first.ticket.number)
    assert (again.kind, again.priority) == (IssueKind.BUG, Priority.HIGH)
    assert len(await h.store.tickets.list_tickets(active_only=False)) == 1


async def test_the_authors_tier_raises_the_priority_and_sets_the_deadlines() -> None:
    h = make_harness()
    h.desk.desk.tiers = h.tiers.with_customer(Customer("acme", "Acme", "enterprise", ("github:ana",)))
    triage = await IssueDesk(h.desk.desk).triage(issue("Invoice is wrong"), "Invoice is wrong")
    assert (triage.ticket.tier, triage.ticket.customer, triage.priority) == ("enterprise", "acme", Priority.HIGH)
    assert triage.ticket.first_response_due == triage.ticket.created_at + timedelta(hours=4)


async def test_closing_resolves_and_reopening_reopens_once() -> None:
    h = make_harness()
    issues = IssueDesk(h.desk.desk)
    await issues.triage(issue("Weather widget"), "Weather widget")
    resolved = await issues.closed(ISSUE, "github:mo", "closed on GitHub")
    assert resolved is not None and resolved.status is TicketStatus.RESOLVED and resolved.resolved_at is not None
    assert await issues.closed(ISSUE, "github:mo", "closed again") is None
    reopened = await issues.reopened(ISSUE, "github:ana", "reopened on GitHub")
    assert reopened is not None and reopened.status is TicketStatus.OPEN and reopened.resolved_at is None
    assert await issues.reopened(ISSUE, "github:ana", "again") is None
    assert await issues.closed(Address("github", "acme", "cli", "99"), "github:mo", "no ticket") is None


async def test_the_acknowledgement_names_the_ticket_and_the_tiers_promise() -> None:
    h = make_harness()
    desk = IssueDesk(h.desk.desk)
    community = await desk.triage(issue("CLI crashes on start"), "CLI crashes on start")
    assert community.acknowledgement == (
        "Helpline ticket #1 is open for this issue, at high priority. Community support is best effort, so there is "
        "no guaranteed response time at high priority; the team and the community will pick it up as soon as they can."
    )
    h.desk.desk.tiers = h.tiers.with_customer(Customer("acme", "Acme", "enterprise", ("github:ent",)))
    other = Address("github", "acme", "cli", "8")
    filed = IncomingMessage(other, Author("ent", "ent"), "CLI crashes", "issue:8")
    enterprise = await desk.triage(filed, "CLI crashes")
    assert enterprise.acknowledgement.startswith("Helpline ticket #2 is open for this issue, at critical priority.")
    assert "An engineer will reply within" in enterprise.acknowledgement
    assert "best effort" not in enterprise.acknowledgement
    retried = await desk.triage(issue("CLI crashes on start"), "CLI crashes on start")
    assert not retried.opened and retried.acknowledgement == community.acknowledgement  # the same words again


async def test_an_issue_answered_by_the_bot_logs_the_hand_off_point_and_the_sla_clocks_ignore_it() -> None:
    from core.sla.events import clock_events

    h = make_harness()
    triage = await IssueDesk(h.desk.desk).triage(issue("Exit code 137 on deploy"), "Exit code 137 on deploy")
    events = await h.store.tickets.events(triage.ticket.number)
    assert [e.kind for e in events] == ["opened", "bot_answered"]
    assert events[1].detail == "https://docs.example.com/oom"
    assert [c.happening.value for c in clock_events(events)] == ["opened"]  # no SLA clock moves
