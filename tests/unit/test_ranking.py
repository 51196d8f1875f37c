"""Which passage of an article answers a question: heading vectors, the question's words, restated headings."""

from __future__ import annotations

import json
from pathlib import Path

from kb_index.knowledge_base import KnowledgeBase
from kb_index.lexical import LexicalIndex, words
from kb_index.snapshots import HEADINGS, MANIFEST, POINTER
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import write_kb

PASSWORD = """# Account help

## Forgotten password
Open the login page, click the link, type the address of the account and follow the email.

## Changing a password you know
When you are logged in and remember the current one, go to settings, then security, then type
the old one and the new one; a password change signs out the other sessions of this password.
"""

LINUX = """# Installing the tool on Linux

The tool can be installed on Ubuntu, Debian, Fedora and Alpine.

## Debian and Ubuntu
Add the apt repository and its key, then install the package with apt.

## Fedora
Add the dnf repository, then install the package with dnf.
"""


def build(tmp_path: Path, articles: dict[str, str], embedder: HashingEmbedder | None = None) -> KnowledgeBase:
    knowledge = KnowledgeBase(tmp_path / "data", embedder or HashingEmbedder())
    knowledge.build(write_kb(tmp_path / "kb", articles))
    return knowledge


def test_a_question_naming_a_section_gets_that_section_not_its_wordier_neighbour(tmp_path: Path) -> None:
    knowledge = build(tmp_path, {"account/password.md": PASSWORD})
    best = knowledge.search_text("forgotten password", 2)[0]
    assert best.chunk.section == "Forgotten password"


def test_a_distribution_named_in_the_question_beats_the_overview_that_lists_them_all(tmp_path: Path) -> None:
    knowledge = build(tmp_path, {"install/linux.md": LINUX})
    assert knowledge.search_text("install on ubuntu", 3)[0].chunk.section == "Debian and Ubuntu"
    assert knowledge.search_text("how do I install it on fedora", 3)[0].chunk.section == "Fedora"


def test_scores_stay_similarities_between_minus_one_and_one(tmp_path: Path) -> None:
    knowledge = build(tmp_path, {"account/password.md": PASSWORD, "install/linux.md": LINUX})
    hits = knowledge.search_text("forgotten password", 10)
    assert hits and all(-1.0 <= hit.score <= 1.0 for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_heading_vectors_are_kept_with_the_index_and_not_embedded_again(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    knowledge = build(tmp_path, {"account/password.md": PASSWORD}, embedder)
    assert "Account help — Forgotten password" in embedder.embedded_texts
    embedder.embedded_texts.clear()
    fresh = KnowledgeBase(tmp_path / "data", embedder)  # another process: reads the snapshot
    assert fresh.build(tmp_path / "kb").embedded == 0
    assert fresh.search_text("forgotten password", 1)[0].chunk.section == "Forgotten password"
    assert embedder.embedded_texts == ["forgotten password"]  # only the question went through the model
    assert knowledge.directory.joinpath(
        json.loads((knowledge.directory / POINTER).read_text())["path"], HEADINGS
    ).is_file()


def test_an_index_written_without_heading_vectors_is_still_served(tmp_path: Path) -> None:
    knowledge = build(tmp_path, {"account/password.md": PASSWORD})
    folder = knowledge.directory / json.loads((knowledge.directory / POINTER).read_text())["path"]
    manifest = json.loads((folder / MANIFEST).read_text())
    del manifest["files"][HEADINGS]  # as builds before heading vectors wrote it
    (folder / HEADINGS).unlink()
    (folder / MANIFEST).write_text(json.dumps(manifest))
    older = KnowledgeBase(knowledge.directory, HashingEmbedder())
    assert older.search_text("forgotten password", 1)[0].chunk.doc_id == "account/password"


def test_words_drop_filler_and_endings() -> None:
    assert words("I'm installing it on Ubuntu, what's the refunds policy? Don't!") == [
        "instal",
        "ubuntu",
        "refund",
        "policy",
    ]


def test_every_form_of_a_word_stems_the_same() -> None:
    assert set(words("cancel cancels cancelled cancelling")) == {"cancel"}
    assert set(words("install installs installing")) == {"instal"}
    assert words("access passes policies") == ["access", "pass", "policy"]


def test_lexical_scores_favour_the_rare_word_and_give_the_best_passage_one() -> None:
    index = LexicalIndex(["install with apt on ubuntu", "install with dnf on fedora", "install anywhere"])
    scores = index.scores("install on ubuntu")
    assert scores[0] == 1.0
    assert max(scores[1], scores[2]) < 0.5
    assert index.scores("banana bread") == {}
