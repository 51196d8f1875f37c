"""The spam guard's rules, measured on a labelled set: precision, recall and false positives per rule.

``python -m benchmarks.spam_guard`` replays every example of ``benchmarks/data/spam_labelled.jsonl`` (one member's
posts, with when they joined) through the rules with the shipped settings, each example on a fresh window, and
prints a table. An example counts as judged if any of its posts is; an ordinary one judged is a false positive.
The knowledge base's site is ``docs.helpline.example``, as the examples assume. Results are in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.community.records import Rule, SpamPolicy
from core.community.spam import Post, judge, window_for

LABELLED = Path(__file__).resolve().parent / "data" / "spam_labelled.jsonl"
KNOWLEDGE_SITES = ("docs.helpline.example",)
T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Example:
    """One member's posts, labelled spam (with the rule that should catch it) or ordinary."""

    id: str
    spam: bool
    rule: str | None
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Judged:
    """An example and the rules that judged any of its posts."""

    example: Example
    fired: frozenset[str]


def load(path: Path = LABELLED) -> list[Example]:
    """The labelled examples."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        days = row["joined_days_ago"]
        since = T0 - timedelta(days=days) if days is not None else None
        posts = tuple(
            Post(f"d:{row['id']}", p["channel"], p["text"], T0 + timedelta(seconds=p["at"]), since)
            for p in row["posts"]
        )
        examples.append(Example(row["id"], row["label"] == "spam", row["rule"], posts))
    return examples


def run(examples: list[Example], policy: SpamPolicy | None = None) -> list[Judged]:
    """Every example replayed on a fresh window."""
    policy = policy or SpamPolicy()
    judged = []
    for example in examples:
        window = window_for(policy)
        verdicts = [judge(post, window, policy, KNOWLEDGE_SITES) for post in example.posts]
        judged.append(Judged(example, frozenset(v.rule.value for v in verdicts if v is not None)))
    return judged


@dataclass(frozen=True)
class RuleRow:
    """One rule's numbers: spam examples of its kind, caught, examples it judged, ordinary ones among them."""

    rule: str
    examples: int
    caught: int
    judged: int
    false_positives: int

    @property
    def recall(self) -> float:
        """Of the spam of its kind, the share it caught."""
        return self.caught / self.examples if self.examples else 0.0

    @property
    def precision(self) -> float:
        """Of what it judged, the share that was spam (of any kind)."""
        return (self.judged - self.false_positives) / self.judged if self.judged else 1.0


def table(judged: list[Judged]) -> list[RuleRow]:
    """Per rule: spam examples of its kind, caught, judged, and ordinary ones judged (false positives)."""
    rows = []
    for rule in Rule:
        mine = [j for j in judged if j.example.rule == rule.value]
        fired = [j for j in judged if rule.value in j.fired]
        false = sum(1 for j in fired if not j.example.spam)
        rows.append(RuleRow(rule.value, len(mine), sum(1 for j in mine if rule.value in j.fired), len(fired), false))
    return rows


def summary(judged: list[Judged]) -> dict[str, int]:
    """Over all rules: spam caught by any rule, spam missed, ordinary judged, ordinary let through."""
    counts: Counter[str] = Counter()
    for j in judged:
        key = ("spam_" if j.example.spam else "ordinary_") + ("judged" if j.fired else "passed")
        counts[key] += 1
    return dict(counts)


def main() -> int:
    """Print the table and the summary."""
    judged = run(load())
    print(f"{'rule':<13} {'examples':>8} {'caught':>6} {'recall':>6} {'judged':>6} {'false +':>7} {'precision':>9}")
    for row in table(judged):
        print(
            f"{row.rule:<13} {row.examples:>8} {row.caught:>6} {row.recall:>6.2f} {row.judged:>6} "
            f"{row.false_positives:>7} {row.precision:>9.2f}"
        )
    print(json.dumps(summary(judged), sort_keys=True))
    for j in judged:
        if j.example.spam != bool(j.fired):
            print(f"  {'missed' if j.example.spam else 'FALSE POSITIVE'}: {j.example.id} {sorted(j.fired)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
