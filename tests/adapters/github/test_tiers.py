"""Priority GitHub issue handling: an org, a repository or named accounts in a higher tier, and escalations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.messages import ReplyKind
from core.tiers import TierDirectory
from tests.adapters.github_world import REPO, World, comment, make_world, payload

pytestmark = pytest.mark.asyncio


def tiers_with(tmp_path: Path, extra: str) -> TierDirectory:
    """The shipped tiers with ``rules:``/``customers:`` replaced by ``extra`` (YAML, as an operator writes it)."""
    shipped = DEFAULT_TIERS_FILE.read_text("utf-8").split("\nrules: []")[0]
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "tiers.yaml"
    path.write_text(shipped + "\n" + extra, "utf-8")
    return load_tiers(path)


async def _opened_ticket_tier(tmp_path: Path, extra: str) -> tuple[str, list[str]]:
    world = await make_world(tmp_path / "db.sqlite3", tiers=tiers_with(tmp_path, extra))
    try:
        await world.deliver("issues", payload("issues.opened"))
        await world.drain()
        ticket = await world.ticket()
        assert ticket is not None
        return ticket.tier, world.fake.issue(REPO, 1).labels
    finally:
        await world.close()


async def test_issues_are_community_tier_by_default(tmp_path: Path) -> None:
    assert await _opened_ticket_tier(tmp_path, "rules: []\n") == (
        "community",
        ["documentation", "P2-medium", "needs-triage"],
    )


async def test_an_org_rule_puts_its_issues_in_a_higher_tier_with_raised_priority(tmp_path: Path) -> None:
    rules = "rules:\n  - {platform: github, workspace: Codertocat, tier: professional}\n"
    tier, labels = await _opened_ticket_tier(tmp_path, rules)
    assert (tier, labels[1]) == ("professional", "P1-high")  # the tier's priority boost


async def test_a_repository_rule_matches_only_that_repository(tmp_path: Path) -> None:
    other = "rules:\n  - {platform: github, workspace: Codertocat, channel: Other-Repo, tier: enterprise}\n"
    assert (await _opened_ticket_tier(tmp_path / "a", other))[0] == "community"
    this = "rules:\n  - {platform: github, workspace: Codertocat, channel: Hello-World, tier: enterprise}\n"
    assert (await _opened_ticket_tier(tmp_path / "b", this))[0] == "enterprise"


async def test_a_customer_account_puts_its_issues_in_the_customers_tier(tmp_path: Path) -> None:
    customers = (
        "rules: []\ncustomers:\n"
        "  - {id: coder-corp, name: Coder Corp, tier: white-glove, identities: ['github:Codertocat']}\n"
    )
    assert (await _opened_ticket_tier(tmp_path, customers))[0] == "white-glove"


async def _escalation_world(tmp_path: Path) -> World:
    rules = "rules:\n  - {platform: github, workspace: Codertocat, tier: professional}\n"
    world = await make_world(tmp_path / "db.sqlite3", tiers=tiers_with(tmp_path, rules))
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    return world


async def test_a_missed_first_response_escalates_to_staff_and_labels_the_issue(tmp_path: Path) -> None:
    world = await _escalation_world(tmp_path)
    try:
        ticket = await world.ticket()
        assert ticket is not None and ticket.first_response_due == world.clock.now() + timedelta(hours=8)
        world.clock.advance(timedelta(hours=8, minutes=1))
        escalations = await world.worker.run_once()
        assert len(escalations) == 1
        # Professional escalates to the console target in the shipped tiers (its 75 % warning went there too).
        [notice] = [sent for sent in world.console.sent if sent.reply.kind is ReplyKind.ESCALATION]
        assert notice.reply.kind is ReplyKind.ESCALATION and notice.reply.origin == ticket.address
        await world.drain()
        assert world.fake.issue(REPO, 1).labels[-1] == "escalated"
    finally:
        await world.close()


async def test_helpline_escalate_in_a_comment_escalates_and_labels_the_issue(tmp_path: Path) -> None:
    world = await _escalation_world(tmp_path)
    try:
        world.fake.roles["maint"] = "maintain"
        await world.deliver("issue_comment", comment("/helpline escalate", login="maint"))
        await world.drain()  # the command runs and queues the escalated label
        await world.drain()
        assert [o.reply.kind for o in world.console.sent] == [ReplyKind.ESCALATION]
        assert "escalated by maint" in world.console.sent[0].reply.text
        assert "escalated" in world.fake.issue(REPO, 1).labels
        await world.deliver("issue_comment", comment("/helpline escalate", login="maint"), delivery="again")
        await world.drain()
        assert len(world.console.sent) == 1  # the same comment delivered again escalates nothing more
    finally:
        await world.close()
