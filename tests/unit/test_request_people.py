"""One vote per person: identities linked into one person (core/customers) vote once, count once in the
numbers and are told once of a status change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.desk_fakes import START
from tests.unit.test_requests import file, harness, one


@pytest.mark.asyncio
async def test_a_second_linked_identity_is_told_it_already_voted_and_counts_once() -> None:
    h = harness()
    number = await file(h, "Dark mode for the dashboard", "ana", "t1")  # discord:ana asked, with her vote
    await h.store.links.link("discord:ana", "slack:ana", "discord:mo", START)
    again = one(await h.say(f"vote {number}", user="ana", thread="s1", command=True, platform="slack"))
    assert again.text.startswith(f"You already voted for #{number}") and "1 vote · 1 account" in again.text
    bob = one(await h.say(f"vote {number}", user="bob", thread="t2", command=True))
    assert "2 votes" in bob.text
    shown = one(await h.say(f"request show {number}", user="zed", thread="z", command=True))
    assert "2 votes · 2 accounts" in shown.text


@pytest.mark.asyncio
async def test_identities_linked_after_both_voted_count_as_one_person_in_votes_accounts_and_score() -> None:
    h = harness(tier_weights={"enterprise": 10.0})
    number = await file(h, "Dark mode for the dashboard", "ana", "t1")
    await h.say(f"vote {number}", user="ana", thread="s1", command=True, platform="slack")
    await h.say(f"vote {number}", user="bob", thread="t2", command=True)
    before = one(await h.say(f"request show {number}", user="zed", thread="z", command=True))
    assert "3 votes · 3 accounts · score 3" in before.text  # two identities, not yet known to be one person
    await h.store.links.link("discord:ana", "slack:ana", "discord:mo", START)
    after = one(await h.say(f"request show {number}", user="zed", thread="z", command=True))
    assert "2 votes · 2 accounts · score 2" in after.text
    said = await h.mod(f"request status {number} planned")
    assert "2 people will be told" in said.text
    sent = await h.wait(timedelta(seconds=1))
    told = sorted(f"{m.platform}:{m.id}" for o in sent for m in o.reply.mentions)
    assert told == ["discord:ana", "discord:bob"]  # ana once, where she first asked


@pytest.mark.asyncio
async def test_withdrawing_from_a_linked_identity_withdraws_the_persons_vote() -> None:
    h = harness()
    number = await file(h, "Dark mode for the dashboard", "bob", "t2")
    await h.say(f"vote {number}", user="ana", thread="t1", command=True)
    await h.store.links.link("discord:ana", "slack:ana", "discord:mo", START)
    withdrawn = one(await h.say(f"unvote {number}", user="ana", thread="s1", command=True, platform="slack"))
    assert withdrawn.text == f"Your vote for #{number} is withdrawn."
    shown = one(await h.say(f"request show {number}", user="zed", thread="z", command=True))
    assert "1 vote · 1 account" in shown.text
