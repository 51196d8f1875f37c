"""The Requests pages: the list with its numbers, search and order; a request's voters, history and merges; and
the staff actions, which are the chat's ``request status|merge|unmerge`` run through the desk as the viewer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bots.web.deps import Viewer
from core.requests.records import NewRequest, Requester, RequestStatus
from core.staff.records import Identity, StaffRole
from tests.desk_fakes import START, Harness, make_harness, place
from tests.web.page_html import Parsed, injected, parse
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio

HOSTILE_TITLE = '<script>alert("req")</script> Dark <b>mode</b>'
HOSTILE_NAME = '<img src=x onerror="alert(1)"> Ana'


async def filed(h: Harness, title: str, user: str, thread: str, *, name: str = "", account: str = "") -> int:
    """A request written by ``user`` in ``thread`` and filed with their vote; its number."""
    who = Requester(f"discord:{user}", name or user.title(), account, "community", place("discord", thread))
    draft = await h.store.feature_requests.draft(NewRequest(title, f"{title}, please.", who, START))
    done = await h.store.feature_requests.file_draft(draft.id, who.identity)
    assert done is not None
    return done[0].number


async def world() -> Harness:
    """#1 dark mode (Ana in t1, voted by Bob in t2 and Cy in t2), #2 CSV export (Dee), #3 night theme (Eve)."""
    h = make_harness()
    dark = await filed(h, HOSTILE_TITLE, "ana", "t1", name=HOSTILE_NAME, account="acme")
    await filed(h, "Export invoices as CSV", "dee", "t4")
    await filed(h, "Night theme", "eve", "t5")
    for user in ("bob", "cy"):
        await h.say(f"vote {dark}", user=user, thread="t2", command=True)  # voting as in chat
    return h


def get(h: Harness, path: str, who: Viewer | None = None) -> Parsed:
    response = dashboard_client(h, who or viewer()).get(path)
    assert response.status_code == 200, response.text
    return parse(response.text)


def act(h: Harness, who: Viewer, number: int, action: str, **fields: str) -> Parsed:
    """POST an action of request ``number`` as ``who``, follow the 303 back, and parse the page."""
    client = dashboard_client(h, who)
    response = client.post(f"/dashboard/requests/{number}/{action}", data={"csrf_token": CSRF, **fields})
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/dashboard/requests/{number}?")
    return parse(client.get(response.headers["location"]).text)


async def test_the_list_shows_each_requests_numbers_best_score_first_and_searches() -> None:
    h = await world()
    page = get(h, "/dashboard/requests")
    assert page.find("a", href="/dashboard/requests/1") and page.find("a", href="/dashboard/requests")
    assert f"#1 {HOSTILE_TITLE} open 3 3 3.0 3" in page.text
    assert page.text.index("#1 ") < page.text.index("#2 ")
    assert "open (3)" in page.text and "planned (0)" in page.text
    found = get(h, "/dashboard/requests?q=csv+INVOICES")
    assert "Export invoices as CSV" in found.text and "Night theme" not in found.text
    newest = get(h, "/dashboard/requests?sort=newest")
    assert newest.text.index("#3 ") < newest.text.index("#2 ") < newest.text.index("#1 ")
    nothing = get(h, "/dashboard/requests?q=kittens")
    assert "No request matches “kittens”." in nothing.text


async def test_a_filter_that_is_not_understood_says_so_and_no_requests_says_how_they_come() -> None:
    h = await world()
    page = get(h, "/dashboard/requests?status=shipped&sort=loud")
    assert "No status is named 'shipped'" in page.text and "cannot be sorted by 'loud'" in page.text
    assert "Night theme" in page.text
    empty = get(make_harness(), "/dashboard/requests")
    assert "No feature requests yet. Customers ask with feature TEXT in chat" in empty.text


async def test_the_request_page_shows_its_description_voters_with_accounts_and_empty_history() -> None:
    h = await world()
    page = get(h, "/dashboard/requests/1")
    assert "3 votes · 3 accounts · score 3.0 · 3 trending" in page.text
    assert f"{HOSTILE_TITLE}, please." in page.text and "Voters (3)" in page.text
    assert f"{HOSTILE_NAME} discord:ana acme community" in page.text and "Bob discord:bob — community" in page.text
    assert "No status changes yet" in page.text and "No other request is merged into this one." in page.text


async def test_a_status_change_from_the_dashboard_reaches_every_voter_once_as_the_command_does() -> None:
    h = await world()
    page = act(h, viewer(), 1, "status", status="planned", note="Shipping in <May>")
    assert "Feature request #1 is now planned (was open); 3 people will be told." in page.text
    assert "open → planned by discord:mod: Shipping in <May>" in page.text  # who did it, as in chat
    sent = await h.wait(timedelta(seconds=1))
    assert sorted(o.address.thread for o in sent) == ["t1", "t2"]  # one notice per thread
    assert sorted(m.id for o in sent for m in o.reply.mentions) == ["ana", "bob", "cy"]
    assert all("is planned (was open). Note from the team: Shipping in <May>" in o.reply.text for o in sent)
    assert await h.wait(timedelta(minutes=5)) == []  # once
    again = act(h, viewer(), 1, "status", status="planned")
    assert "already planned" in again.text
    assert await h.wait(timedelta(minutes=5)) == []
    assert len(await h.store.feature_requests.history(1)) == 1


async def test_someone_without_the_moderator_role_is_refused_by_the_desk_and_nothing_changes() -> None:
    h = await world()
    plain = Identity("discord", "pat", "Pat", frozenset())
    pat = Viewer("discord:pat", StaffRole.LEAD, plain, session="p" * 64, csrf_token=CSRF)
    page = act(h, pat, 1, "status", status="completed")
    assert "Only moderators can run that command." in page.text
    merged = act(h, pat, 3, "merge", into="1")
    assert "Only moderators can run that command." in merged.text
    request = await h.store.feature_requests.get(1)
    assert request is not None and request.status is RequestStatus.OPEN
    assert (await h.store.feature_requests.get(3)).duplicate_of is None  # type: ignore[union-attr]
    assert await h.wait(timedelta(minutes=1)) == []


async def test_a_post_without_its_csrf_token_or_session_is_refused_before_anything_happens() -> None:
    h = await world()
    forged = dashboard_client(h, viewer()).post("/dashboard/requests/1/status", data={"status": "declined"})
    assert forged.status_code == 403 and "did not come from this dashboard" in forged.text
    anonymous = dashboard_client(h, None).post("/dashboard/requests/1/status", data={"csrf_token": CSRF})
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/dashboard/login")
    request = await h.store.feature_requests.get(1)
    assert request is not None and request.status is RequestStatus.OPEN and await h.wait(timedelta(minutes=1)) == []


async def test_a_merge_carries_the_votes_and_an_unmerge_restores_them() -> None:
    h = await world()
    page = act(h, viewer(), 3, "merge", into="#1")
    assert "#3 is merged into #1, which now has 4 votes" in page.text
    assert page.find("a", href="/dashboard/requests/1") and "duplicate" in page.text
    target = get(h, "/dashboard/requests/1")
    assert "#3 merged by discord:mod (was open)" in target.text and "Voters (4)" in target.text
    assert "(through #3)" in target.text
    back = act(h, viewer(), 3, "unmerge")
    assert "#3 is its own request again (open), with 1 vote" in back.text
    assert "Voters (3)" in get(h, "/dashboard/requests/1").text


async def test_forms_that_cannot_be_used_say_why_and_change_nothing() -> None:
    h = await world()
    assert "Give the number of the request" in act(h, viewer(), 2, "merge", into="one").text
    assert "#2 cannot be merged into itself." in act(h, viewer(), 2, "merge", into="2").text
    refused = act(h, viewer(), 2, "status", status="duplicate")
    assert "Choose a status: open, planned, started, completed, declined." in refused.text
    long = act(h, viewer(), 2, "status", status="planned", note="x" * 1001)
    assert "The note has 1001 characters; keep it to 1000. Nothing was changed." in long.text
    request = await h.store.feature_requests.get(2)
    assert request is not None and request.status is RequestStatus.OPEN and request.duplicate_of is None
    client = dashboard_client(h, viewer())
    assert client.get("/dashboard/requests/99").status_code == 404
    assert client.post("/dashboard/requests/2/delete", data={"csrf_token": CSRF}).status_code == 404


async def test_a_hostile_title_name_and_note_are_text_on_every_request_page() -> None:
    h = await world()
    act(h, viewer(), 1, "status", status="started", note='<a href="javascript:alert(3)">soon</a>')
    for path in ("/dashboard/requests", "/dashboard/requests?status=started", "/dashboard/requests/1"):
        page = get(h, path)
        assert HOSTILE_TITLE in page.text and not injected(page) and not page.find("b")
    page = get(h, "/dashboard/requests/1")
    assert HOSTILE_NAME in page.text and '<a href="javascript:alert(3)">soon</a>' in page.text
