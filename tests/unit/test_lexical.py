from __future__ import annotations

from pathlib import Path

from kb_index.knowledge_base import KnowledgeBase
from kb_index.lexical import IdentifierIndex, identifiers
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import write_kb


def test_identifiers_are_codes_with_letters_and_digits() -> None:
    found = identifiers("deploy fails with TL-E1042 (e1042), 2FA on, HTTP 502, v1.2, plain-words")
    assert found == {"TL-E1042", "E1042", "2FA"}


def test_identifier_index_reports_the_share_of_codes_each_passage_has() -> None:
    index = IdentifierIndex(["error TL-E1042 here", "TL-E1042 and TL-E2204", "nothing"])
    assert index.matches({"TL-E1042", "TL-E2204"}) == {0: 0.5, 1: 1.0}
    assert index.matches({"TL-E9999"}) == {}


def test_a_quoted_error_code_brings_its_article_first(tmp_path: Path) -> None:
    kb = write_kb(
        tmp_path / "kb",
        {
            "health.md": "# Health checks\n\n## When a deploy fails\nA deploy fails when the port is wrong.\n",
            "image.md": (
                "# Image too large\n\n## Build errors\nThe build stops on TL-E1042 when the image is too large.\n"
            ),
        },
    )
    knowledge = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    knowledge.build(kb)
    query = "my deploy fails with TL-E1042"
    vector = HashingEmbedder().embed([query])
    assert knowledge.search(vector, 1)[0].chunk.doc_id == "health"  # the words alone point elsewhere
    best = knowledge.search(vector, 2, query_text=query)
    assert best[0].chunk.doc_id == "image"
    assert best[0].score <= 1.0
    assert knowledge.search_text(query, 1)[0].chunk.doc_id == "image"
