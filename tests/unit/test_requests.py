"""Feature requests at the desk: asking with one confirmation, duplicates offered as votes, votes once per
person, merges that unmerge, status notices once to every voter, the roadmap and its weighted score."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from config.intents import load_intents
from config.requests_config import RequestSettings
from config.settings import DEFAULT_INTENTS_FILE, Settings
from core.messages import Action, Address, Reply, ReplyKind
from core.requests.commands import STATUSES as REQUEST_STATUSES
from core.requests.impact import Impact, RequestPolicy, impact
from core.requests.records import SETTABLE, Requester, RequestStatus, Vote
from core.tiers import Customer
from tests.desk_fakes import RULES, START, Harness, KeywordUnderstander, make_harness
from tests.fakes import HashingEmbedder

MOD = frozenset({"moderator"})


def harness(**settings: object) -> Harness:
    """A desk whose embedder is the bag-of-words fake; its threshold suits that fake, not the real model."""
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    understander = KeywordUnderstander(catalog, (*RULES, ("would love", "feature_request", 0.0)))
    chosen = Settings(requests=RequestSettings(**{"duplicate_score": 0.5, **settings}))
    customers = [Customer("acme", "Acme", "enterprise", ("discord:ent1", "discord:ent2"))]
    return make_harness(understander=understander, settings=chosen, embedder=HashingEmbedder(), customers=customers)


def one(replies: Sequence[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


def values(reply: Reply) -> list[str]:
    return [choice.value for choice in reply.choices]


async def ask(h: Harness, text: str, user: str, thread: str) -> Reply:
    return one(await h.say(f"feature {text}", user=user, thread=thread, command=True))


async def file(h: Harness, text: str, user: str = "ana", thread: str = "t1") -> int:
    """Ask for ``text`` and press "Record it"; the new request's number."""
    offer = await ask(h, text, user, thread)
    record = next(c for c in offer.choices if c.action is Action.FILE_REQUEST)
    done = one(await h.say("", user=user, thread=thread, choice=record.value))
    assert done.text.startswith("Recorded as feature request #"), done.text
    return int(done.text.split("#")[1].split()[0])


@pytest.mark.asyncio
async def test_a_request_is_recorded_after_one_confirmation_by_its_writer_only() -> None:
    h = harness()
    offer = await ask(h, "Dark mode for the dashboard", "ana", "t1")
    assert offer.text.startswith("Record this as a feature request?")
    assert values(offer) == ["file_request:1", "open_ticket"]  # and the way out when it misread the message
    assert await h.store.feature_requests.requests() == []  # nothing is filed before the confirmation
    other = one(await h.say("", user="bob", thread="t1", choice="file_request:1"))
    assert other.kind is ReplyKind.ERROR and "Only the person who asked" in other.text
    done = one(await h.say("", user="ana", thread="t1", choice="file_request:1"))
    assert "#1 'Dark mode for the dashboard', with your vote" in done.text
    again = one(await h.say("", user="ana", thread="t1", choice="file_request:1"))
    assert "already feature request #1" in again.text
    assert len(await h.store.feature_requests.requests()) == 1


@pytest.mark.asyncio
async def test_a_close_request_is_offered_as_a_vote_and_picking_it_counts_one_more_vote() -> None:
    h = harness()
    first = await file(h, "Dark mode for the dashboard")
    offer = await ask(h, "please add a dark mode to the dashboard", "bob", "t2")
    assert f"#{first} 'Dark mode for the dashboard'" in offer.text
    assert values(offer)[0] == f"vote:{first}" and offer.choices[0].label == "Vote for #1 'Dark mode for the dashboard'"
    voted = one(await h.say("", user="bob", thread="t2", choice=offer.choices[0].value))
    assert "Your vote for #1" in voted.text and "2 votes" in voted.text and values(voted) == ["unvote:1"]
    assert len(await h.store.feature_requests.requests()) == 1


@pytest.mark.asyncio
async def test_an_unrelated_or_finished_request_is_not_offered() -> None:
    h = harness()
    number = await file(h, "Dark mode for the dashboard")
    unrelated = await ask(h, "export invoices as CSV files", "bob", "t2")
    assert unrelated.text.startswith("Record this") and all(c.action is not Action.VOTE for c in unrelated.choices)
    await h.mod(f"request status {number} completed")
    same = await ask(h, "dark mode for the dashboard", "cy", "t3")
    assert same.text.startswith("Record this")  # done: nothing to vote for


@pytest.mark.asyncio
async def test_the_threshold_decides_what_counts_as_close() -> None:
    strict = harness(duplicate_score=0.99)
    await file(strict, "Dark mode for the dashboard")
    assert (await ask(strict, "please add a dark mode to the dashboard", "bob", "t2")).text.startswith("Record this")


@pytest.mark.asyncio
async def test_one_vote_per_person_withdrawable_and_a_merged_request_votes_for_its_target() -> None:
    h = harness()
    dark = await file(h, "Dark mode for the dashboard")
    night = await file(h, "Night theme for invoices pages", "bob", "t2")
    assert "is counted" in one(await h.say(f"vote {dark}", user="cy", thread="t3", command=True)).text
    again = one(await h.say(f"vote {dark}", user="cy", thread="t4", command=True))
    assert "already voted" in again.text and "2 votes" in again.text
    assert "withdrawn" in one(await h.say(f"unvote {dark}", user="cy", thread="t3", command=True)).text
    assert "no vote" in one(await h.say(f"unvote {dark}", user="cy", thread="t3", command=True)).text
    assert "merged into" in (await h.mod(f"request merge {night} into {dark}")).text
    moved = one(await h.say(f"vote {night}", user="dee", thread="t5", command=True))
    assert f"#{night} was merged into #{dark}" in moved.text and "3 votes" in moved.text
    third = await file(h, "Colour themes for every page of the dashboard", "eve", "t6")
    await h.mod(f"request merge {dark} {third}")  # night → dark → third
    chained = one(await h.say(f"vote {night}", user="fay", thread="t7", command=True))
    assert f"#{night} was merged into #{third}" in chained.text and "Your vote for #3" in chained.text
    missing = one(await h.say("vote 99", user="dee", thread="t5", command=True))
    assert missing.kind is ReplyKind.ERROR and "no feature request #99" in missing.text


@pytest.mark.asyncio
async def test_merge_carries_votes_and_unmerge_restores_them() -> None:
    h = harness()
    dark = await file(h, "Dark mode for the dashboard")
    night = await file(h, "Night theme for invoices pages", "bob", "t2")
    await h.say(f"vote {night}", user="cy", thread="t3", command=True)
    await h.say(f"vote {night}", user="ana", thread="t1", command=True)  # on both: counts once after the merge
    refused = one(await h.say(f"request merge {night} {dark}", user="cy", thread="t3", command=True))
    assert refused.kind is ReplyKind.ERROR
    merged = await h.mod(f"request merge {night} {dark}")
    assert "3 votes" in merged.text and "3 accounts" in merged.text
    assert "already merged" in (await h.mod(f"request merge {night} {dark}")).text
    shown = await h.mod(f"request show {dark}")
    assert f"Merged into it: #{night}" in shown.text
    restored = await h.mod(f"request unmerge {night}")
    assert f"#{night} is its own request again (open), with 3 votes" in restored.text
    assert "1 vote ·" in (await h.mod(f"request show {dark}")).text


@pytest.mark.asyncio
async def test_a_status_change_reaches_every_voter_and_the_requester_once() -> None:
    h = harness()
    number = await file(h, "Dark mode for the dashboard")  # ana in t1
    await h.say(f"vote {number}", user="bob", thread="t2", command=True)
    await h.say(f"vote {number}", user="cy", thread="t2", command=True)  # the same thread as bob
    refused = one(await h.say(f"request status {number} planned", user="bob", thread="t2", command=True))
    assert refused.kind is ReplyKind.ERROR and "moderator" in refused.text
    said = await h.mod(f"request status {number} planned Shipping in May")
    assert "now planned (was open); 3 people will be told" in said.text
    sent = await h.wait(timedelta(seconds=1))
    assert sorted(o.address.thread for o in sent) == ["t1", "t2"]  # one notice per thread
    mentioned = sorted(m.id for o in sent for m in o.reply.mentions)
    assert mentioned == ["ana", "bob", "cy"]  # each person once
    assert all("#1 'Dark mode for the dashboard' is planned (was open). Note from the team: Shipping in May"
               in o.reply.text for o in sent)  # fmt: skip
    assert await h.wait(timedelta(minutes=5)) == []  # sent once, not again
    assert "already planned" in (await h.mod(f"request status {number} planned")).text
    wrong = await h.mod(f"request status {number} shipped")
    assert wrong.kind is ReplyKind.ERROR and "open, planned, started, completed or declined" in wrong.text


@pytest.mark.asyncio
async def test_a_message_read_as_a_feature_request_offers_to_record_it() -> None:
    h = harness()
    offer = one(await h.say("I would love a dark mode for the dashboard", user="ana", thread="t1"))
    assert offer.text.startswith("Record this as a feature request?") and offer.intent == "feature_request"
    done = one(await h.say("", user="ana", thread="t1", choice=offer.choices[0].value))
    assert "'I would love a dark mode for the dashboard'" in done.text


@pytest.mark.asyncio
async def test_the_roadmap_ranks_by_tier_weighted_accounts_with_vote_buttons() -> None:
    h = harness(tier_weights={"enterprise": 10.0})
    popular = await file(h, "Dark mode for the dashboard")
    for person in ("bob", "cy", "dee"):
        await h.say(f"vote {popular}", user=person, thread=person, command=True)
    weighty = await file(h, "Single sign on with okta", "ent1", "e1")
    await h.say(f"vote {weighty}", user="ent2", thread="e2", command=True)  # the same account: counts once
    started = await file(h, "Export invoices as CSV files", "bob", "t2")
    await h.mod(f"request status {started} started")
    roadmap = one(await h.say("roadmap", user="zed", thread="z", command=True))
    text = roadmap.text
    assert text.index("Being built:") < text.index(f"#{started} ") < text.index("Most wanted:")
    assert text.index(f"#{weighty} Single") < text.index(f"#{popular} Dark")  # 10 beats 4
    assert f"#{weighty} Single sign on with okta — 2 votes · 1 account · score 10 · 2 in 30 days" in text
    assert values(roadmap) == [f"vote:{started}", f"vote:{weighty}", f"vote:{popular}"]


@pytest.mark.asyncio
async def test_impact_counts_accounts_once_at_their_heaviest_tier_and_trending_in_the_window() -> None:
    def vote(identity: str, account: str, tier: str, days_ago: int) -> Vote:
        voter = Requester(identity, identity, account, tier, Address("slack", "T1", "C1"))
        return Vote(1, voter, START - timedelta(days=days_ago))

    votes = [vote("a", "acme", "community", 40), vote("b", "acme", "enterprise", 1), vote("c", "", "pro", 2)]
    policy = RequestPolicy(weights={"enterprise": 5.0, "pro": 2.0})
    assert impact(votes, policy, START) == Impact(votes=3, accounts=2, score=7.0, trending=2)


def test_the_command_table_offers_the_statuses_a_moderator_may_set() -> None:
    assert REQUEST_STATUSES == SETTABLE and RequestStatus.DUPLICATE.value not in REQUEST_STATUSES
