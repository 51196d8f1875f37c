"""Contract tests for ``Articles``: on the fake, on SQLite and on PostgreSQL, the same cases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.knowledge.articles import (
    ArticleConflict,
    ArticleOrigin,
    ArticleState,
    FileArticle,
    LiveArticle,
    NewArticle,
    Phrasing,
)
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DANA = "discord:dana"
OMAR = "slack:omar"
DRAFT = NewArticle("Reset a password", "Open Settings, then Security.", ArticleOrigin.CHAT, DANA, T0)


def later(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def test_a_new_article_is_version_one_named_by_its_number_and_logged(store: Stores) -> None:
    made = await store.articles.create(DRAFT)
    assert (made.number, made.doc_id, made.state, made.version, made.live_version) == (
        1,
        "article/1",
        ArticleState.DRAFT,
        1,
        None,
    )
    assert await store.articles.get(1) == made
    assert await store.articles.by_doc("article/1") == made
    assert await store.articles.get(2) is None
    [v1] = await store.articles.versions(1)
    assert (v1.version, v1.title, v1.body, v1.author, v1.at) == (1, DRAFT.title, DRAFT.body, DANA, T0)
    [created] = await store.articles.history(1)
    assert (created.action, created.actor, created.detail) == ("created", DANA, "draft")
    assert await store.articles.live() == []  # a draft answers nobody


async def test_a_published_article_is_live_at_once_and_keeps_its_own_doc_id(store: Stores) -> None:
    legacy = NewArticle(
        "VPN", "Use the client.", ArticleOrigin.CHAT, DANA, T0, state=ArticleState.PUBLISHED, doc_id="chat/vpn-1"
    )
    made = await store.articles.create(legacy)
    assert (made.doc_id, made.live_version) == ("chat/vpn-1", 1)
    assert await store.articles.live() == [LiveArticle(1, "chat/vpn-1", "VPN", "Use the client.", None)]
    with pytest.raises(ArticleConflict, match="exists already"):
        await store.articles.create(legacy)
    assert len(await store.articles.listed(list(ArticleState))) == 1


async def test_review_then_approval_serves_the_newest_version(store: Stores) -> None:
    await store.articles.create(DRAFT)
    sent = await store.articles.move(1, ArticleState.IN_REVIEW, DANA, later(1), expected=ArticleState.DRAFT)
    assert sent.state is ArticleState.IN_REVIEW and sent.live_version is None
    approved = await store.articles.move(1, ArticleState.PUBLISHED, OMAR, later(2), expected=ArticleState.IN_REVIEW)
    assert (approved.state, approved.live_version, approved.updated_at) == (ArticleState.PUBLISHED, 1, later(2))
    assert [(e.action, e.actor) for e in await store.articles.history(1)] == [
        ("created", DANA),
        ("submitted", DANA),
        ("approved", OMAR),
    ]
    assert [a.title for a in await store.articles.live()] == ["Reset a password"]


async def test_an_edit_waiting_for_review_leaves_the_published_text_answering(store: Stores) -> None:
    await store.articles.create(DRAFT)
    await store.articles.move(1, ArticleState.PUBLISHED, OMAR, later(1), expected=ArticleState.DRAFT)
    edited = await store.articles.revise(
        1, "Reset a password", "Settings, Security, Reset.", DANA, later(2), state=ArticleState.IN_REVIEW, version=1
    )
    assert (edited.state, edited.version, edited.live_version, edited.body) == (
        ArticleState.IN_REVIEW,
        2,
        1,
        "Settings, Security, Reset.",
    )
    [served] = await store.articles.live()
    assert served.body == DRAFT.body
    rejected = await store.articles.move(
        1, ArticleState.DRAFT, OMAR, later(3), reason="say where Security is", expected=ArticleState.IN_REVIEW
    )
    assert (rejected.state, rejected.live_version) == (ArticleState.DRAFT, 1)
    assert (await store.articles.history(1))[-1].detail == "say where Security is"
    [v1, v2] = await store.articles.versions(1)
    assert (v2.version, v2.author, v2.body) == (2, DANA, "Settings, Security, Reset.") and v1.body == DRAFT.body


async def test_a_publishers_edit_goes_live_at_once(store: Stores) -> None:
    await store.articles.create(DRAFT)
    await store.articles.move(1, ArticleState.PUBLISHED, OMAR, later(1), expected=ArticleState.DRAFT)
    edited = await store.articles.revise(
        1, "Reset your password", "New text.", OMAR, later(2), state=ArticleState.PUBLISHED, version=1
    )
    assert (edited.version, edited.live_version) == (2, 2)
    assert [(a.title, a.body) for a in await store.articles.live()] == [("Reset your password", "New text.")]
    assert [e.action for e in await store.articles.history(1)][-1] == "edited"


async def test_archiving_stops_serving_and_restoring_makes_a_draft(store: Stores) -> None:
    await store.articles.create(DRAFT)
    await store.articles.move(1, ArticleState.PUBLISHED, OMAR, later(1), expected=ArticleState.DRAFT)
    archived = await store.articles.move(1, ArticleState.ARCHIVED, OMAR, later(2), expected=ArticleState.PUBLISHED)
    assert archived.live_version is None and await store.articles.live() == []
    restored = await store.articles.move(1, ArticleState.DRAFT, OMAR, later(3), expected=ArticleState.ARCHIVED)
    assert restored.state is ArticleState.DRAFT and restored.live_version is None
    assert [e.action for e in await store.articles.history(1)][-2:] == ["archived", "restored"]


async def test_moves_the_state_does_not_allow_or_no_longer_holds_are_refused(store: Stores) -> None:
    await store.articles.create(DRAFT)
    with pytest.raises(ArticleConflict, match="draft now, not in review"):
        await store.articles.move(1, ArticleState.PUBLISHED, OMAR, later(1), expected=ArticleState.IN_REVIEW)
    await store.articles.move(1, ArticleState.PUBLISHED, OMAR, later(1), expected=ArticleState.DRAFT)
    with pytest.raises(ArticleConflict, match="cannot be made draft"):
        await store.articles.move(1, ArticleState.DRAFT, OMAR, later(2), expected=ArticleState.PUBLISHED)
    with pytest.raises(ArticleConflict, match="no article 9"):
        await store.articles.move(9, ArticleState.ARCHIVED, OMAR, later(2), expected=ArticleState.DRAFT)
    with pytest.raises(ArticleConflict, match="an edit cannot make it archived"):
        await store.articles.revise(1, "t", "b", OMAR, later(2), state=ArticleState.ARCHIVED, version=1)
    assert len(await store.articles.history(1)) == 2  # the refusals logged nothing


async def test_an_edit_on_an_older_version_is_refused_and_saves_nothing(store: Stores) -> None:
    await store.articles.create(DRAFT)
    await store.articles.revise(1, "A", "first edit", DANA, later(1), state=ArticleState.DRAFT, version=1)
    with pytest.raises(ArticleConflict, match="version 2 now, not 1"):
        await store.articles.revise(1, "B", "second edit", OMAR, later(2), state=ArticleState.DRAFT, version=1)
    assert [v.body for v in await store.articles.versions(1)] == [DRAFT.body, "first edit"]
    assert (await store.articles.get(1)).body == "first edit"  # type: ignore[union-attr]


async def test_two_reviewers_at_once_one_wins(store: Stores) -> None:
    await store.articles.create(DRAFT)
    await store.articles.move(1, ArticleState.IN_REVIEW, DANA, later(1), expected=ArticleState.DRAFT)

    async def act(to: ArticleState, who: str) -> str:
        try:
            await store.articles.move(1, to, who, later(2), expected=ArticleState.IN_REVIEW)
        except ArticleConflict:
            return "refused"
        return "done"

    results = await asyncio.gather(
        act(ArticleState.PUBLISHED, OMAR), act(ArticleState.DRAFT, "slack:ines"), act(ArticleState.PUBLISHED, "x:y")
    )
    assert sorted(results) == ["done", "refused", "refused"]
    assert [e.action for e in await store.articles.history(1)].count("submitted") == 1
    assert len(await store.articles.history(1)) == 3


async def test_two_edits_of_the_same_version_at_once_one_is_saved(store: Stores) -> None:
    await store.articles.create(DRAFT)

    async def edit(body: str) -> bool:
        try:
            await store.articles.revise(1, "T", body, DANA, later(1), state=ArticleState.DRAFT, version=1)
        except ArticleConflict:
            return False
        return True

    assert sorted(await asyncio.gather(edit("one"), edit("two"))) == [False, True]
    assert len(await store.articles.versions(1)) == 2


async def test_listed_filters_by_state_newest_change_first(store: Stores) -> None:
    for minute, title in enumerate(["a", "b", "c"]):
        await store.articles.create(NewArticle(title, "body", ArticleOrigin.TICKET, DANA, later(minute), ticket=7))
    await store.articles.move(1, ArticleState.IN_REVIEW, DANA, later(10), expected=ArticleState.DRAFT)
    await store.articles.move(2, ArticleState.PUBLISHED, OMAR, later(11), expected=ArticleState.DRAFT)
    waiting = await store.articles.listed([ArticleState.DRAFT, ArticleState.IN_REVIEW])
    assert [a.title for a in waiting] == ["a", "c"]
    assert [a.title for a in await store.articles.listed([ArticleState.DRAFT, ArticleState.IN_REVIEW], limit=1)] == [
        "a"
    ]
    assert waiting[0].ticket == 7
    assert (await store.articles.history(3))[0].detail == "draft, from ticket 7"


async def test_a_phrasing_is_kept_once_whatever_its_case_and_spacing(store: Stores) -> None:
    await store.articles.create(DRAFT)
    asked = Phrasing("article/1", "How do I reset my password?", T0, "helpline", ticket=4)
    assert await store.articles.add_phrasing(asked)
    assert not await store.articles.add_phrasing(Phrasing("article/1", "how do I  RESET my password?", later(1), "x"))
    assert await store.articles.add_phrasing(Phrasing("guide/faq#0", "How do I reset my password?", later(2), "x"))
    assert [(p.doc_id, p.ticket) for p in await store.articles.phrasings()] == [("article/1", 4), ("guide/faq#0", None)]
    logged = (await store.articles.history(1))[-1]
    assert (logged.action, logged.detail) == ("phrasing", "How do I reset my password? (ticket 4)")


async def test_two_tickets_bringing_the_same_phrasing_at_once_keep_one(store: Stores) -> None:
    asked = Phrasing("article/1", "Where is my invoice?", T0, "helpline")
    assert sorted(await asyncio.gather(*(store.articles.add_phrasing(asked) for _ in range(3)))) == [False, False, True]


async def test_syncing_files_adds_updates_archives_and_brings_back(store: Stores) -> None:
    guide = FileArticle("guide.md", "Guide", "kb/guide.md", "Step one.", "https://docs/guide")
    faq = FileArticle("faq.md", "FAQ", "kb/faq.md", "Q and A.")
    assert await store.articles.sync_files([guide, faq], T0) == 2
    assert await store.articles.sync_files([guide, faq], later(1)) == 0  # an unchanged build changes nothing
    made = await store.articles.by_doc("guide.md")
    assert made is not None and (made.origin, made.state, made.source, made.editable_in_chat) == (
        ArticleOrigin.FILE,
        ArticleState.PUBLISHED,
        "kb/guide.md",
        False,
    )
    assert await store.articles.live() == []  # file articles are served from their files, not from here
    edited = FileArticle("guide.md", "Guide", "kb/guide.md", "Step one, then two.", "https://docs/guide")
    assert await store.articles.sync_files([edited], later(2)) == 2  # the guide changed, the FAQ went
    guide_now, faq_now = await store.articles.by_doc("guide.md"), await store.articles.by_doc("faq.md")
    assert guide_now is not None and (guide_now.version, guide_now.live_version) == (2, 2)
    assert faq_now is not None and (faq_now.state, faq_now.live_version) == (ArticleState.ARCHIVED, None)
    assert (await store.articles.history(faq_now.number))[-1].detail == "removed from the files"
    assert await store.articles.sync_files([edited, faq], later(3)) == 1
    back = await store.articles.by_doc("faq.md")
    assert back is not None and (back.state, back.version, back.live_version) == (ArticleState.PUBLISHED, 1, 1)


async def test_a_file_never_takes_over_a_chat_article_with_its_id(store: Stores) -> None:
    await store.articles.create(DRAFT)
    assert await store.articles.sync_files([FileArticle("article/1", "X", "kb/x.md", "x")], T0) == 0
    kept = await store.articles.get(1)
    assert kept is not None and (kept.origin, kept.title) == (ArticleOrigin.CHAT, DRAFT.title)
