"""Publishing the articles written in Helpline into the index, the file articles, and the old chat articles."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import DataError, IndexNotBuiltError
from core.knowledge.articles import ArticleOrigin, ArticleState, LiveArticle
from kb_index.knowledge_base import KnowledgeBase
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import ARTICLES, write_kb

WEBHOOKS = LiveArticle(
    7,
    "article/7",
    "Rotating webhook signing secrets",
    "## Steps\nOpen the integrations page, press rotate next to the webhook, and paste the new signing secret "
    "into your receiver before the old one expires.",
    url="https://help.example/articles/7",
)
EXPORTS = LiveArticle(
    8,
    "article/8",
    "Exporting invoices as CSV",
    "## From the billing page\nChoose a date range and press export; the CSV file downloads at once.",
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", ARTICLES)


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def knowledge(tmp_path: Path, source: Path, embedder: HashingEmbedder) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "data", embedder)
    kb.build(source)
    return kb


def served_docs(knowledge: KnowledgeBase) -> set[str]:
    return {chunk.doc_id for chunk in knowledge.passages()}


def test_publishing_before_any_build_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuiltError, match="helpline kb build"):
        KnowledgeBase(tmp_path / "data", HashingEmbedder()).publish([WEBHOOKS], [])


def test_published_articles_are_found_and_cited_by_title_and_url(knowledge: KnowledgeBase) -> None:
    info = knowledge.publish([WEBHOOKS, EXPORTS], [])
    assert info.version == knowledge.stats().version
    assert info.chunks == sum(1 for c in knowledge.passages() if c.doc_id.startswith("article/"))
    best = knowledge.search_text("rotate the webhook signing secret", 1)[0].chunk
    assert (best.doc_id, best.title, best.link) == ("article/7", WEBHOOKS.title, "https://help.example/articles/7")
    exported = knowledge.search_text("export invoices csv", 1)[0].chunk
    assert (exported.doc_id, exported.link) == ("article/8", "article/8")  # no URL: its id, never an author


def test_publishing_one_edited_article_embeds_only_its_passages(
    knowledge: KnowledgeBase, embedder: HashingEmbedder
) -> None:
    knowledge.publish([WEBHOOKS, EXPORTS], [])
    before = len(embedder.embedded_texts)
    edited = LiveArticle(8, "article/8", EXPORTS.title, EXPORTS.body.replace("at once", "within a minute"))
    info = knowledge.publish([WEBHOOKS, edited], [])
    new = embedder.embedded_texts[before:]
    assert new and all(text.startswith(EXPORTS.title) for text in new)
    assert info.embedded == len(new) == sum(1 for c in knowledge.passages() if c.doc_id == "article/8")
    assert "within a minute" in knowledge.search_text("export invoices csv", 1)[0].chunk.text


def test_publishing_replaces_the_whole_set_and_later_builds_keep_it(
    knowledge: KnowledgeBase, embedder: HashingEmbedder, source: Path
) -> None:
    knowledge.publish([WEBHOOKS, EXPORTS], [])
    knowledge.publish([EXPORTS], [])  # webhooks archived
    assert served_docs(knowledge) == {"billing/refunds", "account/password", "troubleshooting/oom", "article/8"}
    before = len(embedder.embedded_texts)
    report = knowledge.build(source)  # `helpline kb build` keeps what was published, embedding nothing
    assert report.embedded == 0 and len(embedder.embedded_texts) == before
    assert "article/8" in served_docs(knowledge)
    knowledge.publish([], [])
    assert not any(doc.startswith("article/") for doc in served_docs(knowledge))


def test_another_process_serves_the_published_version_after_refresh(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    reader = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    assert "article/7" not in served_docs(reader)
    info = knowledge.publish([WEBHOOKS], [])
    assert "article/7" not in served_docs(reader)  # the version it loaded, until its refresh
    assert reader.refresh()
    assert reader.stats().version == info.version
    assert reader.search_text("rotate the webhook signing secret", 1)[0].chunk.doc_id == "article/7"


@pytest.mark.parametrize(
    ("articles", "message"),
    [
        ([WEBHOOKS, LiveArticle(9, "article/9", "Empty", "  \n ")], "article 9 .* no title or no text"),
        ([WEBHOOKS, LiveArticle(9, "article/9", " ", "Some text")], "article 9 .* no title or no text"),
        ([WEBHOOKS, LiveArticle(9, "article/7", "Twin", "Same id")], "two articles are named 'article/7'"),
    ],
)
def test_a_bad_set_is_refused_and_the_published_one_kept(
    knowledge: KnowledgeBase, source: Path, articles: list[LiveArticle], message: str
) -> None:
    knowledge.publish([EXPORTS], [])
    served = knowledge.stats().version
    with pytest.raises(DataError, match=message):
        knowledge.publish(articles, [])
    assert knowledge.stats().version == served
    knowledge.build(source)
    assert {d for d in served_docs(knowledge) if d.startswith("article/")} == {"article/8"}


def test_a_failed_build_keeps_the_previous_set_in_the_database_too(knowledge: KnowledgeBase, source: Path) -> None:
    knowledge.publish([EXPORTS], [])
    kept = source.with_name("kb-kept")
    shutil.move(source, kept)
    with pytest.raises(DataError, match="no such file or folder"):
        knowledge.publish([WEBHOOKS], [])
    assert "article/8" in served_docs(knowledge)
    knowledge.build(kept)
    assert {d for d in served_docs(knowledge) if d.startswith("article/")} == {"article/8"}


def test_an_article_with_a_files_id_is_not_served_and_the_build_says_so(knowledge: KnowledgeBase) -> None:
    clash = LiveArticle(3, "billing/refunds", "Refunds, rewritten in chat", "Refunds take a week.")
    info = knowledge.publish([clash, EXPORTS], [])
    refunds = [c for c in knowledge.passages() if c.doc_id == "billing/refunds"]
    assert refunds and all(c.source == "billing/refunds.md" for c in refunds)
    assert any("billing/refunds: not served" in warning for warning in info.report.warnings)


def test_file_articles_list_the_files_with_their_paths_and_text_but_not_helplines(knowledge: KnowledgeBase) -> None:
    knowledge.publish([WEBHOOKS], [])
    files = {article.doc_id: article for article in knowledge.file_articles()}
    assert set(files) == {"billing/refunds", "account/password", "troubleshooting/oom"}
    refunds = files["billing/refunds"]
    assert (refunds.title, refunds.source, refunds.url) == (
        "Refund policy",
        "billing/refunds.md",
        "https://docs.example/billing/refunds",
    )
    assert refunds.body == (
        "## Who can get a refund\n\nAnnual plans cancelled within thirty days get a full refund of the invoice."
        "\n\n## How to ask\n\nWrite to billing with the invoice number."
    )


def test_a_long_file_articles_text_has_each_sentence_once(tmp_path: Path, embedder: HashingEmbedder) -> None:
    sentences = [f"Sentence number {n} explains step {n} of the long procedure in some detail." for n in range(60)]
    root = write_kb(tmp_path / "kb", {"guide.md": "# Long guide\n\n## Steps\n" + " ".join(sentences) + "\n"})
    knowledge = KnowledgeBase(tmp_path / "data", embedder)
    knowledge.build(root)
    assert sum(1 for c in knowledge.passages() if c.doc_id == "guide") > 2  # cut into overlapping pieces
    [guide] = knowledge.file_articles()
    assert guide.body.startswith("## Steps\n\n")
    assert [guide.body.count(sentence) for sentence in sentences] == [1] * len(sentences)


def test_file_articles_before_any_build_say_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuiltError):
        KnowledgeBase(tmp_path / "data", HashingEmbedder()).file_articles()


def test_old_chat_articles_are_offered_for_import_and_retired_by_the_first_publish(knowledge: KnowledgeBase) -> None:
    assert knowledge.legacy_articles() == []
    added = knowledge.add_article("Webhook retries", "Failed deliveries are retried for a day.", "dana")
    [legacy] = knowledge.legacy_articles()
    assert (legacy.doc_id, legacy.title, legacy.body, legacy.author) == (
        added.doc_id,
        "Webhook retries",
        "Failed deliveries are retried for a day.",
        "dana",
    )
    assert (legacy.origin, legacy.state) == (ArticleOrigin.CHAT, ArticleState.PUBLISHED)
    assert abs((datetime.now(UTC) - legacy.at).total_seconds()) < 60
    knowledge.publish([WEBHOOKS], [])  # the set Helpline writes now: the old article is not in it
    assert added.doc_id not in served_docs(knowledge)
    assert [a.doc_id for a in knowledge.legacy_articles()] == [added.doc_id]  # still there to import
    imported = LiveArticle(12, legacy.doc_id or "", legacy.title, legacy.body)
    knowledge.publish([WEBHOOKS, imported], [])
    passages = [c for c in knowledge.passages() if c.doc_id == added.doc_id]
    assert passages and all("dana" not in f"{c.source} {c.link}" for c in passages)


def test_legacy_articles_of_an_empty_directory_create_nothing(tmp_path: Path) -> None:
    assert KnowledgeBase(tmp_path / "data", HashingEmbedder()).legacy_articles() == []
    assert not (tmp_path / "data").exists()
