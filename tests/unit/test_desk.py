"""The conversation flow on in-memory fakes: no model, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.messages import Action, Outbound, ReplyKind
from core.tickets.records import Deadline, NewTicket, Priority, Role, Ticket, TicketStatus
from core.wording import place
from tests.deflections import helpful_answers
from tests.desk_fakes import START, make_harness
from tests.fakes import memory_stores
from tests.store_fakes import InMemoryTickets
from tests.store_state import MemoryState

pytestmark = pytest.mark.asyncio


async def test_a_question_the_docs_answer_gets_an_extract_link_and_choices() -> None:
    h = make_harness()
    [reply] = await h.say("my app exits with 137")
    assert reply.kind is ReplyKind.ANSWER
    assert "ran out of memory" in reply.text
    assert reply.citation is not None and reply.citation.url == "https://docs.example.com/oom"
    assert [c.action for c in reply.choices] == [Action.HELPFUL, Action.NOT_HELPFUL, Action.HUMAN]
    assert await h.store.tickets.list_tickets() == []


async def test_helpful_counts_a_self_service_resolution() -> None:
    h = make_harness()
    await h.say("my app exits with 137")
    [reply] = await h.say("", choice="helpful")
    assert "helped" in reply.text
    assert await helpful_answers(h.store, START) == 1
    assert await h.store.tickets.list_tickets() == []


async def test_not_helpful_opens_a_ticket_carrying_the_conversation() -> None:
    h = make_harness()
    await h.say("my app exits with 137")
    [reply] = await h.say("", choice="not_helpful")
    assert reply.kind is ReplyKind.TICKET and reply.ticket == 1
    ticket = await h.store.tickets.get(1)
    assert ticket is not None
    assert ticket.subject == "my app exits with 137" and ticket.intent == "how_to_question"
    kept = await h.store.conversations.messages(1)
    assert [m.role for m in kept] == [Role.CUSTOMER, Role.BOT]
    assert "answer_not_helpful" in [e.kind for e in await h.store.tickets.events(1)]


async def test_an_enterprise_outage_is_a_critical_ticket_with_a_two_hour_promise() -> None:
    h = make_harness(tier="enterprise")
    [reply] = await h.say("the whole API is down for us")
    assert reply.kind is ReplyKind.TICKET
    assert reply.text == "Ticket #1, critical: an engineer will reply within 2 hours."
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.tier == "enterprise" and ticket.customer == "acme"
    assert ticket.first_response_due == START + timedelta(hours=2)


async def test_community_critical_is_acknowledged_honestly_as_best_effort() -> None:
    h = make_harness()
    [reply] = await h.say("everything is down")
    assert "best effort" in reply.text and "no guaranteed response time" in reply.text
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.first_response_due is None


async def test_a_problem_the_docs_cover_gets_the_ticket_and_the_answer() -> None:
    h = make_harness()
    replies = await h.say("it crashes with 137")  # "137" rule comes first: a question...
    assert replies[0].kind is ReplyKind.ANSWER
    replies = await h.say("the app crashes at boot", thread="t2")
    assert [r.kind for r in replies] == [ReplyKind.TICKET, ReplyKind.ANSWER]
    assert replies[1].citation is not None


async def test_greeting_out_of_scope_and_unanswered_questions() -> None:
    h = make_harness()
    [hello] = await h.say("hello there")
    assert hello.kind is ReplyKind.INFO and not hello.choices
    [unsure] = await h.say("what's the weather like", thread="t2")
    assert "not sure" in unsure.text and [c.action for c in unsure.choices] == [Action.OPEN_TICKET]
    [unanswered] = await h.say("where is my invoice", thread="t3")
    assert "couldn't find" in unanswered.text and unanswered.choices
    assert await h.store.tickets.list_tickets() == []


async def test_follow_ups_join_the_threads_ticket_and_raise_its_priority() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    [reply] = await h.say("and now everything is down")
    assert reply.text.startswith("Added to ticket #1.") and "critical" in reply.text
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.priority is Priority.CRITICAL
    assert len(await h.store.tickets.list_tickets()) == 1


async def test_a_duplicated_delivery_is_answered_once() -> None:
    h = make_harness()
    assert await h.say("the app crashes at boot", message_id="same")
    assert await h.say("the app crashes at boot", message_id="same") == []
    assert len(await h.store.tickets.list_tickets()) == 1


@pytest.mark.parametrize(
    "raw",
    ["", "   \u200b\u202e  ", b"\xff\xfe\x00binary", "crash " + "x" * 100_000],
    ids=["empty", "invisible", "binary", "huge"],
)
async def test_odd_messages_get_a_clear_reply_and_are_kept_exactly(raw: str | bytes) -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    replies = await h.say(raw)
    assert replies and all(r.kind is not ReplyKind.ERROR for r in replies)
    kept = (await h.store.conversations.messages(1))[-1]
    expected = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    assert kept.raw == expected


async def test_an_empty_message_outside_a_ticket_asks_for_text() -> None:
    h = make_harness()
    [reply] = await h.say(" \u200b ")
    assert "no text" in reply.text


def escalations(sent: list[Outbound]) -> list[Outbound]:
    """Only the escalation notices among what the worker sent (warnings and reminders go out too)."""
    return [o for o in sent if o.reply.kind is ReplyKind.ESCALATION]


async def test_escalation_fires_once_per_deadline_and_level_and_names_the_contact() -> None:
    # Changed with the SLA engine: the shipped enterprise tier has a four-level chain (L2 one hour after
    # L1), so the old "nothing more after 6 hours" became "each level once, at its own time".
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")  # critical: first response within 2 hours
    assert escalations(await h.wait(timedelta(hours=1))) == []
    [notice] = escalations(await h.wait(timedelta(hours=1, minutes=1)))
    assert str(notice.address) == "console"
    assert notice.reply.kind is ReplyKind.ESCALATION and notice.reply.ticket == 1
    assert "customer success manager" in notice.reply.text and "first-response" in notice.reply.text
    assert "level 1, L1 first contact" in notice.reply.text
    assert [c.action for c in notice.reply.choices] == [Action.CLAIM, Action.ACKNOWLEDGE]
    assert escalations(await h.wait(timedelta(minutes=30))) == []
    [level2] = escalations(await h.wait(timedelta(minutes=30)))
    assert "level 2, L2 technical support" in level2.reply.text
    assert escalations(await h.wait(timedelta(minutes=30))) == []
    levels = [(e.deadline, e.level) for e in await h.store.escalations.escalations(1)]
    assert levels == [(Deadline.FIRST_RESPONSE, 1), (Deadline.FIRST_RESPONSE, 2)]


async def test_a_human_reply_meets_the_first_response_target() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    h.clock.advance(timedelta(minutes=30))
    reply = await h.mod("reply 1 We are on it")
    assert "within the SLA" in reply.text
    assert [o.reply.text for o in h.notifier.sent] == ["Mo (support) on ticket #1: We are on it"]
    assert str(h.notifier.sent[0].address) == "discord:guild1/help/t1"
    assert escalations(await h.wait(timedelta(hours=5))) == []


async def test_failed_escalation_delivery_is_retried_not_lost() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    h.notifier.fail = ConnectionError("slack unreachable")
    assert await h.wait(timedelta(hours=3)) == []
    h.notifier.fail = None
    assert len(escalations(await h.wait(timedelta(minutes=1)))) == 2  # levels 1 and 2 were both due by now
    assert "escalation_failed" in [e.kind for e in await h.store.tickets.events(1)]


async def test_community_tickets_are_never_escalated() -> None:
    h = make_harness()
    await h.say("where is my invoice")
    await h.say("", choice="open_ticket")
    assert await h.wait(timedelta(weeks=3)) == []


async def test_moderator_claims_replies_and_resolves() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    assert "claimed" in (await h.mod("claim 1")).text
    assert "#1" in (await h.mod("tickets mine")).text
    await h.mod("note 1 checking the load balancer")
    await h.mod("reply 1 fixed, please check")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.WAITING and ticket.assignee == "discord:mo"
    assert "resolved" in (await h.mod("resolve 1")).text
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED
    assert (await h.mod("tickets")).text == "No open tickets."
    assert "reopened" in (await h.mod("reopen 1")).text
    kinds = [e.kind for e in await h.store.tickets.events(1)]
    assert kinds == ["opened", "claimed", "note", "replied", "resolved", "reopened"]
    notes = [m for m in await h.store.conversations.messages(1) if m.role is Role.NOTE]
    assert [n.text for n in notes] == ["checking the load balancer"]
    assert all("load balancer" not in o.reply.text for o in h.notifier.sent)


async def test_priority_change_moves_the_deadlines() -> None:
    h = make_harness(tier="enterprise")
    await h.say("where is my invoice")
    await h.say("", choice="human")
    before = await h.store.tickets.get(1)
    assert before is not None and before.priority is Priority.HIGH  # billing medium, raised
    await h.mod("priority 1 critical")
    after = await h.store.tickets.get(1)
    assert after is not None and after.priority is Priority.CRITICAL
    assert after.first_response_due == START + timedelta(hours=2)


async def test_manual_escalation_reaches_the_tier_contact() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    reply = await h.mod("escalate 1")
    assert reply.text == "Ticket #1 escalated to the customer success manager, posted in the console."
    assert len(h.notifier.sent) == 1 and "escalated by Mo" in h.notifier.sent[0].reply.text


async def test_non_moderators_are_refused_and_nothing_changes() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    [reply] = await h.say("resolve 1", command=True)
    assert reply.kind is ReplyKind.ERROR and "moderator" in reply.text
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.NEW
    assert [e.kind for e in await h.store.tickets.events(1)] == ["opened"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [("claim 99", "no ticket #99"), ("claim", "ticket number"), ("frobnicate", "unknown command")],
)
async def test_bad_commands_get_a_clear_message(command: str, expected: str) -> None:
    h = make_harness()
    reply = await h.mod(command)
    assert reply.kind is ReplyKind.ERROR and expected in reply.text


async def test_stats_count_tickets_responses_and_self_service() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    await h.say("my app exits with 137", thread="t2")
    await h.say("", thread="t2", choice="helpful")
    h.clock.advance(timedelta(minutes=90))
    await h.mod("reply 1 looking")
    text = (await h.mod("stats")).text
    assert text.startswith("Last 7 days:") and "1 ticket(s) opened, 0 resolved, 1 open now" in text
    assert "First response (median): 1h 30m over 1 ticket(s)" in text
    assert "SLA compliance: first response 100% (1 met, 0 missed)" in text
    assert "CSAT: no ratings yet" in text
    assert "Self-service deflection: 100% (1 of 1 answers)" in text


class BrokenTickets(InMemoryTickets):
    """Tickets whose disk fails when a ticket is opened."""

    async def open_ticket(self, draft: NewTicket, actor: str) -> Ticket:
        raise OSError("disk I/O error")


async def test_a_store_failure_gets_an_apology_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    state = MemoryState()
    h = make_harness(store=replace(memory_stores(state=state), tickets=BrokenTickets(state)))
    [reply] = await h.say("the app crashes at boot")
    assert reply.kind is ReplyKind.ERROR and "Sorry" in reply.text and "disk" not in reply.text
    assert await h.store.tickets.list_tickets() == []
    assert "disk I/O error" in caplog.text


async def test_a_customer_writing_after_resolution_reopens_the_ticket() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    await h.mod("resolve 1")
    [reply] = await h.say("it is crashing again")
    assert reply.text == "Ticket #1 is open again; your message was added."
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.OPEN and ticket.resolved_at is None
    assert len(await h.store.tickets.list_tickets(active_only=False)) == 1


async def test_thanks_and_hello_get_different_short_replies() -> None:
    h = make_harness()
    [hello] = await h.say("hello")
    [thanks] = await h.say("hello and thanks a lot", thread="t2")
    assert hello.text.startswith("Hi!") and thanks.text.startswith("You're welcome")


async def test_a_question_in_a_ticket_thread_is_answered_and_kept_on_the_ticket() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    added, answer = await h.say("also, what does 137 mean?")
    assert added.text == "Added to ticket #1."
    assert answer.kind is ReplyKind.ANSWER and answer.citation is not None and not answer.choices
    kept = await h.store.conversations.messages(1)
    assert kept[-1].role is Role.BOT and kept[-1].citation == answer.citation
    [only] = await h.say("what's the weather")
    assert only.text == "Added to ticket #1."


async def test_an_undeliverable_reply_is_kept_and_reported_and_resolving_still_works() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    h.notifier.fail = ConnectionError("discord unreachable")
    reply = await h.mod("reply 1 on it")
    assert reply.kind is ReplyKind.ERROR and "could not be delivered: discord unreachable" in reply.text
    assert "resolved" in (await h.mod("resolve 1")).text
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED and ticket.first_response_at is not None
    events = [(e.kind, e.detail) for e in await h.store.tickets.events(1)]
    assert events.count(("delivery_failed", "discord unreachable")) == 2


async def test_a_notice_place_is_said_in_words() -> None:
    assert place("console") == "the console"
    assert place("slack:C0TEAM") == "Slack channel C0TEAM"
    assert place("slack:T1/C0TEAM") == "Slack channel C0TEAM"
    assert place("discord:123") == "Discord channel 123"
