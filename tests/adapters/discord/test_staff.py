"""The Discord bot's staff side against a fake Discord: slash commands, escalations and what staff see."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio

from tests.adapters.discord_fake import ANA, BOT, ENTERPRISE_ROLE, GUILD, MO, MODERATOR_ROLE, ON_CALL_ROLE, STAFF
from tests.adapters.discord_world import NO_PINGS, World, buttons, make_world
from tests.desk_fakes import START

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_moderator_claims_by_slash_command_and_a_member_is_refused(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "claim", {"number": 1}, user=ANA, roles=())
    await world.discord.slash("ticket", "claim", {"number": 1}, roles=(MODERATOR_ROLE,))
    refusal, claimed = world.discord.api.followups()
    assert "Only moderators" in refusal["content"]
    assert "claimed ticket" in claimed["content"]
    assert all(d["data"]["flags"] == 64 for d in world.discord.api.deferrals())  # both answered ephemerally
    assert all(f["flags"] == 64 for f in world.discord.api.followups())
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"discord:{MO}"


async def test_an_escalation_posts_once_and_pings_only_the_on_call_role(world: World) -> None:
    question = await world.discord.message("@everyone our production site is down", roles=(ENTERPRISE_ROLE,))
    world.clock.advance(timedelta(hours=2, minutes=1))
    await world.worker.run_once()
    await world.worker.run_once()  # a second pass must not post again
    # The staff channel also gets the SLA warning (at 75%) and the critical status reminders now.
    [notice] = [m for m in world.discord.api.sent(STAFF) if "Escalation" in m["content"]]
    assert notice["content"].startswith(f"<@&{ON_CALL_ROLE}> Escalation (level 1, L1 first contact): ticket #1")
    assert notice["allowed_mentions"] == {"parse": [], "roles": [ON_CALL_ROLE]}
    assert f"https://discord.com/channels/{GUILD}/{question}" in notice["content"]
    assert "@everyone" not in notice["content"].replace("@\u200beveryone", "")  # quoted, never live
    # Changed with the SLA engine: escalations also carry an Acknowledge button, which stops the chain.
    assert buttons(notice) == [("Claim #1", "helpline:claim:1"), ("Acknowledge #1", "helpline:ack:1")]
    await world.discord.press("helpline:claim:1", channel=STAFF, user=MO, roles=(MODERATOR_ROLE,))
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"discord:{MO}"


async def test_user_text_with_mass_mentions_pings_nobody(world: World) -> None:
    await world.discord.message("@everyone @here <@&900000000000000202> my app crashes on start")
    await world.discord.slash("ticket", "show", {"number": 1}, roles=(MODERATOR_ROLE,))
    [shown] = world.discord.api.followups()
    assert "everyone" in shown["content"]
    assert "@everyone" not in shown["content"] and "@here" not in shown["content"]
    assert "<@&900000000000000202>" not in shown["content"]
    everything = world.discord.api.sent() + world.discord.api.followups()
    assert everything and all(body["allowed_mentions"] == NO_PINGS for body in everything)


async def test_slash_commands_are_published(world: World) -> None:
    [sync] = [c for c in world.discord.api.calls if c.method == "PUT"]
    assert sync.path == f"/applications/{BOT}/guilds/{GUILD}/commands"
    names = {c["name"]: [o["name"] for o in c.get("options", [])] for c in sync.body}
    assert names["ticket"] == [
        *("list", "show", "claim", "assign", "reply", "note", "priority", "tier", "intent", "escalate", "ack"),
        *("sla", "resolve", "reopen"),
    ]
    assert names["kb"] == ["search", "add", "drafts", "show", "edit", "approve", "reject", "archive"]
    assert "stats" in names
    kb = next(c for c in sync.body if c["name"] == "kb")
    edit = next(o for o in kb["options"] if o["name"] == "edit")
    # Discord lists required options first: the number and the text, then the optional new title.
    assert [(o["name"], o.get("required", False)) for o in edit["options"]] == [
        ("number", True),
        ("body", True),
        ("title", False),
    ]
    ticket = next(c for c in sync.body if c["name"] == "ticket")
    claim = next(o for o in ticket["options"] if o["name"] == "claim")
    assert claim["options"] == [
        {
            "type": 4,
            "name": "number",
            "description": "The ticket number, e.g. 12",
            "required": True,
            "min_value": 1,
            "max_value": 2**31 - 1,
        }
    ]
    assign = next(o for o in ticket["options"] if o["name"] == "assign")
    assert [(o["name"], o["type"]) for o in assign["options"]] == [("number", 4), ("person", 6)]  # 6: a member
    everyone = {"rate", "link", "feature", "vote", "unvote", "roadmap", "call", "status"}  # every member's commands
    staff = [c for c in sync.body if c["name"] not in everyone]
    assert all(c["default_member_permissions"] == 1 << 13 for c in staff)  # Manage Messages
    [rate] = [c for c in sync.body if c["name"] == "rate"]
    assert rate["default_member_permissions"] is None and [o["name"] for o in rate["options"]] == ["score", "comment"]
    assert all(c["default_member_permissions"] is None for c in sync.body if c["name"] in everyone)
    [link] = [c for c in sync.body if c["name"] == "link"]
    assert [o["name"] for o in link["options"]] == ["code"]
    assert [o["name"] for o in next(c for c in sync.body if c["name"] == "customer")["options"]] == ["link", "unlink"]
    assert names["request"] == ["status", "merge", "unmerge", "github"] and names["vote"] == ["number"]
    [call] = [c for c in sync.body if c["name"] == "call"]  # /call alone, or about a ticket
    assert [(o["name"], o.get("required", False)) for o in call["options"]] == [("ticket", False)]


async def test_a_staff_reply_by_slash_command_reaches_the_customers_thread(world: World) -> None:
    question = await world.discord.message("the site is down")
    await world.discord.slash(
        "ticket", "reply", {"number": 1, "text": "Fixed, *please* retry"}, roles=(MODERATOR_ROLE,)
    )
    posted = world.discord.api.sent(question)[-1]
    assert posted["content"] == "Mo (support) on ticket #1: Fixed, \\*please\\* retry"
    [confirmation] = world.discord.api.followups()
    assert "Sent to the customer on ticket #1" in confirmation["content"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.first_response_at == START


async def test_a_long_slash_command_answer_stays_private_in_every_piece(world: World) -> None:
    for n in range(3):
        await world.discord.message(f"the site is down {n} " + "details " * 30)
    for n in range(12):
        await world.discord.slash(
            "ticket", "note", {"number": 1, "text": f"note {n} " + "z" * 180}, roles=(MODERATOR_ROLE,)
        )
    before = len(world.discord.api.followups())
    await world.discord.slash("ticket", "show", {"number": 1}, roles=(MODERATOR_ROLE,))
    pieces = world.discord.api.followups()[before:]
    assert len(pieces) > 1 and all(len(p["content"]) <= 2000 for p in pieces)
    assert all(p["flags"] == 64 for p in pieces)


async def test_the_ack_and_sla_slash_commands_run_the_cores_commands(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "sla", {"number": 1}, roles=(MODERATOR_ROLE,))
    await world.discord.slash("ticket", "ack", {"number": 1}, roles=(MODERATOR_ROLE,))
    await world.discord.slash("ticket", "ack", {"number": 1}, user=ANA, roles=())
    explained, acknowledged, refused = world.discord.api.followups()
    assert explained["content"].startswith("Ticket #1:") and "Calendar:" in explained["content"]
    assert "escalation acknowledged" in acknowledged["content"]
    assert "Only moderators" in refused["content"]
    events = [event.kind for event in await world.store.tickets.events(1)]
    assert events.count("acknowledged") == 1
