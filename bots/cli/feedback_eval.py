"""The retrieval eval with simulated feedback: half the queries vote on the answer they got, the other half are
ranked with and without the re-rank those votes drive (``helpline eval retrieval --feedback``)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.knowledge.ranking import DEFAULT_BOOSTS, NO_BOOSTS, Boosts, rerank, scores_for_question
from core.knowledge.records import PassageVote, Vote
from core.messages import Address
from core.understanding.evaluation import score_retrieval

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from core.ports import SearchHit

NOW = datetime(2026, 1, 1, tzinfo=UTC)  # every simulated vote is cast now: recency at its largest
# The boosts tried: the specification's starting point, and tighter and looser bounds on how far a boost lifts.
CANDIDATES: tuple[tuple[str, Boosts], ...] = (
    ("none", NO_BOOSTS),
    ("spec (default)", DEFAULT_BOOSTS),
    ("lift 0.02", replace(DEFAULT_BOOSTS, max_lift=0.02)),
    ("lift 0.10", replace(DEFAULT_BOOSTS, max_lift=0.10)),
    ("unbounded", replace(DEFAULT_BOOSTS, max_lift=1.0)),
    ("any question (overlap 0)", replace(DEFAULT_BOOSTS, min_overlap=0.0)),
    ("overlap 0.5", replace(DEFAULT_BOOSTS, min_overlap=0.5)),
)


def documents(hits: Sequence[SearchHit]) -> list[str]:
    """The first ten distinct articles of ``hits`` (several passages of one article count once)."""
    docs: list[str] = []
    for hit in hits:
        if hit.chunk.doc_id not in docs:
            docs.append(hit.chunk.doc_id)
    return docs[:10]


def is_voter(query_id: str) -> bool:
    """A stable half of the queries: these vote, the others are scored."""
    return hashlib.sha256(query_id.encode()).digest()[0] % 2 == 0


def simulated_votes(
    hits: Mapping[str, Sequence[SearchHit]],
    relevant: Mapping[str, set[str]],
    queries: Mapping[str, str],
    voters: Sequence[str],
) -> list[PassageVote]:
    """Each voter's vote on the passage it was answered with: helpful when it is from a relevant article."""
    votes = []
    for qid in voters:
        if not hits.get(qid) or not relevant.get(qid):
            continue
        top = hits[qid][0].chunk
        vote = Vote.HELPFUL if top.doc_id in relevant[qid] else Vote.NOT_HELPFUL
        thread = Address("eval", "", "", qid)
        votes.append(PassageVote(thread, top.chunk_id, top.link, top.title, queries[qid], vote, NOW))
    return votes


def feedback_lines(
    hits: Mapping[str, Sequence[SearchHit]], relevant: Mapping[str, set[str]], queries: Mapping[str, str]
) -> list[str]:
    """What the eval prints: the votes cast, then MRR@10 and recall on the scored half under each boost setting."""
    voters = [qid for qid in hits if is_voter(qid)]
    askers = {qid: relevant[qid] for qid in hits if not is_voter(qid) and relevant.get(qid)}
    votes = simulated_votes(hits, relevant, queries, voters)
    helpful = sum(v.vote is Vote.HELPFUL for v in votes)
    lines = [
        f"feedback: {len(voters)} queries voted ({helpful} helpful, {len(votes) - helpful} not helpful); "
        f"{len(askers)} other queries scored"
    ]
    for name, boosts in CANDIDATES:
        ranked = {}
        for qid in askers:
            scores = scores_for_question(votes, queries[qid], boosts)
            ranked[qid] = documents(rerank(hits[qid], scores, NOW, boosts))
        lines.append(f"feedback {name}: {score_retrieval(ranked, askers).summary()}")
    return lines
