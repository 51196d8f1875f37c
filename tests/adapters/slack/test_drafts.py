"""On Slack: a ticket resolved after a substantial reply in its thread leaves a draft for the knowledge base."""

from __future__ import annotations

import pytest

from core.knowledge.articles import ArticleOrigin, ArticleState
from tests.adapters.slack_world import ACME, STAFF, World, outage, slash, thread_reply

pytestmark = pytest.mark.asyncio

ANSWER = (
    "Hi <@U0ACMEBOB>, the errors came from an expired TLS certificate on our load balancer. It was renewed at "
    "10:05 UTC and every request succeeds again.\nThanks for your patience!"
)


async def test_resolving_after_a_substantial_thread_reply_proposes_a_draft(world: World) -> None:
    thread = await outage(world)
    reply = thread_reply(STAFF, ANSWER, thread, "C0ACMESHARED", "Ev07STAFFREPLY")
    reply["team_id"] = ACME
    assert (await world.event(reply)).status_code == 200
    await world.command(slash(STAFF, "resolve 1", world))
    assert world.slack.responses()[-1]["text"] == "Ticket #1 resolved."
    [draft] = await world.store.articles.listed([ArticleState.IN_REVIEW])
    assert (draft.origin, draft.ticket) == (ArticleOrigin.TICKET, 1)
    assert draft.title == "Our whole API is down, every request fails"
    assert draft.body == (
        "The errors came from an expired TLS certificate on our load balancer. It was renewed at 10:05 UTC and "
        "every request succeeds again."
    )


async def test_resolving_after_a_one_line_fix_proposes_nothing(world: World) -> None:
    thread = await outage(world)
    fix = thread_reply(STAFF, "fixed, try now", thread, "C0ACMESHARED", "Ev07FIX")
    assert (await world.event(fix)).status_code == 200
    await world.command(slash(STAFF, "resolve 1", world))
    assert await world.store.articles.listed(list(ArticleState)) == []
