"""The spam rules over the labelled set (benchmarks/data/spam_labelled.jsonl): no ordinary question is judged."""

from __future__ import annotations

from benchmarks.spam_guard import load, run, summary, table


def test_no_ordinary_question_is_judged_spam() -> None:
    judged = run(load())
    wrongly = [j.example.id for j in judged if not j.example.spam and j.fired]
    assert wrongly == []
    assert summary(judged)["ordinary_passed"] >= 90  # questions with links, code, logs, one colleague mentioned


def test_every_rule_catches_most_of_its_kind_and_nothing_else() -> None:
    examples = load()
    assert len(examples) >= 150
    for row in table(run(examples)):
        assert row.examples >= 12, row
        assert row.false_positives == 0 and row.precision == 1.0, row
        assert row.recall >= 0.8, row
