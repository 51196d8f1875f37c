"""``/kb drafts`` and ``/kb approve`` on Discord: the review queue, and only a publisher approves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from core.desk.context import Moderators
from core.knowledge.articles import ArticleState
from tests.adapters.discord_fake import MO, MODERATOR_ROLE
from tests.adapters.discord_world import World, make_world

pytestmark = pytest.mark.asyncio

LEE = 900000000000000402  # a moderator without the publisher role


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    w.desk.desk.publishers = Moderators(frozenset(), frozenset({f"discord:{MO}"}))
    yield w
    await w.discord.close()


async def test_the_queue_lists_an_article_in_review_and_a_publisher_approves_it(world: World) -> None:
    await world.discord.slash(
        "kb", "add", {"title": "Rotate secrets", "body": "Press rotate."}, user=LEE, roles=(MODERATOR_ROLE,)
    )
    await world.discord.slash("kb", "drafts", {}, roles=(MODERATOR_ROLE,))
    await world.discord.slash("kb", "approve", {"number": 1}, user=LEE, roles=(MODERATOR_ROLE,))
    await world.discord.slash("kb", "approve", {"number": 1}, roles=(MODERATOR_ROLE,))
    added, queue, refused, approved = world.discord.api.followups()
    assert "in review" in added["content"] and added["flags"] == 64
    # Shown as typed: the brackets are escaped, so no "[label](url)" in a title can become a live link.
    assert "#1 \\[in review\\] Rotate secrets (written in chat)" in queue["content"]
    assert "Only a publisher can approve article 1" in refused["content"]
    assert "Approved “Rotate secrets” (article #1)" in approved["content"]
    article = await world.store.articles.get(1)
    assert article is not None and article.state is ArticleState.PUBLISHED
