"""Which resolved tickets a lead reviews: every low-CSAT and every breached one, and a seeded sample of the rest.

The sample is drawn ticket by ticket from a hash of the seed and the ticket's number, so a ticket's place in it
never changes as other tickets resolve, and the same seed always draws the same tickets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence

from core.reviews.records import Candidate, QueueEntry, Reason, ReviewPolicy
from core.tickets.records import TicketEvent

_ORDER = {Reason.LOW_CSAT: 0, Reason.BREACHED: 1, Reason.SAMPLE: 2}


def drawn(seed: int, ticket: int, fraction: float) -> bool:
    """Whether the seeded draw picks ``ticket``: true for about ``fraction`` of all tickets."""
    digest = hashlib.sha256(f"{seed}:{ticket}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def reason_for(candidate: Candidate, policy: ReviewPolicy) -> Reason | None:
    """Why ``candidate`` belongs in the queue (the strongest reason), or None when it does not."""
    if candidate.csat is not None and candidate.csat <= policy.low_csat:
        return Reason.LOW_CSAT
    if candidate.breached:
        return Reason.BREACHED
    if drawn(policy.seed, candidate.ticket, policy.sample_fraction):
        return Reason.SAMPLE
    return None


def review_queue(candidates: Iterable[Candidate], reviewed: Collection[int], policy: ReviewPolicy) -> list[QueueEntry]:
    """The tickets to review, not yet reviewed: low-CSAT first, then breached, then the sample; oldest first."""
    found = []
    for candidate in candidates:
        if candidate.ticket in reviewed:
            continue
        reason = reason_for(candidate, policy)
        if reason is not None:
            found.append(QueueEntry(candidate, reason))
    return sorted(found, key=lambda e: (_ORDER[e.reason], e.candidate.ticket))


def handled_by(assignee: str | None, events: Sequence[TicketEvent]) -> str | None:
    """Who a resolved ticket is credited to: its holder when it was last resolved, else its assignee now.

    The holder is whoever claimed it or was assigned it last, or the first person to reply to it unassigned,
    as the reports credit agents (``core.analytics.cohort``).
    """
    holder: str | None = None
    credited: str | None = None
    for event in events:
        if (event.kind == "replied" and holder is None) or event.kind == "claimed":
            holder = event.actor
        elif event.kind == "assigned":  # "a → b": b holds it, "nobody" when unassigned
            after = event.detail.rpartition("→")[2].strip()
            holder = None if after in ("", "nobody") else after
        elif event.kind == "resolved":
            credited = holder
    return credited or assignee
