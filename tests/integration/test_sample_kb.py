from __future__ import annotations

from pathlib import Path

import pytest

from bots.bootstrap import SAMPLE_KB
from bots.cli.datafiles import load_qrels, load_queries, load_section_qrels
from core.understanding.evaluation import RetrievalScores, score_retrieval, score_sections
from kb_index.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.model

BENCH_DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def test_sample_kb_has_articles_for_every_support_topic(sample_kb: KnowledgeBase) -> None:
    stats = sample_kb.stats()
    assert stats.documents >= 25
    topics = {path.name for path in SAMPLE_KB.iterdir() if path.is_dir()}
    assert {"getting-started", "installation", "troubleshooting", "billing", "account"} <= topics
    assert {"integrations", "api", "security"} <= topics


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("my build fails with TL-E1042 image too large", "troubleshooting/build-image-too-large"),
        ("how do I turn on 2FA with an authenticator app", "account/two-factor-authentication"),
        ("how do I check a webhook signature?", "api/webhook-signatures"),
        ("can I get my money back after cancelling?", "billing/refund-policy"),
    ],
)
def test_support_questions_land_on_the_right_article(sample_kb: KnowledgeBase, question: str, article: str) -> None:
    hits = sample_kb.search_text(question, 3)
    assert hits[0].chunk.doc_id == article
    assert hits[0].chunk.url and hits[0].chunk.url.startswith("https://docs.tideline.example/")


def shipped_query_scores(knowledge: KnowledgeBase) -> RetrievalScores:
    """MRR@10 and recall of the shipped sample-KB query set, by distinct article, as ``knowledge`` ranks them."""
    queries = load_queries(BENCH_DATA / "sample_kb_queries.jsonl")
    ranked = {}
    for query_id, text in queries.items():
        docs: list[str] = []
        for hit in knowledge.search_text(text, 30):
            if hit.chunk.doc_id not in docs:
                docs.append(hit.chunk.doc_id)
        ranked[query_id] = docs
    return score_retrieval(ranked, load_qrels(BENCH_DATA / "sample_kb_qrels.jsonl"))


def test_shipped_query_set_is_answered_well(sample_kb: KnowledgeBase) -> None:
    scores = shipped_query_scores(sample_kb)
    assert scores.recall_at_5 >= 0.9
    assert scores.mrr_at_10 >= 0.8


def test_unchanged_sample_kb_rebuild_embeds_nothing(sample_kb: KnowledgeBase) -> None:
    report = sample_kb.build(SAMPLE_KB)
    assert report.embedded == 0
    assert report.reused == report.chunks


@pytest.mark.parametrize(
    ("question", "article", "section"),
    [
        ("I forgot my password", "account/reset-password", "Resetting your password"),
        ("install on Ubuntu", "installation/install-cli-linux", "Debian and Ubuntu (apt)"),
        # Right before this change too; kept so heading vectors never pull a refund question elsewhere.
        ("how do I ask for a refund?", "billing/refund-policy", "How to request a refund"),
    ],
)
def test_questions_get_the_section_that_answers_them(
    sample_kb: KnowledgeBase, question: str, article: str, section: str
) -> None:
    best = sample_kb.search_text(question, 3)[0].chunk
    assert (best.doc_id, best.section) == (article, section)


def test_the_rate_limit_question_gets_the_limits_table(sample_kb: KnowledgeBase) -> None:
    best = sample_kb.search_text("what's the rate limit?", 3)[0].chunk
    assert (best.doc_id, best.section) == ("api/rate-limits", "The limits")


def test_section_questions_land_on_the_right_section(sample_kb: KnowledgeBase) -> None:
    queries = load_queries(BENCH_DATA / "sample_kb_section_queries.jsonl")
    expected = load_section_qrels(BENCH_DATA / "sample_kb_section_qrels.jsonl")
    best = {}
    for qid, text in queries.items():
        chunk = sample_kb.search_text(text, 1)[0].chunk
        best[qid] = (chunk.doc_id, chunk.section)
    scores = score_sections(best, expected)
    assert scores.queries == len(queries) >= 30
    assert scores.article_at_1 >= 0.89
    assert scores.section_at_1 >= 0.84
