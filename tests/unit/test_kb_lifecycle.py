"""The article life cycle from chat: kb add, drafts, show, edit, approve, reject, archive, with the publisher rule."""

from __future__ import annotations

import pytest

from core.knowledge.articles import ArticleOrigin, ArticleState, FileArticle, NewArticle
from core.messages import Reply, ReplyKind
from tests.article_fakes import RecordingKnowledge
from tests.desk_fakes import START, Harness, make_harness

pytestmark = pytest.mark.asyncio

MODERATOR = frozenset({"moderator"})
PUBLISHER = frozenset({"moderator", "publisher"})


@pytest.fixture
def kb() -> RecordingKnowledge:
    return RecordingKnowledge()


@pytest.fixture
def h(kb: RecordingKnowledge) -> Harness:
    harness = make_harness()
    harness.desk.desk.knowledge = kb
    return harness


async def run(h: Harness, text: str, *, roles: frozenset[str] = MODERATOR, user: str = "mo") -> Reply:
    [reply] = await h.say(text, user=user, thread="mod", roles=roles, command=True)
    return reply


async def test_a_moderators_article_waits_in_review_and_answers_nobody(h: Harness, kb: RecordingKnowledge) -> None:
    reply = await run(h, "kb add Rotate secrets | Press rotate on the webhook page.")
    assert reply.kind is ReplyKind.INFO
    assert "in review" in reply.text and "a publisher (publisher) approves it: kb approve 1" in reply.text
    assert kb.published == []  # nothing went live
    article = await h.store.articles.get(1)
    assert article is not None and (article.state, article.author) == (ArticleState.IN_REVIEW, "discord:mo")


async def test_a_publishers_article_is_live_at_once(h: Harness, kb: RecordingKnowledge) -> None:
    reply = await run(h, "kb add Rotate secrets | Press rotate.", roles=PUBLISHER)
    assert "published; customers are answered from it now (1 passage(s))" in reply.text
    assert [a.title for a in kb.live] == ["Rotate secrets"]


async def test_approving_publishes_and_only_a_publisher_may(h: Harness, kb: RecordingKnowledge) -> None:
    await run(h, "kb add Rotate secrets | Press rotate.")
    refused = await run(h, "kb approve 1")
    assert refused.kind is ReplyKind.ERROR and "Only a publisher can approve article 1" in refused.text
    approved = await run(h, "kb approve 1", roles=PUBLISHER, user="pat")
    assert "published" in approved.text and [a.doc_id for a in kb.live] == ["article/1"]
    log = [(e.action, e.actor) for e in await h.store.articles.history(1)]
    assert log == [("created", "discord:mo"), ("approved", "discord:pat")]


async def test_a_non_publisher_approving_a_draft_sends_it_to_review(h: Harness, kb: RecordingKnowledge) -> None:
    await h.store.articles.create(
        NewArticle("Refunds", "Within 30 days.", ArticleOrigin.TICKET, "helpline", START, ticket=4)
    )
    reply = await run(h, "kb approve 1")
    assert "in review" in reply.text and kb.published == []


async def test_the_review_queue_lists_drafts_and_reviews_with_origin_and_ticket(h: Harness) -> None:
    await h.store.articles.create(
        NewArticle("Refunds", "Within 30 days.", ArticleOrigin.TICKET, "helpline", START, ticket=4)
    )
    await run(h, "kb add Rotate secrets | Press rotate.")
    await run(h, "kb add Live one | Text.", roles=PUBLISHER)
    text = (await run(h, "kb drafts")).text
    assert "Review queue (2):" in text
    assert "#1 [draft] Refunds (from a ticket, ticket #4)" in text
    assert "#2 [in review] Rotate secrets (written in chat)" in text
    assert "Live one" not in text


async def test_an_empty_queue_says_so(h: Harness) -> None:
    assert "Nothing waits for review" in (await run(h, "kb drafts")).text


async def test_an_edit_of_a_live_article_waits_while_its_live_text_answers(h: Harness, kb: RecordingKnowledge) -> None:
    await run(h, "kb add Rotate secrets | Press rotate.", roles=PUBLISHER)
    reply = await run(h, "kb edit 1 Press rotate, then paste the new secret.")
    assert "in review" in reply.text and "Its published text answers until then." in reply.text
    assert [a.body for a in kb.live] == ["Press rotate."]  # not published again
    shown = (await run(h, "kb show 1")).text
    assert "Article #1 “Rotate secrets”: in review (written in chat; live: version 1)" in shown
    assert "-Press rotate." in shown and "+Press rotate, then paste the new secret." in shown
    assert "1. mo on Discord" in shown and "2. mo on Discord" in shown
    approved = await run(h, "kb approve 1", roles=PUBLISHER)
    assert "published" in approved.text and [a.body for a in kb.live] == ["Press rotate, then paste the new secret."]


async def test_a_publishers_edit_with_a_new_title_is_live_at_once(h: Harness, kb: RecordingKnowledge) -> None:
    await run(h, "kb add Rotate secrets | Press rotate.", roles=PUBLISHER)
    await run(h, "kb edit 1 Rotating secrets | Press rotate now.", roles=PUBLISHER)
    assert [(a.title, a.body) for a in kb.live] == [("Rotating secrets", "Press rotate now.")]


async def test_rejecting_sends_it_back_to_draft_with_the_reason(h: Harness) -> None:
    await run(h, "kb add Rotate secrets | Press rotate.")
    reply = await run(h, "kb reject 1 say where the page is", roles=PUBLISHER)
    assert reply.text == "Article #1 “Rotate secrets” is a draft again (say where the page is)."
    shown = (await run(h, "kb show 1")).text
    assert "rejected (say where the page is)" in shown
    again = await run(h, "kb reject 1", roles=PUBLISHER)
    assert again.kind is ReplyKind.ERROR and "only articles in review are rejected" in again.text


async def test_archiving_a_live_article_stops_it_answering(h: Harness, kb: RecordingKnowledge) -> None:
    await run(h, "kb add Rotate secrets | Press rotate.", roles=PUBLISHER)
    refused = await run(h, "kb archive 1")
    assert refused.kind is ReplyKind.ERROR and "customers are answered from it" in refused.text
    reply = await run(h, "kb archive 1", roles=PUBLISHER)
    assert "not answered from it any more" in reply.text and kb.live == []


async def test_file_articles_are_refused_with_where_they_live(h: Harness) -> None:
    await h.store.articles.sync_files([FileArticle("guide.md", "Guide", "kb/guide.md", "Text")], START)
    for command in ("kb edit 1 New text", "kb approve 1", "kb archive 1"):
        reply = await run(h, command, roles=PUBLISHER)
        assert reply.kind is ReplyKind.ERROR
        assert "comes from kb/guide.md; change it there and run `helpline kb build`" in reply.text


async def test_without_an_index_the_article_is_saved_and_said_not_live(h: Harness, kb: RecordingKnowledge) -> None:
    kb.broken = True
    reply = await run(h, "kb add Rotate secrets | Press rotate.", roles=PUBLISHER)
    assert "it is saved, but not live yet" in reply.text
    article = await h.store.articles.get(1)
    assert article is not None and article.state is ArticleState.PUBLISHED
    kb.broken = False
    await run(h, "kb add Second | Text.", roles=PUBLISHER)  # the next publish serves both
    assert [a.title for a in kb.live] == ["Rotate secrets", "Second"]


async def test_a_process_without_a_knowledge_base_still_saves(h: Harness) -> None:
    h.desk.desk.knowledge = None
    reply = await run(h, "kb add Rotate secrets | Press rotate.", roles=PUBLISHER)
    assert "not live yet: the knowledge base is not available in this process" in reply.text
    assert await h.store.articles.get(1) is not None


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("kb show x", '"x" is not an article number'),
        ("kb show", '"kb show" needs an article number'),
        ("kb show 9", "There is no article 9."),
        ("kb edit 1", '"kb edit" needs a body after the article number'),
        ("kb edit 1 | body", '"kb edit" needs a title before the "|"'),
        ("kb approve 1 2", 'unexpected "2" after the article number'),
    ],
)
async def test_mistyped_and_unknown_articles_say_what_is_wrong(h: Harness, command: str, expected: str) -> None:
    await run(h, "kb add Rotate secrets | Press rotate.")
    reply = await run(h, command)
    assert reply.kind is ReplyKind.ERROR and expected in reply.text


async def test_a_title_too_long_is_refused_and_nothing_is_saved(h: Harness) -> None:
    reply = await run(h, f"kb add {'t' * 201} | body", roles=PUBLISHER)
    assert reply.kind is ReplyKind.ERROR and "at most 200 characters" in reply.text
    assert await h.store.articles.get(1) is None


async def test_customers_may_not_run_them(h: Harness) -> None:
    for command in ("kb drafts", "kb approve 1", "kb add A | B"):
        reply = await run(h, command, roles=frozenset(), user="ana")
        assert reply.kind is ReplyKind.ERROR and "Only moderators" in reply.text


async def test_a_long_diff_is_cut_and_says_how_long_it_was(h: Harness) -> None:
    old = "\n".join(f"line {n}" for n in range(100))
    new = "\n".join(f"line {n} changed" for n in range(100))
    await run(h, f"kb add Long | {old}", roles=PUBLISHER)
    await run(h, f"kb edit 1 {new}")
    shown = (await run(h, "kb show 1")).text
    diff = shown[shown.index("What version 2 changes") :]
    assert "lines in all; the rest is left out)" in diff
    assert len(diff.splitlines()) <= 43 and len(diff) < 3300
