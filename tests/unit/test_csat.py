"""CSAT through the desk: asked once when a ticket is resolved, answered by its requester, changed for a while."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.command_records import Rate
from core.messages import (
    Action,
    Address,
    Author,
    ChoiceMessage,
    CommandMessage,
    CommandText,
    IncomingMessage,
    ReplyKind,
)
from core.satisfaction.policy import SatisfactionPolicy
from core.satisfaction.records import Survey, SurveyKind
from core.tickets.records import TicketStatus
from tests.desk_fakes import Harness, make_harness
from tests.fakes import memory_stores
from tests.satisfaction_fakes import InMemorySurveys
from tests.store_state import MemoryState

pytestmark = pytest.mark.asyncio


def surveys_sent(h: Harness) -> list[str]:
    return [o.reply.text for o in h.notifier.sent if o.reply.kind is ReplyKind.SURVEY]


async def resolved_ticket(h: Harness) -> None:
    await h.say("the whole API is down")
    await h.mod("claim 1")
    await h.mod("resolve 1")


async def test_resolving_asks_the_requester_once_in_the_thread_with_five_ratings() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    [question] = [o for o in h.notifier.sent if o.reply.kind is ReplyKind.SURVEY]
    assert question.reply.text.startswith("How did we do with ticket #1?")
    assert question.address.thread == "t1"
    assert [(c.label, c.action, c.score) for c in question.reply.choices] == [
        (str(n), Action.RATE, n) for n in range(1, 6)
    ]
    survey = await h.store.surveys.for_ticket(1)
    assert survey is not None and survey.person == "ana" and survey.agent == "discord:mo"
    assert survey.tier == "enterprise" and survey.platform == "discord"


async def test_picking_a_rating_keeps_it_and_invites_a_comment() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    [reply] = await h.say("", choice="rate:1:4")
    assert "Thanks for rating ticket #1: 4" in reply.text and "comment" in reply.text
    survey = await h.store.surveys.get(1)
    assert survey is not None and survey.score == 4 and survey.answered_at is not None
    assert "rated" in [e.kind for e in await h.store.tickets.events(1)]


async def test_only_the_requester_may_rate() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    [reply] = await h.say("", choice="rate:1:1", user="eve")
    assert reply.kind is ReplyKind.ERROR and "Only the person" in reply.text
    survey = await h.store.surveys.get(1)
    assert survey is not None and survey.score is None


async def test_a_rating_off_the_scale_is_refused_and_nothing_is_kept() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    [reply] = await h.say("", choice="rate:1:9")
    assert reply.kind is ReplyKind.ERROR and "1 to 5" in reply.text
    survey = await h.store.surveys.get(1)
    assert survey is not None and survey.score is None


async def test_a_rating_changes_within_the_window_and_is_refused_after_it() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    await h.say("", choice="rate:1:2")
    h.clock.advance(timedelta(days=6))
    [changed] = await h.say("", choice="rate:1:5")
    assert "now 5" in changed.text
    h.clock.advance(timedelta(days=2))
    [late] = await h.say("", choice="rate:1:1")
    assert late.kind is ReplyKind.ERROR and "7 day(s)" in late.text and "stays 5" in late.text
    survey = await h.store.surveys.get(1)
    assert survey is not None and survey.score == 5


async def test_reopened_and_resolved_again_within_the_window_is_not_asked_again() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    await h.mod("reopen 1")
    await h.mod("resolve 1")
    assert len(surveys_sent(h)) == 1


async def test_resolved_again_after_the_window_asks_again_only_if_unanswered() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    h.clock.advance(timedelta(days=8))
    await h.mod("reopen 1")
    await h.mod("resolve 1")
    assert len(surveys_sent(h)) == 2  # the same survey, asked again
    assert [s.id for s in await h.store.surveys.sent_between(h.clock.now() - timedelta(days=30), h.clock.now())] == [1]
    await h.say("", choice="rate:1:3")
    h.clock.advance(timedelta(days=8))
    await h.mod("reopen 1")
    await h.mod("resolve 1")
    assert len(surveys_sent(h)) == 2


async def test_a_ticket_closed_as_stale_is_never_surveyed() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down")
    await h.mod("reply 1 does it work now?")
    for _ in range(4):
        await h.wait(timedelta(days=2))
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.CLOSED
    assert surveys_sent(h) == [] and await h.store.surveys.for_ticket(1) is None


async def test_csat_can_be_turned_off_for_a_tier_or_a_channel() -> None:
    for policy in (
        SatisfactionPolicy(csat_off_tiers=frozenset({"enterprise"})),
        SatisfactionPolicy(csat_off_channels=frozenset({"discord:help"})),
        SatisfactionPolicy(csat=False),
    ):
        h = make_harness(tier="enterprise")
        h.desk.desk.satisfaction = policy
        await resolved_ticket(h)
        assert surveys_sent(h) == [], policy


async def test_rate_command_in_the_thread_keeps_score_and_comment() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    [reply] = await h.say("rate 5 quick and kind", command=True)
    assert "5" in reply.text and "comment" in reply.text
    survey = await h.store.surveys.get(1)
    assert survey is not None and (survey.score, survey.comment) == (5, "quick and kind")


async def test_rate_command_where_nothing_was_asked_says_so() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    [reply] = await h.say("rate 5", command=True, thread="elsewhere")
    assert reply.kind is ReplyKind.ERROR and "no survey" in reply.text


async def test_a_bad_rate_command_gets_its_usage_not_the_moderator_refusal() -> None:
    h = make_harness(tier="enterprise")
    [reply] = await h.say("rate great", command=True)
    assert reply.kind is ReplyKind.ERROR and "Usage: rate SCORE [comment]" in reply.text


CONSOLE = Address("console", "", "local", "c1")


async def say_on_console(h: Harness, text: str) -> list[str]:
    message = IncomingMessage(CONSOLE, Author("ana", "Ana"), text, f"c{text}")
    return [r.text for r in await h.desk.handle(message)]


def pick(score: int) -> ChoiceMessage:
    return ChoiceMessage(CONSOLE, Author("ana", "Ana"), Action.RATE, 1, f"p{score}", score=score)


async def test_on_the_console_the_next_remark_after_rating_is_the_comment_but_a_question_is_not() -> None:
    h = make_harness()
    await say_on_console(h, "the whole API is down")
    await h.mod("resolve 1")
    survey = await h.store.surveys.for_ticket(1)
    assert survey is not None and survey.address == CONSOLE
    [thanks] = await h.desk.handle(pick(2))
    assert "Reply with a comment, or ask anything else as usual" in thanks.text
    [question] = await say_on_console(h, "how do I rotate my API key?")
    assert "comment is kept" not in question
    [kept] = await say_on_console(h, "it took too long to get an answer")
    assert "comment is kept" in kept
    rated = await h.store.surveys.get(survey.id)
    assert rated is not None and rated.comment == "it took too long to get an answer"


async def test_a_remark_after_the_comment_window_is_handled_as_usual() -> None:
    h = make_harness()
    await say_on_console(h, "the whole API is down")
    await h.mod("resolve 1")
    await h.desk.handle(pick(4))
    h.clock.advance(timedelta(minutes=6))
    replies = await say_on_console(h, "it took too long to get an answer")
    assert all("comment is kept" not in text for text in replies)
    rated = await h.store.surveys.get(1)
    assert rated is not None and rated.comment == "" and rated.kind is SurveyKind.CSAT


async def test_closing_a_github_issue_asks_in_the_issue_and_the_reply_command_answers_it() -> None:
    h = make_harness()
    issue = Address("github", "acme", "cli", "7")
    await h.desk.triage_issue(IncomingMessage(issue, Author("ana", "ana"), "Weather widget", "issue:7"), "Weather")
    await h.desk.issue_closed(issue, "github:mo", "closed on GitHub")
    [question] = [o for o in h.notifier.sent if o.reply.kind is ReplyKind.SURVEY]
    assert question.address == issue and "ticket #1" in question.reply.text
    command = CommandText(issue, Author("ana", "ana"), "/rate 3 slow but solved", "c1")
    [reply] = await h.desk.handle(command)
    assert "3" in reply.text
    survey = await h.store.surveys.for_ticket(1)
    assert survey is not None and (survey.score, survey.comment, survey.agent) == (3, "slow but solved", None)


async def test_a_form_sends_the_comment_as_a_rate_command_naming_its_survey() -> None:
    h = make_harness(tier="enterprise")
    await resolved_ticket(h)
    await h.say("", choice="rate:1:4")
    address = Address("discord", "guild1", "help", "t1")
    [reply] = await h.desk.handle(CommandMessage(address, Author("ana", "Ana"), Rate(None, "great help", 1), "f1"))
    assert "comment is kept" in reply.text
    survey = await h.store.surveys.get(1)
    assert survey is not None and (survey.score, survey.comment) == (4, "great help")


class CountingSurveys(InMemorySurveys):
    """The surveys fake, counting the lookups of a person's latest survey."""

    lookups = 0

    async def latest_in(self, address: Address, person: str) -> Survey | None:
        self.lookups += 1
        return await super().latest_in(address, person)

    async def latest_for(self, kind: SurveyKind, platform: str, person: str) -> Survey | None:
        self.lookups += 1
        return await super().latest_for(kind, platform, person)


async def test_a_message_that_cannot_be_a_comment_costs_no_survey_lookup_and_a_remark_costs_one() -> None:
    state = MemoryState()
    counting = CountingSurveys(state)
    h = make_harness(store=replace(memory_stores(state=state), surveys=counting))
    await say_on_console(h, "the whole API is down")
    await h.mod("resolve 1")
    await h.desk.handle(pick(2))
    counting.lookups = 0
    await say_on_console(h, "how do I rotate my API key?")
    await say_on_console(h, "it is still failing")
    assert counting.lookups == 0
    [kept] = await say_on_console(h, "it took too long to get an answer")
    assert "comment is kept" in kept and counting.lookups == 1
