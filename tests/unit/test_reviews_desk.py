"""QA reviews at the desk: ``review`` shows leads the low-rated and breached tickets first with their conversation
and the rubric; ``review N …`` keeps the scores and tells the agent once; bad scores keep nothing;
``review scores`` shows each agent's averages; customers cannot review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.reviews_config import ReviewSettings
from config.settings import Settings
from core.analytics.metrics import ReportPolicy, build_report, report_dict
from core.analytics.records import ReportQuery
from core.messages import Destination, ReplyKind
from core.tiers import Customer
from tests.desk_fakes import START, Harness, make_harness
from tests.report_schema import schema_problems

pytestmark = pytest.mark.asyncio

ACME = Customer("acme", "Acme", "enterprise", ("discord:ana", "discord:bob", "discord:cy"))
FULL = "accuracy=4 tone=5 speed=3 resolution=4"


def harness(fraction: float = 0.0) -> Harness:
    settings = Settings(reviews=ReviewSettings(sample_fraction=fraction))
    return make_harness(settings=settings, customers=[ACME])


async def resolved(h: Harness, user: str, agent: str, *, late: bool = False, csat: int | None = None) -> int:
    """A ticket of ``user`` that ``agent`` claims, answers and resolves (after its first-response target if
    ``late``), rated ``csat``; its number."""
    [opened] = await h.say("the whole API is down", user=user, thread=f"t-{user}")
    assert opened.ticket is not None
    number = opened.ticket
    if late:
        h.clock.advance(timedelta(hours=3))  # enterprise critical: a first answer within 2h
    await h.mod(f"claim {number}", agent=agent)
    await h.mod(f"reply {number} Restarted the gateway, it is back", agent=agent)
    await h.mod(f"resolve {number}", agent=agent)
    if csat is not None:
        survey = await h.store.surveys.for_ticket(number)
        assert survey is not None
        await h.say("", user=user, thread=f"t-{user}", choice=f"rate:{survey.id}:{csat}")
    h.clock.advance(timedelta(minutes=5))
    return number


async def test_the_queue_starts_with_low_csat_then_breached_and_shows_conversation_and_rubric() -> None:
    h = harness()
    happy = await resolved(h, "ana", "bo", csat=5)
    late = await resolved(h, "bob", "bo", late=True, csat=4)
    unhappy = await resolved(h, "cy", "cyd", csat=1)
    shown = await h.mod("review", agent="lead")
    assert shown.kind is ReplyKind.INFO and shown.ticket == unhappy
    assert f"Review ticket #{unhappy} (low CSAT)" in shown.text and "CSAT 1" in shown.text
    assert "Handled by cyd on Discord" in shown.text
    assert "customer Cy: the whole API is down" in shown.text and "Restarted the gateway" in shown.text
    assert "accuracy, tone, speed and resolution, each 1-5" in shown.text
    assert f"review {unhappy} accuracy=_ tone=_ speed=_ resolution=_" in shown.text
    assert "1 more in the queue" in shown.text  # the breached one; the happy one is not drawn at 0%
    await h.mod(f"review {unhappy} {FULL} Check the status page first", agent="lead")
    following = await h.mod("review", agent="lead")
    assert following.ticket == late and "(SLA breached)" in following.text
    await h.mod(f"review {late} {FULL}", agent="lead")
    done = await h.mod("review", agent="lead")
    assert done.text.startswith("Nothing to review") and happy not in (done.ticket,)


async def test_a_saved_review_tells_the_agent_once_directly_and_joins_the_ticket_log() -> None:
    h = harness()
    number = await resolved(h, "cy", "cyd", csat=2)
    saved = await h.mod(f"review {number} {FULL} Check the status page first", agent="lead")
    assert saved.text == (
        f"Review of ticket #{number} saved: accuracy 4/5, tone 5/5, speed 3/5, resolution 4/5. The agent is told."
    )
    sent = [o for o in await h.wait(timedelta(seconds=1)) if "QA review" in o.reply.text]
    assert len(sent) == 1 and str(sent[0].address) == "discord:cyd"
    assert sent[0].reply.destination is Destination.DIRECT
    assert sent[0].reply.text == (
        f"QA review of your ticket #{number} by lead on Discord: accuracy 4/5, tone 5/5, speed 3/5, resolution 4/5."
        "\nNote: Check the status page first"
    )
    assert [m.id for m in sent[0].reply.mentions] == ["cyd"]
    assert await h.wait(timedelta(minutes=5)) == []
    [event] = [e for e in await h.store.tickets.events(number) if e.kind == "reviewed"]
    assert event.actor == "discord:lead" and event.detail.endswith("resolution 4/5; a note to the agent")
    again = await h.mod(f"review {number} {FULL}", agent="boss")
    assert again.kind is ReplyKind.ERROR and "reviewed already" in again.text
    shown = await h.mod(f"review {number}", agent="boss")
    assert "Reviewed already by lead on Discord on 2026-11-23: accuracy 4/5, tone 5/5" in shown.text


@pytest.mark.parametrize(
    ("scores", "problem"),
    [
        ("accuracy=4 tone=5 speed=3 empathy=4", "'empathy' is not a criterion of the rubric"),
        ("accuracy=4 tone=5 speed=3", "missing resolution"),
        ("accuracy=4 tone=9 speed=3 resolution=4", "tone=9 is off the scale; give tone a whole number from 1 to 5"),
    ],
)
async def test_bad_scores_are_refused_naming_the_problem_and_nothing_is_kept(scores: str, problem: str) -> None:
    h = harness()
    number = await resolved(h, "cy", "cyd", csat=1)
    refused = await h.mod(f"review {number} {scores} a note", agent="lead")
    assert refused.kind is ReplyKind.ERROR and problem in refused.text
    assert await h.store.reviews.of_ticket(number) is None
    assert [o for o in await h.wait(timedelta(seconds=1)) if "QA review" in o.reply.text] == []
    assert (await h.mod("review", agent="lead")).ticket == number  # still queued


async def test_only_resolved_tickets_are_reviewed_and_only_by_moderators() -> None:
    h = harness()
    [opened] = await h.say("the whole API is down", user="ana")
    early = await h.mod(f"review {opened.ticket} {FULL}", agent="lead")
    assert early.kind is ReplyKind.ERROR and "not resolved yet" in early.text
    missing = await h.mod(f"review 99 {FULL}", agent="lead")
    assert missing.kind is ReplyKind.ERROR and "no ticket #99" in missing.text
    typo = await h.mod("review soon", agent="lead")
    assert typo.kind is ReplyKind.ERROR and "Usage: review" in typo.text
    [customer] = await h.say("/review scores", user="bob", thread="x", command=True)
    assert customer.kind is ReplyKind.ERROR and "QA scores" not in customer.text


async def test_review_scores_shows_each_agents_count_and_averages_and_review_n_shows_any_resolved_ticket() -> None:
    h = harness(fraction=1.0)
    first, second = await resolved(h, "ana", "bo"), await resolved(h, "bob", "bo")
    third = await resolved(h, "cy", "cyd")
    shown = await h.mod(f"review {second}", agent="lead")
    assert f"Review ticket #{second} (random sample)" in shown.text
    await h.mod(f"review {first} accuracy=4 tone=5 speed=2 resolution=4", agent="lead")
    await h.mod(f"review {second} accuracy=3 tone=4 speed=4 resolution=5", agent="lead")
    await h.mod(f"review {third} accuracy=5 tone=5 speed=5 resolution=5 great", agent="lead")
    table = (await h.mod("review scores", agent="lead")).text
    assert "bo on Discord: 2 reviewed; accuracy 3.5, tone 4.5, speed 3.0, resolution 4.5; overall 3.88" in table
    assert "cyd on Discord: 1 reviewed; accuracy 5.0, tone 5.0, speed 5.0, resolution 5.0; overall 5.00" in table


async def test_the_report_joins_each_agents_quality_scores_made_in_its_period() -> None:
    h = harness(fraction=1.0)
    first, second = await resolved(h, "ana", "bo"), await resolved(h, "bob", "cyd")
    await h.mod(f"review {first} accuracy=4 tone=5 speed=2 resolution=4", agent="lead")
    h.clock.advance(timedelta(days=2))
    await h.mod(f"review {second} accuracy=2 tone=3 speed=4 resolution=5", agent="lead")
    now = h.clock.now() + timedelta(seconds=1)  # the period's end is not in it
    whole = report_dict(await build_report(h.store, h.tiers, ReportQuery(START, now), ReportPolicy(), now))
    assert schema_problems(whole) == []
    assert whole["quality"]["reviews"] == 2
    assert whole["quality"]["criteria"] == ["accuracy", "tone", "speed", "resolution"]
    assert [(a["agent"], a["reviews"], a["overall"]) for a in whole["quality"]["agents"]] == [
        ("discord:bo", 1, 3.75),
        ("discord:cyd", 1, 3.5),
    ]
    late = ReportQuery(now - timedelta(days=1), now)
    recent = report_dict(await build_report(h.store, h.tiers, late, ReportPolicy(), now))
    assert [a["agent"] for a in recent["quality"]["agents"]] == ["discord:cyd"]
    one = ReportQuery(START, now, agent="discord:bo")
    narrowed = report_dict(await build_report(h.store, h.tiers, one, ReportPolicy(), now))
    assert [a["agent"] for a in narrowed["quality"]["agents"]] == ["discord:bo"]
