from __future__ import annotations

from pathlib import Path

import pytest

from bots.cli.datafiles import load_qrels, load_section_qrels
from core.errors import DataError
from core.understanding.evaluation import (
    choose_confidence_threshold,
    macro_f1,
    score_intents,
    score_retrieval,
    score_sections,
)


def test_closed_set_scores() -> None:
    scores = score_intents(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert scores.accuracy == 0.75
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert scores.in_scope_accuracy is None
    assert scores.summary() == "accuracy=0.7500 macro_f1=0.7333"


def test_out_of_scope_scores_count_a_flagged_in_scope_message_as_wrong() -> None:
    truth = ["a", "a", "b", "oos", "oos"]
    predicted = ["a", "oos", "b", "oos", "a"]
    scores = score_intents(truth, predicted)
    assert scores.in_scope_accuracy == pytest.approx(2 / 3)
    assert scores.oos_recall == 0.5
    assert scores.oos_precision == 0.5
    assert scores.summary().startswith("accuracy=0.6000 ")
    assert "in_scope_accuracy=0.6667 oos_recall=0.5000" in scores.summary()


def test_macro_f1_of_perfect_predictions_is_one() -> None:
    assert macro_f1(["x", "y"], ["x", "y"]) == 1.0


def test_threshold_flags_at_most_the_budgeted_share_of_in_scope_rows() -> None:
    confidences = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.05]
    in_scope = [True] * 10 + [False]
    threshold = choose_confidence_threshold(confidences, in_scope, reject_budget=0.2)
    flagged = sum(c < threshold for c, i in zip(confidences, in_scope, strict=True) if i)
    assert flagged == 2
    assert choose_confidence_threshold(confidences, in_scope, 0.0) == 0.0


def test_retrieval_scores() -> None:
    ranked = {"q1": ["d1", "d2"], "q2": ["d3", "d4", "d5"], "q3": ["d9"]}
    relevant = {"q1": {"d1"}, "q2": {"d5"}, "q3": {"d7"}}
    scores = score_retrieval(ranked, relevant)
    assert scores.mrr_at_10 == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert scores.recall_at_1 == pytest.approx(1 / 3)
    assert scores.recall_at_5 == pytest.approx(2 / 3)
    assert scores.summary().startswith("mrr@10=0.4444 recall@1=0.3333")


def test_section_scores_count_the_article_and_the_section_of_the_best_passage() -> None:
    expected = {
        "q1": {("a/reset", "Resetting your password")},
        "q2": {("a/limits", "The limits"), ("a/limits", "When you hit the limit")},
        "q3": {("a/refund", "How to request a refund")},
        "q4": {("a/linux", "Debian and Ubuntu (apt)")},
    }
    best = {
        "q1": ("a/reset", "Resetting your password"),
        "q2": ("a/limits", "When you hit the limit"),
        "q3": ("a/refund", "What we refund"),  # right article, wrong section
        "q4": None,  # nothing found
    }
    scores = score_sections(best, expected)
    assert (scores.article_at_1, scores.section_at_1, scores.queries) == (0.75, 0.5, 4)
    assert scores.summary() == "article@1=0.7500 section@1=0.5000"


def test_section_scores_need_a_judged_query() -> None:
    with pytest.raises(ValueError, match="no query"):
        score_sections({}, {"q1": set()})


def test_section_judgements_are_read_beside_plain_ones(tmp_path: Path) -> None:
    qrels = tmp_path / "qrels.jsonl"
    qrels.write_text(
        '{"query_id": "q1", "doc_id": "a/limits", "section": "The limits"}\n'
        '{"query_id": "q1", "doc_id": "a/limits", "section": "When you hit the limit"}\n'
        '{"query_id": "q2", "doc_id": "a/refund"}\n'
        '{"query_id": "q3", "doc_id": "a/old", "section": "Gone", "score": 0}\n',
        encoding="utf-8",
    )
    assert load_section_qrels(qrels) == {"q1": {("a/limits", "The limits"), ("a/limits", "When you hit the limit")}}
    assert load_qrels(qrels) == {"q1": {"a/limits"}, "q2": {"a/refund"}}


def test_a_section_judgement_without_an_article_is_an_error_naming_the_line(tmp_path: Path) -> None:
    qrels = tmp_path / "qrels.jsonl"
    qrels.write_text('{"query_id": "q1", "section": "The limits"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"qrels.jsonl, line 1: missing 'doc_id'"):
        load_section_qrels(qrels)
