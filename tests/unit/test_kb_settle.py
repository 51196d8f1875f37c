"""The article store kept in line with the index: file articles listed, old chat articles imported once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.bootstrap import build_system
from bots.knowledge_sync import settle_articles
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.knowledge.articles import ArticleOrigin, ArticleState, FileArticle, NewArticle
from tests.article_fakes import RecordingKnowledge
from tests.desk_fakes import RULES, KeywordUnderstander, RecordingNotifier
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OLD = NewArticle(
    "VPN setup", "Install the client.", ArticleOrigin.CHAT, "dana", T0, state=ArticleState.PUBLISHED, doc_id="added/vpn"
)
GUIDE = FileArticle("guide", "Guide", "kb/guide.md", "Step one.")


async def test_old_chat_articles_are_imported_once_and_published_with_the_files_listed() -> None:
    stores, clock = memory_stores(), ManualClock(T0)
    kb = RecordingKnowledge(files=[GUIDE], legacy=[OLD])
    first = await settle_articles(stores, kb, clock)
    assert first is not None and (first.imported, first.files_changed) == (1, 1)
    assert [(a.doc_id, a.title) for a in kb.live] == [("added/vpn", "VPN setup")]  # still served, now by the store
    again = await settle_articles(stores, kb, clock)
    assert again is not None and (again.imported, again.files_changed, again.published) == (0, 0, None)
    assert len(kb.published) == 1
    guide = await stores.articles.by_doc("guide")
    assert guide is not None and (guide.origin, guide.source) == (ArticleOrigin.FILE, "kb/guide.md")


async def test_without_an_index_nothing_is_synced_and_nothing_fails() -> None:
    stores = memory_stores()
    assert await settle_articles(stores, BrokenFiles(), ManualClock(T0)) is None
    assert await stores.articles.listed(list(ArticleState)) == []


async def test_start_up_syncs_the_file_articles() -> None:
    catalog, stores = load_intents(DEFAULT_INTENTS_FILE), memory_stores()
    await build_system(
        Settings(),
        notifier=RecordingNotifier(),
        understander=KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        knowledge=RecordingKnowledge(files=[GUIDE]),
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=stores,
    )
    assert [a.doc_id for a in await stores.articles.listed([ArticleState.PUBLISHED])] == ["guide"]


class BrokenFiles(RecordingKnowledge):
    """An index that was never built."""

    def file_articles(self) -> list[FileArticle]:
        from core.errors import IndexNotBuiltError

        raise IndexNotBuiltError("no knowledge base has been built yet: run helpline kb build")


async def test_the_publishers_come_from_the_knowledge_settings(tmp_path: Path) -> None:
    from bots.bootstrap import build_publishers
    from config.settings import load_settings
    from core.errors import ConfigError
    from core.messages import Author

    assert load_settings(env={}).knowledge.publishers == ("publisher",)
    settings = load_settings(env={"HELPLINE_KNOWLEDGE__PUBLISHERS": "lead, Editors"})
    publishers = build_publishers(settings)
    assert publishers.allows("discord", Author("1", "Pat", frozenset({"editors"})))
    assert not publishers.allows("discord", Author("2", "Mo", frozenset({"moderator"})))
    path = tmp_path / "helpline.yaml"
    path.write_text("knowledge:\n  publishers: {lead: 1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"helpline\.yaml: knowledge\.publishers"):
        load_settings(path, env={})
