"""Phrasings: other wordings of an article's question help it be found, and are never the answer's text."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from core.desk.context import DeskPolicy
from core.errors import IndexNotBuiltError
from core.knowledge.articles import Phrasing
from kb_index.knowledge_base import KnowledgeBase
from kb_index.snapshots import MANIFEST, PHRASINGS, SNAPSHOTS
from tests.fakes import HashingEmbedder
from tests.unit.test_kb_publish import EXPORTS, WEBHOOKS
from tests.unit.test_knowledge_base import ARTICLES, write_kb

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ASKED = "callbacks keep getting refused since we changed the keys"
PHRASING = Phrasing("article/7", "Callbacks are refused ever since we changed our keys", AT, "slack:U1", ticket=4)
ANSWER = DeskPolicy().answer_score


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def knowledge(tmp_path: Path, embedder: HashingEmbedder) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "data", embedder)
    kb.build(write_kb(tmp_path / "kb", ARTICLES))
    kb.publish([WEBHOOKS, EXPORTS], [])
    return kb


def newest_folder(data: Path) -> Path:
    return sorted((data / SNAPSHOTS).glob("v*"))[-1]


def test_a_question_worded_like_a_phrasing_is_answered_from_its_article(knowledge: KnowledgeBase) -> None:
    before = knowledge.search_text(ASKED, 3)
    assert before[0].chunk.doc_id != "article/7" or before[0].score < ANSWER  # not the answer yet
    info = knowledge.publish([WEBHOOKS, EXPORTS], [PHRASING])
    after = knowledge.search_text(ASKED, 3)
    assert after[0].chunk.doc_id == "article/7" and after[0].score >= ANSWER
    assert info.version == knowledge.stats().version
    passages = {c.text for c in knowledge.passages() if c.doc_id == "article/7"}
    assert after[0].chunk.text in passages  # the article's own text answers, never the phrasing
    assert all("Callbacks are refused" not in hit.chunk.text for hit in after)
    assert knowledge.search_text("export invoices csv", 1)[0].chunk.doc_id == "article/8"  # others unchanged


def test_only_new_phrasings_are_embedded(knowledge: KnowledgeBase, embedder: HashingEmbedder) -> None:
    first = knowledge.publish([WEBHOOKS, EXPORTS], [PHRASING])
    assert first.embedded == 1
    before = len(embedder.embedded_texts)
    again = knowledge.publish([WEBHOOKS, EXPORTS], [PHRASING])
    assert again.embedded == 0 and len(embedder.embedded_texts) == before
    another = Phrasing("article/8", "How do I get my invoices into a spreadsheet?", AT, "slack:U2")
    repeat = Phrasing("article/7", "  callbacks are REFUSED ever since we changed our keys ", AT, "slack:U3")
    info = knowledge.publish([WEBHOOKS, EXPORTS], [PHRASING, another, repeat])
    assert embedder.embedded_texts[before:] == ["How do I get my invoices into a spreadsheet?"]
    assert (info.embedded, info.phrasings) == (1, 2)  # a repeat (case and spacing aside) counts once


def test_phrasings_of_articles_not_served_are_left_out(knowledge: KnowledgeBase, embedder: HashingEmbedder) -> None:
    before = len(embedder.embedded_texts)
    info = knowledge.publish([EXPORTS], [PHRASING])  # article 7 archived: its phrasing no longer counts
    assert info.phrasings == 0 and info.embedded == 0 and len(embedder.embedded_texts) == before
    assert all(hit.chunk.doc_id != "article/7" for hit in knowledge.search_text(ASKED, 5))


def test_a_file_article_can_have_phrasings(knowledge: KnowledgeBase) -> None:
    asked = "the container dies and comes back all by itself"
    assert knowledge.search_text(asked, 1)[0].score < ANSWER
    phrasing = Phrasing("troubleshooting/oom", "My container dies and comes back by itself", AT, "slack:U1")
    knowledge.publish([WEBHOOKS, EXPORTS], [phrasing])
    best = knowledge.search_text(asked, 1)[0]
    assert best.chunk.doc_id == "troubleshooting/oom" and best.score >= ANSWER


def test_phrasings_are_kept_by_builds_and_restarts_without_embedding_again(
    tmp_path: Path, knowledge: KnowledgeBase
) -> None:
    knowledge.publish([WEBHOOKS, EXPORTS], [PHRASING])
    fresh = HashingEmbedder()
    restarted = KnowledgeBase(tmp_path / "data", fresh)
    assert restarted.search_text(ASKED, 1)[0].chunk.doc_id == "article/7"
    report = restarted.build(tmp_path / "kb")
    assert report.embedded == 0 and fresh.embedded_texts == [ASKED]  # the phrasing's vector came from the snapshot
    assert restarted.search_text(ASKED, 1)[0].chunk.doc_id == "article/7"
    manifest = json.loads((newest_folder(tmp_path / "data") / MANIFEST).read_text(encoding="utf-8"))
    assert PHRASINGS in manifest["files"]


def test_a_version_without_phrasings_has_no_phrasings_file_and_loads(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    folder = newest_folder(tmp_path / "data")
    assert not (folder / PHRASINGS).exists()  # as every version written before phrasings existed
    assert KnowledgeBase(tmp_path / "data", HashingEmbedder()).search_text("export invoices csv", 1)[0].score > 0


@pytest.mark.parametrize("damage", ["bytes", "shape"])
def test_a_damaged_phrasings_file_is_refused(tmp_path: Path, knowledge: KnowledgeBase, damage: str) -> None:
    knowledge.publish([WEBHOOKS, EXPORTS], [PHRASING])
    folder = newest_folder(tmp_path / "data")
    path = folder / PHRASINGS
    if damage == "bytes":
        path.write_bytes(path.read_bytes()[:-8])
    else:  # a well-formed file that does not fit: rewritten with its digest, so only the shape check can catch it
        with path.open("wb") as fh:
            np.savez(fh, vectors=np.zeros((1, 3), dtype=np.float32), docs=np.asarray(["a"]), texts=np.asarray(["a"]))
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        manifest["files"][PHRASINGS] = hashlib.sha256(path.read_bytes()).hexdigest()
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexNotBuiltError, match=r"phrasings\.npz"):
        KnowledgeBase(tmp_path / "data", HashingEmbedder()).search_text(ASKED, 1)
