"""Routing's run-time state on real databases: away and back, the last automatic assignment, and a routed day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from core.store.agents import SqlAgentPresence
from core.store.sql_store import sql_stores
from tests.desk_fakes import make_harness

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.asyncio
async def test_away_and_back_change_once_and_are_seen_by_every_process(engine: AsyncEngine) -> None:
    one, other = SqlAgentPresence(engine), SqlAgentPresence(engine)
    assert not await one.set_away("slack:U1", False, AT)  # never away: coming back changes nothing
    assert await one.set_away("slack:U1", True, AT)
    assert not await other.set_away("slack:U1", True, AT)
    assert await other.away() == frozenset({"slack:U1"})
    assert await other.set_away("slack:U1", False, AT + timedelta(hours=1))
    assert await one.away() == frozenset()


@pytest.mark.asyncio
async def test_the_last_assignment_is_kept_per_agent(engine: AsyncEngine) -> None:
    presence = SqlAgentPresence(engine)
    await presence.assigned("slack:U1", AT)
    await presence.set_away("slack:U2", True, AT)
    await presence.assigned("slack:U2", AT + timedelta(minutes=5))
    await presence.assigned("slack:U1", AT + timedelta(minutes=9))
    assert await presence.last_assigned() == {
        "slack:U1": AT + timedelta(minutes=9),
        "slack:U2": AT + timedelta(minutes=5),
    }
    assert await presence.away() == frozenset({"slack:U2"})


@pytest.mark.asyncio
async def test_a_routed_ticket_is_assigned_in_the_sql_store(engine: AsyncEngine) -> None:
    agent = {"id": "discord:dana", "name": "dana", "skills": ["billing"]}
    h = make_harness(tier="enterprise", store=sql_stores(engine),
                     settings=Settings(routing={"auto_assign": ["enterprise"], "agents": [agent]}))  # fmt: skip
    await h.say("I was charged twice, please refund my invoice now")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == "discord:dana"
    assert "discord:dana" in await h.store.agents.last_assigned()


@pytest.mark.asyncio
async def test_a_leads_changes_are_kept_and_read_back(engine: AsyncEngine) -> None:
    presence = SqlAgentPresence(engine)
    await presence.change("slack:U1", capacity=3)
    await presence.set_away("slack:U1", True, AT)
    await presence.change("slack:U1", skills=("billing", "bug"))
    await presence.change("slack:U2", skills=())
    assert await presence.changes() == {"slack:U1": (3, ("billing", "bug")), "slack:U2": (None, ())}
    assert await presence.away() == frozenset({"slack:U1"})
