"""How sure the knowledge base must be before a resolved ticket's question is taken as already answered.

A resolved ticket's question becomes a phrasing of an existing article when the best passage found for it
scores at least ``DraftRules.phrasing_score``; otherwise it becomes a draft. This measures that threshold,
leaving one article out at a time, on the sample knowledge base and its retrieval eval questions
(``benchmarks/data``):

- present: each question, cleaned as a ticket's question is (``plain_question``), is searched in the whole
  sample KB, as the desk's ``search_text`` does. At a threshold it is a correct attachment when the best
  passage scores at least the threshold and is from a relevant article; a wrong one when it is from another.
- absent: the same question searched in the sample KB built again without its relevant article(s). Any
  attachment is wrong: the article that answers it is not there, so it should have become a draft.

For every threshold: recall (the share of present questions attached to their article), the share of absent
questions wrongly attached, and precision as if half the resolved tickets asked something already covered.

    python -m benchmarks.draft_threshold [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bots.bootstrap import SAMPLE_KB, build_embedder, index_options
from bots.cli.datafiles import load_qrels, load_queries
from config.settings import Settings
from core.knowledge.chat_text import plain_question
from core.knowledge.drafting import DEFAULT_RULES
from kb_index.knowledge_base import KnowledgeBase

DATA = Path(__file__).parent / "data"
SETS = (
    ("sample_kb_queries.jsonl", "sample_kb_qrels.jsonl"),
    ("sample_kb_section_queries.jsonl", "sample_kb_section_qrels.jsonl"),
)
THRESHOLDS = [round(0.40 + step / 100, 2) for step in range(56)]  # 0.40 … 0.95


@dataclass(frozen=True)
class Found:
    """The best passage for one question in one knowledge base."""

    doc_id: str
    score: float


@dataclass(frozen=True)
class Row:
    """One threshold's outcome."""

    threshold: float
    recall: float  # present questions attached to a relevant article
    wrong_present: float  # present questions attached to another article
    false_attach: float  # absent questions attached to any article
    precision: float  # of all attachments, with as many absent questions as present ones


def best(knowledge: KnowledgeBase, question: str) -> Found:
    """The best passage's article and score, as the desk searches a ticket's question."""
    hits = knowledge.search_text(question, 5)
    return Found(hits[0].chunk.doc_id, hits[0].score) if hits else Found("", 0.0)


def corpus_without(source: Path, removed: frozenset[str], into: Path) -> Path:
    """A copy of the article folder ``source`` without the files of the ``removed`` doc ids."""

    def ignored(folder: str, names: list[str]) -> set[str]:
        base = Path(folder).relative_to(source)
        return {name for name in names if (base / Path(name).with_suffix("")).as_posix() in removed}

    shutil.copytree(source, into, ignore=ignored)
    return into


def measure(source: Path, questions: dict[str, str], relevant: dict[str, set[str]], work: Path) -> dict[str, object]:
    """Search every question with its article(s) present and absent."""
    settings = Settings()
    embedder, options = build_embedder(settings), index_options(settings)
    full = KnowledgeBase(work / "full", embedder, options)
    full.build(source)
    known = {chunk.doc_id for chunk in full.passages()}
    missing = sorted({doc for docs in relevant.values() for doc in docs} - known)
    if missing:
        raise SystemExit(f"judged articles not in {source}: {', '.join(missing[:5])}")
    cleaned = {qid: plain_question(text) for qid, text in questions.items()}
    present = {qid: best(full, cleaned[qid]) for qid in relevant}
    by_set: dict[frozenset[str], list[str]] = defaultdict(list)
    for qid, docs in relevant.items():
        by_set[frozenset(docs)].append(qid)
    absent: dict[str, Found] = {}
    for n, (left_out, qids) in enumerate(sorted(by_set.items(), key=lambda item: sorted(item[0]))):
        folder = work / f"without-{n}"
        shutil.copytree(full.directory, folder)  # every vector is reused: the build embeds nothing
        without = KnowledgeBase(folder, embedder, options)
        without.build(corpus_without(source, left_out, work / f"corpus-{n}"))
        absent.update({qid: best(without, cleaned[qid]) for qid in qids})
    return {"present": present, "absent": absent}


def sweep(present: dict[str, Found], absent: dict[str, Found], relevant: dict[str, set[str]]) -> list[Row]:
    """Recall, wrong attachments and precision at every threshold."""
    rows = []
    n = len(present)
    for t in THRESHOLDS:
        right = sum(1 for q, f in present.items() if f.score >= t and f.doc_id in relevant[q])
        wrong = sum(1 for q, f in present.items() if f.score >= t and f.doc_id not in relevant[q])
        false = sum(1 for f in absent.values() if f.score >= t)
        attached = right + wrong + false
        rows.append(Row(t, right / n, wrong / n, false / len(absent), right / attached if attached else 1.0))
    return rows


def main() -> None:
    """Measure and print the table (and optionally every score as JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SAMPLE_KB)
    parser.add_argument("--out", type=Path, help="write every question's scores here as JSON")
    args = parser.parse_args()
    questions: dict[str, str] = {}
    relevant: dict[str, set[str]] = {}
    for queries, qrels in SETS:
        questions.update(load_queries(DATA / queries))
        relevant.update(load_qrels(DATA / qrels))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="helpline-threshold-") as tmp:
        found = measure(args.corpus, questions, relevant, Path(tmp))
    present, absent = found["present"], found["absent"]
    assert isinstance(present, dict) and isinstance(absent, dict)
    took = time.perf_counter() - started
    print(f"{len(present)} questions, {took:.0f} s; shipped threshold {DEFAULT_RULES.phrasing_score}")
    print("threshold  recall  wrong(present)  false attach(absent)  precision(1:1)")
    for row in sweep(present, absent, relevant):
        print(
            f"{row.threshold:9.2f}  {row.recall:6.3f}  {row.wrong_present:14.3f}  {row.false_attach:20.3f}  "
            f"{row.precision:14.3f}"
        )
    if args.out is not None:
        dump = {
            qid: {"relevant": sorted(relevant[qid]), "present": vars(present[qid]), "absent": vars(absent[qid])}
            for qid in sorted(present)
        }
        args.out.write_text(json.dumps(dump, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
