from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DataError, IndexNotBuiltError
from kb_index.faiss_index import IndexOptions
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

## How to ask
Write to billing with the invoice number.
""",
    "account/password.md": """# Resetting your password

## Forgotten password
Use the reset link on the login page; the email arrives within minutes.
""",
    "troubleshooting/oom.md": """---
title: Out of memory crashes
---
# Out of memory crashes

## Symptoms
The app restarts with exit code 137 when memory runs out.
""",
}


def write_kb(root: Path, articles: dict[str, str]) -> Path:
    for name, text in articles.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", ARTICLES)


def test_search_finds_the_article_with_title_section_source_and_url(tmp_path: Path, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    knowledge = KnowledgeBase(tmp_path / "data", embedder)
    knowledge.build(kb_dir)
    best = knowledge.search_text("refund of my annual invoice", 3)[0]
    assert best.chunk.title == "Refund policy"
    assert best.chunk.section == "Who can get a refund"
    assert best.chunk.source == "billing/refunds.md"
    assert best.chunk.url == "https://docs.example/billing/refunds"
    assert 0.0 < best.score <= 1.0


def test_index_persists_and_a_new_process_searches_without_rebuilding(tmp_path: Path, kb_dir: Path) -> None:
    KnowledgeBase(tmp_path / "data", HashingEmbedder()).build(kb_dir)
    fresh = HashingEmbedder()
    reopened = KnowledgeBase(tmp_path / "data", fresh)
    assert reopened.search_text("exit code 137 memory", 1)[0].chunk.doc_id == "troubleshooting/oom"
    assert fresh.embedded_texts == ["exit code 137 memory"]  # only the query was embedded
    assert reopened.stats().documents == 3


def test_rebuild_embeds_only_new_or_changed_chunks(tmp_path: Path, kb_dir: Path) -> None:
    embedder = HashingEmbedder()
    knowledge = KnowledgeBase(tmp_path / "data", embedder)
    first = knowledge.build(kb_dir)
    assert first.embedded == first.chunks
    unchanged = knowledge.build(kb_dir)
    assert (unchanged.embedded, unchanged.reused) == (0, first.chunks)
    (kb_dir / "account/password.md").write_text(
        "# Resetting your password\n\n## Forgotten password\nThe reset email can take an hour.\n", encoding="utf-8"
    )
    embedder.embedded_texts.clear()
    edited = knowledge.build(kb_dir)
    assert edited.embedded == 1
    assert embedder.embedded_texts == [
        "Resetting your password — Forgotten password\nThe reset email can take an hour."
    ]


def test_removed_files_disappear_from_results_even_after_reopening(tmp_path: Path, kb_dir: Path) -> None:
    knowledge = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    knowledge.build(kb_dir)
    (kb_dir / "billing/refunds.md").unlink()
    report = knowledge.build(kb_dir)
    assert report.removed == 2
    for kb in (knowledge, KnowledgeBase(tmp_path / "data", HashingEmbedder())):
        docs = {hit.chunk.doc_id for hit in kb.search_text("refund invoice", 10)}
        assert "billing/refunds" not in docs
        assert docs == {"account/password", "troubleshooting/oom"}


def test_replaced_versions_are_removed_after_the_grace_period_only(tmp_path: Path, kb_dir: Path) -> None:
    patient = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    for _ in range(3):
        patient.build(kb_dir)
    assert len(list((tmp_path / "data" / "snapshots").glob("v*"))) == 3  # readers may still be loading them
    hasty = KnowledgeBase(tmp_path / "data", HashingEmbedder(), grace_seconds=0)
    hasty.build(kb_dir)
    [left] = (tmp_path / "data" / "snapshots").glob("v*")
    assert left.name == hasty.stats().version
    assert patient.refresh() and patient.search_text("refund invoice", 1)


def test_switching_models_requires_a_rebuild(tmp_path: Path, kb_dir: Path) -> None:
    KnowledgeBase(tmp_path / "data", HashingEmbedder()).build(kb_dir)
    other = KnowledgeBase(tmp_path / "data", HashingEmbedder(name="fake/other"))
    with pytest.raises(IndexNotBuiltError, match="built with 'fake/hashing'"):
        other.search_text("refund", 1)
    report = other.build(kb_dir)
    assert report.reused == 0  # vectors of another model are never mixed in


def test_searching_before_any_build_says_what_to_do(tmp_path: Path) -> None:
    knowledge = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    assert len(knowledge) == 0
    with pytest.raises(IndexNotBuiltError, match="helpline kb build"):
        knowledge.search_text("anything", 1)


def test_a_folder_with_nothing_to_index_is_an_error_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.md").write_text("   \n", encoding="utf-8")
    with pytest.raises(DataError, match="nothing to index"):
        KnowledgeBase(tmp_path / "data", HashingEmbedder()).build(empty)


def test_bad_files_are_skipped_with_warnings_and_the_rest_is_indexed(tmp_path: Path, kb_dir: Path) -> None:
    (kb_dir / "latin1.md").write_bytes("# Caf\xe9\n\nDéjà vu".encode("latin-1"))
    (kb_dir / "empty.md").write_text("", encoding="utf-8")
    report = KnowledgeBase(tmp_path / "data", HashingEmbedder()).build(kb_dir)
    assert report.documents == 3
    assert any("latin1.md" in w and "UTF-8" in w for w in report.warnings)
    assert any("empty.md" in w for w in report.warnings)


def test_jsonl_corpus_is_indexed_the_same_way(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"id": "d1", "title": "Refunds", "text": "Refund within thirty days."}\n'
        '{"id": 2, "title": "Passwords", "text": "Reset link on the login page."}\n',
        encoding="utf-8",
    )
    knowledge = KnowledgeBase(tmp_path / "data", HashingEmbedder(), IndexOptions(kind="numpy"))
    knowledge.build(corpus)
    assert knowledge.search_text("login page reset", 1)[0].chunk.doc_id == "2"
    assert knowledge.stats().index_kind == "numpy"
