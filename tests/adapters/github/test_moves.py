"""``/helpline assign``, ``/helpline note`` and ``/helpline tier`` in issue comments, from a triager."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.tickets.records import Role
from tests.adapters.github_world import REPO, World, comment, payload

pytestmark = pytest.mark.asyncio


async def _issue_with_a_triager(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["tri"] = "triage"


async def test_assign_gives_the_ticket_to_a_login_and_mentions_them_on_the_issue(world: World) -> None:
    await _issue_with_a_triager(world)
    await world.deliver("issue_comment", comment("/helpline assign @octocat", login="tri", comment_id=21))
    await world.drain()
    await world.drain()  # the notice the command queued
    ticket = await world.ticket()
    assert ticket is not None and ticket.assignee == "github:octocat"
    assert world.fake.reactions == [(21, "+1")]
    acknowledged, told = world.fake.issue(REPO, 1).comments
    assert "ticket #1 is open" in acknowledged  # every issue that opens a ticket is acknowledged first
    assert told.startswith("@octocat Ticket #1 (medium, Spelling error in the README file) is now assigned to octocat")
    events = [(e.kind, e.actor) for e in await world.store.tickets.events(ticket.number)]
    assert ("assigned", "github:tri") in events


async def test_note_keeps_an_internal_note_on_the_ticket(world: World) -> None:
    await _issue_with_a_triager(world)
    await world.deliver("issue_comment", comment("/helpline note Customer is on v2", login="tri", comment_id=22))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None
    notes = [m.text for m in await world.store.conversations.messages(ticket.number) if m.role is Role.NOTE]
    assert notes == ["Customer is on v2"]
    assert world.fake.reactions == [(22, "+1")] and len(world.fake.issue(REPO, 1).comments) == 1  # the ack only


async def test_tier_replans_the_ticket_and_answers_with_the_new_promise(world: World) -> None:
    await _issue_with_a_triager(world)
    await world.deliver("issue_comment", comment("/helpline tier gold", login="tri", comment_id=23))
    await world.deliver("issue_comment", comment("/helpline tier enterprise", login="tri", comment_id=24))
    await world.drain()
    _acknowledged, refused, moved = world.fake.issue(REPO, 1).comments
    assert 'There is no tier "gold"' in refused
    assert moved.startswith("Ticket #1 is now Enterprise (was Community); its SLA was planned again.")
    assert "Enterprise promises a first response within 8 hours at medium" in moved
    ticket = await world.ticket()
    assert ticket is not None and ticket.tier == "enterprise"
    assert ticket.first_response_due == ticket.created_at + timedelta(hours=8)
    assert "needs-triage" not in world.fake.issue(REPO, 1).labels
