"""Escalation to engineering through the GitHub fake: the issue opened with the package, engineering's comments
on the ticket as notes, and the closing that hands the ticket back and tells the customer once."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.routing_config import RoutingSettings
from core.messages import CONSOLE, Address, Author, IncomingMessage
from core.tickets.records import Role, TicketStatus
from tests.adapters.github_world import REPO, World, closed, comment, make_world, opened

pytestmark = pytest.mark.asyncio
OUTAGE = "the whole API is down since this morning, region eu-west, CLI 4.2.1"


async def _escalated(tmp_path: Path) -> tuple[World, int]:
    world = await make_world(tmp_path / "h.sqlite3", routing=RoutingSettings(engineering_repo=REPO))
    pat = IncomingMessage(Address(CONSOLE, "", "", "pat"), Author("pat", "Pat"), OUTAGE)
    await world.desk.handle(pat)
    await world.moderator("note 1 restarted the workers and rotated the keys, no change")
    said = await world.moderator("escalate 1 engineering")
    assert "goes to engineering" in said.text and REPO in said.text
    assert "being opened already" in (await world.moderator("escalate 1 engineering")).text
    await world.drain()
    [number] = [n for (repo, n) in world.fake.issues if repo == REPO and n > 100]
    return world, number


def _on(data: dict[str, object], number: int) -> dict[str, object]:
    issue = data["issue"]
    assert isinstance(issue, dict)
    issue["number"], issue["html_url"] = number, f"https://github.com/{REPO}/issues/{number}"
    return data


async def test_the_issue_carries_the_package_and_links_back(tmp_path: Path) -> None:
    world, number = await _escalated(tmp_path)
    try:
        issue = world.fake.issue(REPO, number)
        assert issue.labels == ["support-escalation"] and issue.title.startswith("[support #1] the whole API is down")
        for part in ("## Customer impact", "community tier", "restarted the workers and rotated the keys",
                     "> the whole API is down since this morning, region eu-west, CLI 4.2.1",
                     "Escalated from Helpline ticket #1."):  # fmt: skip
            assert part in issue.body
        link = await world.store.engineering.of_ticket(1)
        assert link is not None and link.url.endswith(f"/issues/{number}")
        said = await world.moderator("escalate 1 engineering")
        assert f"with engineering already: {link.url}" in said.text
    finally:
        await world.close()


async def test_comments_become_notes_and_the_closing_tells_the_customer_once(tmp_path: Path) -> None:
    world, number = await _escalated(tmp_path)
    try:
        bot_opened = _on(opened(), number)
        bot_opened["issue"]["user"]["login"] = "helpline-bot[bot]"  # type: ignore[index]
        await world.deliver("issues", bot_opened)
        await world.deliver("issue_comment", _on(comment("Found it: a bad deploy of the gateway.", "eng"), number))
        for _ in range(3):
            await world.drain()
        assert await world.store.tickets.latest_ticket_for(Address("github", "Codertocat", "Hello-World",
                                                                   str(number))) is None  # fmt: skip
        notes = [m.text for m in await world.store.conversations.messages(1) if m.role is Role.NOTE]
        assert any("Engineering (eng on" in n and "a bad deploy of the gateway" in n for n in notes)
        done = _on(closed(), number)
        done["issue"]["state_reason"] = "completed"  # type: ignore[index]
        await world.deliver("issues", done, delivery="close-a")
        await world.deliver("issues", done, delivery="close-b")  # a second closing tells nobody again
        for _ in range(3):
            await world.drain()
        ticket = await world.store.tickets.get(1)
        assert ticket is not None and ticket.status is TicketStatus.OPEN
        told = [o for o in world.console.sent if "our engineers have fixed" in o.reply.text]
        assert len(told) == 1 and told[0].address.thread == "pat"
    finally:
        await world.close()


async def test_without_a_repository_it_is_refused_with_the_setting_to_set(tmp_path: Path) -> None:
    world = await make_world(tmp_path / "h.sqlite3")
    try:
        await world.desk.handle(IncomingMessage(Address(CONSOLE, "", "", "pat"), Author("pat", "Pat"), OUTAGE))
        said = await world.moderator("escalate 1 engineering")
        assert "routing.engineering_repo" in said.text
    finally:
        await world.close()
