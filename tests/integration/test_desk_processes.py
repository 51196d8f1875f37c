"""The whole desk in two processes (two engines) on one database: a delivery handled twice is answered once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.desk.pipeline import SupportDesk
from core.messages import Address, Author, IncomingMessage, ReplyKind
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from tests.desk_fakes import START, RecordingNotifier, fake_system

pytestmark = pytest.mark.asyncio

THREAD = Address("discord", "guild1", "help", "t1")


def desk_on(store: Stores) -> SupportDesk:
    """A desk as one process builds it, on its own connection pool."""
    system = fake_system(
        Settings(),
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=store,
        notifier=RecordingNotifier(),
        clock=ManualClock(START),
        moderators=Moderators(frozenset({"moderator"})),
    )
    return system.desk


@pytest_asyncio.fixture
async def stores(database_url: str) -> AsyncIterator[list[Stores]]:
    """Two stores on one migrated database, with an engine each."""
    engines = [create_engine_for(database_url) for _ in range(2)]
    try:
        await upgrade_schema(engines[0])
        yield [sql_stores(engine) for engine in engines]
    finally:
        for engine in engines:
            await engine.dispose()


async def test_the_same_message_reaching_two_processes_opens_one_ticket_with_one_reply(
    stores: list[Stores],
) -> None:
    desks = [desk_on(store) for store in stores]
    outage = IncomingMessage(THREAD, Author("ana", "Ana"), "the whole API is down for us", "m1")
    answers = await asyncio.gather(*(desk.handle(outage) for desk in desks))
    assert sorted(len(replies) for replies in answers) == [0, 1]
    [reply] = next(replies for replies in answers if replies)
    assert reply.kind is ReplyKind.TICKET and reply.ticket == 1
    assert [t.number for t in await stores[1].tickets.list_tickets()] == [1]

    # A follow-up redelivered to both joins the ticket once.
    follow_up = IncomingMessage(THREAD, Author("ana", "Ana"), "still down, all regions", "m2")
    answers = await asyncio.gather(*(desk.handle(follow_up) for desk in reversed(desks)))
    assert sorted(len(replies) for replies in answers) == [0, 1]
    texts = [m.text for m in await stores[0].conversations.messages(1) if m.author_id == "ana"]
    assert texts == ["the whole API is down for us", "still down, all regions"]
