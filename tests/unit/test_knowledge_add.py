"""Articles added from chat (``kb add``): searchable at once, kept by later builds and restarts."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DataError, IndexNotBuiltError
from kb_index.knowledge_base import KnowledgeBase
from tests.fakes import HashingEmbedder

ARTICLES = {
    "billing/refunds.md": """---
title: Refund policy
url: https://docs.example/billing/refunds
---
# Refund policy

## Who can get a refund
Annual plans cancelled within thirty days get a full refund of the invoice.
""",
    "account/password.md": """# Resetting your password

## Forgotten password
Use the reset link on the login page; the email arrives within minutes.
""",
}

TITLE = "Rotating webhook signing secrets"
BODY = """## Steps
Open the integrations page, press rotate next to the webhook, and paste the new signing secret
into your receiver before the old one expires after twenty four hours.
"""
QUERY = "how do I rotate the webhook signing secret"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A two-article knowledge base folder."""
    root = tmp_path / "kb"
    for name, text in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def embedder() -> HashingEmbedder:
    """The fake embedder, which records every text it embeds."""
    return HashingEmbedder()


@pytest.fixture
def knowledge(tmp_path: Path, source: Path, embedder: HashingEmbedder) -> KnowledgeBase:
    """A knowledge base built from ``source``."""
    kb = KnowledgeBase(tmp_path / "data", embedder)
    kb.build(source)
    return kb


def test_adding_before_any_build_says_to_build_first(tmp_path: Path) -> None:
    knowledge = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    with pytest.raises(IndexNotBuiltError, match="helpline kb build"):
        knowledge.add_article(TITLE, BODY, "mo")


def test_an_added_article_is_found_first_at_once(knowledge: KnowledgeBase, embedder: HashingEmbedder) -> None:
    before = len(embedder.embedded_texts)
    added = knowledge.add_article(f"  {TITLE} ", BODY, "mo")
    assert added.title == TITLE
    assert added.chunks >= 1
    new = embedder.embedded_texts[before:]  # only the new article went through the model: passages and heading
    assert len(new) == added.chunks + 1
    assert all(text.startswith(TITLE) for text in new)
    best = knowledge.search_text(QUERY, 3)[0]
    assert best.chunk.doc_id == added.doc_id
    assert best.chunk.title == TITLE
    assert best.chunk.link == added.doc_id  # cited by its id: customers never see who wrote it
    assert "mo" not in best.chunk.source
    assert knowledge.search_text("refund of my annual invoice", 1)[0].chunk.title == "Refund policy"


def test_a_later_build_keeps_the_article_and_embeds_nothing_unchanged(
    knowledge: KnowledgeBase, embedder: HashingEmbedder, source: Path
) -> None:
    added = knowledge.add_article(TITLE, BODY, "mo")
    before = len(embedder.embedded_texts)
    report = knowledge.build(source)
    assert len(embedder.embedded_texts) == before
    assert report.embedded == 0
    assert report.documents == 3
    assert knowledge.search_text(QUERY, 1)[0].chunk.doc_id == added.doc_id


def test_a_build_after_editing_the_folder_still_keeps_the_article(
    knowledge: KnowledgeBase, embedder: HashingEmbedder, source: Path
) -> None:
    added = knowledge.add_article(TITLE, BODY, "mo")
    (source / "account" / "password.md").unlink()
    report = knowledge.build(source)
    assert report.documents == 2
    assert knowledge.search_text(QUERY, 1)[0].chunk.doc_id == added.doc_id


@pytest.mark.parametrize(("title", "body"), [("", BODY), ("   ", BODY), (TITLE, ""), (TITLE, " \n ")])
def test_an_article_without_title_or_body_is_refused_and_nothing_is_stored(
    knowledge: KnowledgeBase, embedder: HashingEmbedder, source: Path, title: str, body: str
) -> None:
    before = len(embedder.embedded_texts)
    with pytest.raises(DataError, match="title and a body"):
        knowledge.add_article(title, body, "mo")
    assert len(embedder.embedded_texts) == before
    assert knowledge.stats().documents == 2
    assert knowledge.build(source).documents == 2  # no half-stored article turns up later


def test_the_article_survives_a_restart(tmp_path: Path, knowledge: KnowledgeBase, source: Path) -> None:
    added = knowledge.add_article(TITLE, BODY, "mo")
    fresh = HashingEmbedder()
    restarted = KnowledgeBase(tmp_path / "data", fresh)
    assert restarted.search_text(QUERY, 1)[0].chunk.doc_id == added.doc_id
    assert fresh.embedded_texts == [QUERY]  # served from disk, nothing re-embedded
    report = restarted.build(source)
    assert report.embedded == 0 and report.documents == 3
    assert restarted.search_text(QUERY, 1)[0].chunk.doc_id == added.doc_id


def test_two_articles_with_the_same_title_are_both_kept(knowledge: KnowledgeBase) -> None:
    first = knowledge.add_article(TITLE, BODY, "mo")
    second = knowledge.add_article(TITLE, BODY.replace("twenty four hours", "one week"), "ana")
    assert first.doc_id != second.doc_id
    assert knowledge.stats().documents == 4
