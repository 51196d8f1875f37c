"""The Knowledge page's review queue and an article's page: text, versions, log, diff, and the desk's actions."""

from __future__ import annotations

import pytest

from bots.web.deps import Viewer
from core.knowledge.articles import ArticleOrigin, ArticleState, FileArticle, NewArticle
from core.staff.records import Identity, StaffRole
from tests.article_fakes import RecordingKnowledge
from tests.desk_fakes import START, Harness, make_harness
from tests.web.page_html import Parsed, injected, parse
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio

SCRIPTED = "<script>alert(1)</script> refunds"


def publisher() -> Viewer:
    """A signed-in moderator who also has the publisher role."""
    identity = Identity("discord", "pat", "Pat", frozenset({"moderator", "publisher"}))
    return Viewer("discord:pat", StaffRole.AGENT, identity, session="p" * 64, csrf_token=CSRF)


async def harness() -> tuple[Harness, RecordingKnowledge]:
    """A draft from ticket 4 (#1) and an article sent to review in chat (#2)."""
    h, kb = make_harness(), RecordingKnowledge()
    h.desk.desk.knowledge = kb
    draft = NewArticle(SCRIPTED, "Refunds within 30 days.", ArticleOrigin.TICKET, "helpline", START, ticket=4)
    await h.store.articles.create(draft)
    await h.mod("kb add Rotate secrets | Press rotate.")
    return h, kb


def act(h: Harness, who: Viewer, number: int, action: str, **fields: str) -> Parsed:
    """POST an action of article ``number`` as ``who``, follow the 303 back, and parse the page."""
    client = dashboard_client(h, who)
    response = client.post(f"/dashboard/knowledge/articles/{number}/{action}", data={"csrf_token": CSRF, **fields})
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/dashboard/knowledge/articles/{number}?")
    return parse(client.get(response.headers["location"]).text)


async def test_the_knowledge_page_lists_the_review_queue_linking_each_article() -> None:
    h, _ = await harness()
    page = parse(dashboard_client(h, viewer()).get("/dashboard/knowledge").text)
    assert "Review queue" in page.text
    assert page.find("a", href="/dashboard/knowledge/articles/1") and page.find("a", href="/dashboard/tickets/4")
    assert "Rotate secrets in review chat" in page.text and "draft ticket" in page.text
    assert not injected(page)


async def test_approving_runs_the_desk_command_with_the_viewers_roles() -> None:
    h, kb = await harness()
    refused = act(h, viewer(), 2, "approve")
    assert "Only a publisher can approve article 2" in refused.text and kb.published == []
    page = act(h, publisher(), 2, "approve")
    assert "published; customers are answered from it now" in page.text
    assert [a.title for a in kb.live] == ["Rotate secrets"]
    assert "discord:pat approved" in page.text  # the log


async def test_an_edit_shows_its_versions_and_the_diff_against_the_live_text() -> None:
    h, _ = await harness()
    act(h, publisher(), 2, "approve")
    page = act(h, viewer(), 2, "edit", title="Rotate secrets", body="Press rotate, then paste it.")
    assert "in review" in page.text
    assert "version 1 · discord:mo" in page.text and "version 2 · discord:mod" in page.text
    [diff] = [t for t in page.texts if "+Press rotate, then paste it." in t]
    assert "-Press rotate." in diff


async def test_rejecting_keeps_the_reason_and_archiving_stops_it() -> None:
    h, _ = await harness()
    page = act(h, publisher(), 2, "reject", reason="say where the page is")
    assert "is a draft again (say where the page is)" in page.text
    act(h, publisher(), 2, "archive")
    article = await h.store.articles.get(2)
    assert article is not None and article.state is ArticleState.ARCHIVED


async def test_an_empty_edit_is_refused_and_saves_nothing() -> None:
    h, _ = await harness()
    page = act(h, viewer(), 2, "edit", title="x", body="  ")
    assert "An edit needs the article's text." in page.text
    assert len(await h.store.articles.versions(2)) == 1


async def test_a_users_markup_in_an_article_is_shown_as_text() -> None:
    h, _ = await harness()
    page = parse(dashboard_client(h, viewer()).get("/dashboard/knowledge/articles/1").text)
    assert SCRIPTED in page.text and not injected(page)
    assert page.find("a", href="/dashboard/tickets/4")


async def test_a_file_article_has_no_actions_and_says_where_it_lives() -> None:
    h, _ = await harness()
    await h.store.articles.sync_files([FileArticle("guide", "Guide", "kb/guide.md", "Text")], START)
    page = parse(dashboard_client(h, viewer()).get("/dashboard/knowledge/articles/3").text)
    assert "This article comes from kb/guide.md" in page.text and not page.find("button", id="action-edit")


async def test_unknown_articles_and_actions_and_missing_csrf_are_refused() -> None:
    h, kb = await harness()
    client = dashboard_client(h, publisher())
    assert client.get("/dashboard/knowledge/articles/99").status_code == 404
    assert client.post("/dashboard/knowledge/articles/2/delete", data={"csrf_token": CSRF}).status_code == 404
    assert client.post("/dashboard/knowledge/articles/2/approve", data={}).status_code == 403
    assert kb.published == []
