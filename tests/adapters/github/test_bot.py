"""The GitHub bot end to end: triage, comments, commands and the issue's life, on recorded deliveries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.tickets.records import Role, TicketStatus
from tests.adapters.github_world import REPO, World, closed, comment, opened, payload

pytestmark = pytest.mark.asyncio

ANSWERED = "App exits with code 137 right after deploy"


async def test_an_opened_issue_the_knowledge_base_answers_gets_labels_and_one_comment(world: World) -> None:
    response = await world.deliver("issues", opened(title=ANSWERED, body="Exit code 137, what does it mean?"))
    assert response.status_code == 202
    assert world.fake.calls == []  # nothing is called on GitHub before the answer
    assert await world.drain() == 2  # the delivery, then the actions it queued

    issue = world.fake.issue(REPO, 1)
    assert issue.labels == ["question", "P3-low", "needs-triage"]
    [posted] = issue.comments
    assert "known issue" in posted and "reply here" in posted
    assert "ran out of memory" in posted and "(https://docs.example.com/oom)" in posted
    ticket = await world.ticket()
    assert ticket is not None and f"Helpline ticket #{ticket.number} is open for this issue, at low priority" in posted
    assert "reply within 1 week" in posted and "Community support is best effort" in posted
    assert (ticket.status, ticket.tier, ticket.requester_id) == (TicketStatus.NEW, "community", "Codertocat")
    assert all(call.authorization == "token ghp_test" for call in world.fake.calls)

    assert await world.drain() == 0
    assert len(world.fake.issue(REPO, 1).comments) == 1  # once, and only once


async def test_an_opened_issue_it_cannot_answer_gets_its_ticket_and_the_tiers_promise(world: World) -> None:
    assert (await world.deliver("issues", payload("issues.opened"))).status_code == 202
    await world.drain()

    issue = world.fake.issue(REPO, 1)
    assert issue.labels == ["documentation", "P2-medium", "needs-triage"]  # "Spelling error in the README file"
    ticket = await world.ticket()
    assert ticket is not None and ticket.subject == "Spelling error in the README file"
    [posted] = issue.comments  # one acknowledgement, and no answer the docs do not have
    assert f"Helpline ticket #{ticket.number} is open for this issue, at medium priority." in posted
    assert "Community support is best effort: someone from the support team will reply within 72 hours" in posted
    assert "known issue" not in posted
    assert await world.drain() == 0
    assert len(world.fake.issue(REPO, 1).comments) == 1
    [kept] = await world.store.conversations.messages(ticket.number)
    assert (kept.role, kept.author_id) == (Role.CUSTOMER, "Codertocat") and "two 't's" in kept.text


async def test_a_crash_report_is_a_bug_with_high_priority(world: World) -> None:
    await world.deliver("issues", opened(title="CLI crashes on start", body="Stack trace below"))
    await world.drain()
    labels = world.fake.issue(REPO, 1).labels
    assert labels[:2] == ["bug", "P1-high"]


async def test_a_maintainer_comment_meets_the_first_response_target(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["maintainer-mo"] = "maintain"
    world.clock.advance(timedelta(hours=2))

    await world.deliver("issue_comment", comment("Thanks, fixing it now.", login="maintainer-mo"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.first_response_at == world.clock.now()
    assert ticket.first_response_due is not None and ticket.first_response_at <= ticket.first_response_due
    assert ticket.status is TicketStatus.WAITING
    roles = [m.role for m in await world.store.conversations.messages(ticket.number)]
    assert roles == [Role.CUSTOMER, Role.AGENT]
    assert len(world.fake.issue(REPO, 1).comments) == 1  # the acknowledgement only: the bot does not chatter
    assert world.fake.issue(REPO, 1).labels == ["documentation", "P2-medium"]  # no longer needs triage


async def test_the_authors_comment_is_a_customer_message_and_a_readers_does_not_answer(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    await world.deliver("issue_comment", comment("It also happens on the website.", comment_id=1))
    await world.deliver("issue_comment", comment("Same here!", login="passer-by", comment_id=2))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.first_response_at is None
    kept = await world.store.conversations.messages(ticket.number)
    assert [(m.author_id, m.role) for m in kept[1:]] == [("Codertocat", Role.CUSTOMER), ("passer-by", Role.CUSTOMER)]
    assert "needs-triage" in world.fake.issue(REPO, 1).labels


async def test_the_bots_own_comments_are_never_read_back(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    own = comment("Ticket #1 is resolved.", login="helpline-bot[bot]")
    await world.deliver("issue_comment", own)
    bot = comment("Bump", login="dependabot[bot]", comment_id=7)
    bot["comment"]["user"]["type"] = "Bot"
    await world.deliver("issue_comment", bot)
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and len(await world.store.conversations.messages(ticket.number)) == 1


async def test_helpline_claim_from_a_non_collaborator_does_nothing_and_gets_a_short_reply(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    before = await world.ticket()

    await world.deliver("issue_comment", comment("/helpline claim", login="stranger"))
    await world.drain()
    assert await world.ticket() == before
    assert before is not None and before.assignee is None
    [_, reply] = world.fake.issue(REPO, 1).comments  # after the acknowledgement
    assert "triage access" in reply and "nothing was changed" in reply


async def test_helpline_commands_from_a_triager_claim_and_reprioritise_with_a_reaction(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["tri"] = "triage"

    await world.deliver("issue_comment", comment("/helpline claim", login="tri", comment_id=11))
    await world.deliver(
        "issue_comment", comment("/helpline priority high\nIt blocks releases", login="tri", comment_id=12)
    )
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and (ticket.assignee, ticket.priority) == ("github:tri", "high")
    assert world.fake.reactions == [(11, "+1"), (12, "+1")]
    assert len(world.fake.issue(REPO, 1).comments) == 1  # the acknowledgement only
    assert "needs-triage" not in world.fake.issue(REPO, 1).labels  # removed once; the second removal is a 404
    permission_calls = [c for c in world.fake.calls if c.path.endswith("/collaborators/tri/permission")]
    assert len(permission_calls) == 1  # cached between the two commands


async def test_an_unknown_helpline_command_gets_the_usage(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["tri"] = "triage"
    await world.deliver("issue_comment", comment("/helpline stats", login="tri"))
    await world.drain()
    [_, reply] = world.fake.issue(REPO, 1).comments
    assert "/helpline claim" in reply and "/helpline resolve" in reply


async def test_closing_the_issue_resolves_the_ticket_and_reopening_reopens_it(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.clock.advance(timedelta(hours=1))
    before = len(world.fake.writes())

    await world.deliver("issues", closed())
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED and ticket.resolved_at == world.clock.now()
    # No resolution comment and no second close: only labels, and the satisfaction survey's one comment.
    comments = [w for w in world.fake.writes()[before:] if not w.path.endswith("/labels")]
    assert len(comments) == 1 and comments[0].path.endswith("/comments")
    assert any("How did we do with ticket #" in c for c in world.fake.issue(REPO, 1).comments)

    await world.deliver("issues", payload("issues.reopened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.OPEN and ticket.resolved_at is None
    kinds = [e.kind for e in await world.store.tickets.events(ticket.number)]
    assert kinds == ["opened", "resolved", "reopened"]


async def test_a_ticket_resolved_in_helpline_closes_the_issue_with_a_comment(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None

    reply = await world.moderator(f"resolve {ticket.number}")
    assert "resolved" in reply.text
    await world.drain()
    issue = world.fake.issue(REPO, 1)
    assert issue.state == "closed"
    assert [f"Ticket #{ticket.number} is resolved" in c for c in issue.comments] == [False, True, False]
    assert f"How did we do with ticket #{ticket.number}?" in issue.comments[2]  # the satisfaction survey, once


async def test_helpline_resolve_in_a_comment_closes_the_issue(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["maint"] = "maintain"
    await world.deliver("issue_comment", comment("/helpline resolve", login="maint"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED
    assert world.fake.issue(REPO, 1).state == "closed"


async def test_a_support_reply_from_another_platform_is_posted_without_pinging_anyone(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None

    await world.moderator(f"reply {ticket.number} Fixed in main, thanks @Codertocat and @octo-org/team")
    await world.drain()
    [_, posted] = world.fake.issue(REPO, 1).comments
    assert "Fixed in main" in posted
    assert "@Codertocat" not in posted and "@\u200bCodertocat" in posted and "@\u200bocto-org/team" in posted


async def test_a_stranger_repeating_commands_is_told_once(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    for number in range(3):
        await world.deliver("issue_comment", comment("/helpline resolve", login="stranger", comment_id=50 + number))
    await world.drain()
    assert len(world.fake.issue(REPO, 1).comments) == 2  # the acknowledgement, then the refusal once
    ticket = await world.ticket()
    assert ticket is not None and ticket.status.active


async def test_issues_opened_by_bots_and_comments_on_pull_requests_are_left_alone(world: World) -> None:
    by_bot = opened(title="Dependency dashboard")
    by_bot["issue"]["user"]["type"] = "Bot"
    await world.deliver("issues", by_bot)
    await world.drain()
    assert await world.ticket() is None and world.fake.calls == []

    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    on_pull = comment("/helpline resolve", login="maint")
    on_pull["issue"]["pull_request"] = {"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
    world.fake.roles["maint"] = "maintain"
    await world.deliver("issue_comment", on_pull)
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status.active
    assert not [c for c in world.fake.calls if "permission" in c.path]


async def test_a_comment_on_an_issue_without_a_ticket_opens_nothing(world: World) -> None:
    await world.deliver("issue_comment", comment("Any news on this?", login="passer-by"))
    await world.deliver("issue_comment", comment("/helpline claim", login="tri", comment_id=3))
    world.fake.roles["tri"] = "triage"
    await world.drain()
    assert await world.store.tickets.list_tickets(active_only=False) == []
    [reply] = world.fake.issue(REPO, 1).comments
    assert "no Helpline ticket" in reply


async def test_the_bots_comments_are_recognised_even_when_posted_with_a_maintainers_token(world: World) -> None:
    await world.deliver("issues", opened(title=ANSWERED))
    await world.drain()
    [posted] = world.fake.issue(REPO, 1).comments
    world.fake.roles["alice"] = "admin"  # the token belongs to alice, so GitHub says she wrote the comment
    await world.deliver("issue_comment", comment(posted, login="alice"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.first_response_at is None
    assert (
        len(await world.store.conversations.messages(ticket.number)) == 2
    )  # the issue and the bot's answer, nothing more


async def test_the_author_replying_on_a_resolved_issue_reopens_the_ticket_and_the_issue(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None
    await world.moderator(f"resolve {ticket.number}")
    await world.drain()
    assert world.fake.issue(REPO, 1).state == "closed"

    reply = comment("Still misspelled on the website", comment_id=77)
    reply["issue"]["state"] = "closed"
    await world.deliver("issue_comment", reply)
    await world.drain()
    reopened = await world.ticket()
    assert reopened is not None and reopened.number == ticket.number and reopened.status is TicketStatus.OPEN
    assert world.fake.issue(REPO, 1).state == "open"

    by_other = comment("me too", login="passer-by", comment_id=78)
    by_other["issue"]["state"] = "closed"
    await world.moderator(f"resolve {ticket.number}")
    await world.drain()
    await world.deliver("issue_comment", by_other)
    await world.drain()
    again = await world.ticket()
    assert again is not None and again.status is TicketStatus.RESOLVED  # only the author reopens
    assert world.fake.issue(REPO, 1).state == "closed"
