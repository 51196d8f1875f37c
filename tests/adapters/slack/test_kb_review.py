"""``/helpline kb drafts`` and ``/helpline kb approve`` on Slack: the review queue, and only a publisher approves."""

from __future__ import annotations

import pytest

from core.desk.context import Moderators
from core.knowledge.articles import ArticleOrigin, ArticleState, NewArticle
from tests.adapters.slack_world import LEAD, STAFF, World, slash
from tests.desk_fakes import START

pytestmark = pytest.mark.asyncio


async def test_the_queue_lists_a_draft_and_a_publisher_approves_it(world: World) -> None:
    world.runner.bot.desk.desk.publishers = Moderators(frozenset(), frozenset({f"slack:{LEAD}"}))
    draft = NewArticle("Refunds", "Annual plans within 30 days.", ArticleOrigin.TICKET, "helpline", START, ticket=3)
    await world.store.articles.create(draft)
    await world.command(slash(STAFF, "kb drafts", world, trigger="1.drafts"))
    await world.command(slash(STAFF, "kb approve 1", world, trigger="2.staff"))
    await world.command(slash(LEAD, "kb approve 1", world, trigger="3.lead"))
    queue, sent, approved = world.slack.responses()
    assert queue["response_type"] == "ephemeral"
    assert "#1 [draft] Refunds (from a ticket, ticket #3)" in queue["text"]
    assert "in review" in sent["text"]  # a moderator without the publisher role sends it to review
    assert "Approved “Refunds” (article #1)" in approved["text"]
    article = await world.store.articles.get(1)
    assert article is not None and article.state is ArticleState.PUBLISHED
    assert [(e.action, e.actor) for e in await world.store.articles.history(1)][1:] == [
        ("submitted", f"slack:{STAFF}"),
        ("approved", f"slack:{LEAD}"),
    ]
