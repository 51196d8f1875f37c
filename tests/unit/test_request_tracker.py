"""Requests followed by GitHub issues at the desk: issue URLs read strictly, 👍 counted once per person (a
login linked to someone who voted in chat adds nothing), taken-back 👍 withdrawn, chat votes kept."""

from __future__ import annotations

import pytest

from core.messages import GITHUB, Address
from core.requests.tracker import issue_at
from tests.desk_fakes import START
from tests.unit.test_requests import file, harness, one

ISSUE = Address(GITHUB, "acme", "widgets", "7")
URL = "https://github.com/acme/widgets/issues/7"


def test_only_an_issue_url_names_an_issue() -> None:
    assert issue_at(URL) == ISSUE
    assert issue_at(f"  {URL}#issuecomment-12 ") == ISSUE
    assert issue_at("https://github.example.com/acme/widgets/issues/07") == ISSUE  # GitHub Enterprise too
    for wrong in (
        "https://github.com/acme/widgets/pull/7",
        "https://github.com/acme/issues/7",
        "create",
        "https://github.com/acme/../issues/7",
        "https://github.com/acme/widgets/issues/7/x",
        "",
    ):
        assert issue_at(wrong) is None, wrong  # fmt: skip


@pytest.mark.asyncio
async def test_a_thumbs_up_from_a_login_linked_to_a_chat_voter_counts_once_and_chat_votes_stay() -> None:
    h = harness()
    number = await file(h, "Dark mode for the dashboard", "ana", "t1")
    await h.say(f"vote {number}", user="bob", thread="t2", command=True)
    await h.store.links.link("discord:ana", "github:ana-gh", "discord:mo", START)
    linked = await h.mod(f"request github {number} {URL}")
    assert f"now follows {URL}" in linked.text
    synced = await h.desk.issue_reactions(ISSUE, ["ana-gh", "octo"])
    assert (synced.added, synced.withdrawn) == (1, 0)  # ana counts already; octo is new
    assert "3 votes" in one(await h.say(f"request show {number}", user="z", thread="z", command=True)).text
    again = await h.desk.issue_reactions(ISSUE, ["ana-gh", "octo"])
    assert (again.added, again.withdrawn) == (0, 0)  # reading the same reactions again changes nothing
    gone = await h.desk.issue_reactions(ISSUE, [])
    assert (gone.added, gone.withdrawn) == (0, 1)  # octo's 👍 went; ana's and bob's chat votes stay
    assert "2 votes" in one(await h.say(f"request show {number}", user="z", thread="z", command=True)).text
    assert await h.desk.issue_reactions(Address(GITHUB, "acme", "widgets", "8"), ["x"]) == type(gone)(0, 0)
