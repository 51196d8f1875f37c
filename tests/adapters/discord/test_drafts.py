"""On Discord: a ticket resolved after a substantial ``/ticket reply`` leaves a draft for the knowledge base."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from core.knowledge.articles import ArticleOrigin, ArticleState
from tests.adapters.discord_fake import MODERATOR_ROLE
from tests.adapters.discord_world import World, make_world

pytestmark = pytest.mark.asyncio

ANSWER = (
    "Hello! The site was down because a database failover took 4 minutes; it is back since 09:12 UTC and "
    "nothing was lost. Have a great day!"
)


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_resolving_after_a_substantial_reply_proposes_a_draft(world: World) -> None:
    await world.discord.message("hi all, the site is down?? thanks")
    await world.discord.slash("ticket", "reply", {"number": 1, "text": ANSWER}, roles=(MODERATOR_ROLE,))
    await world.discord.slash("ticket", "resolve", {"number": 1}, roles=(MODERATOR_ROLE,))
    assert world.discord.api.followups()[-1]["content"] == "Ticket #1 resolved."
    [draft] = await world.store.articles.listed([ArticleState.IN_REVIEW])
    assert (draft.origin, draft.ticket, draft.title) == (ArticleOrigin.TICKET, 1, "The site is down")
    assert draft.body == (
        "The site was down because a database failover took 4 minutes; it is back since 09:12 UTC and nothing was lost."
    )


async def test_resolving_after_a_short_reply_proposes_nothing(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "reply", {"number": 1, "text": "back up now"}, roles=(MODERATOR_ROLE,))
    await world.discord.slash("ticket", "resolve", {"number": 1}, roles=(MODERATOR_ROLE,))
    assert await world.store.articles.listed(list(ArticleState)) == []
