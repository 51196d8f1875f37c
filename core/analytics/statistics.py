"""The ``stats`` command: open tickets, first-response times and self-service, in a few lines."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from core.analytics.ports import Statistics
from core.tickets.records import Priority
from core.tiers import TierDirectory
from core.wording import span


async def stats_text(store: Statistics, tiers: TierDirectory, now: datetime) -> str:
    """Open tickets by tier and priority, median first response, share within SLA, self-service count."""
    counts = await store.open_counts()
    lines = ["Open tickets by tier and priority:"]
    names = [tier.name for tier in tiers.tiers] + sorted({tier for tier, _ in counts} - {t.name for t in tiers.tiers})
    for name in names:
        row = [f"{priority} {counts.get((name, priority), 0)}" for priority in Priority]
        total = sum(counts.get((name, priority), 0) for priority in Priority)
        lines.append(f"  {name}: {total} ({', '.join(row)})")
    responses = await store.first_responses()
    answered = [r.responded_at - r.created_at for r in responses if r.responded_at is not None]
    if answered:
        median = timedelta(seconds=statistics.median(delta.total_seconds() for delta in answered))
        lines.append(f"Median first response: {span(median)} over {len(answered)} ticket(s)")
    else:
        lines.append("Median first response: no first responses yet")
    # Tickets with a promise that were answered, plus those whose promise passed unanswered.
    judged = [r for r in responses if r.due is not None and (r.responded_at is not None or r.due < now)]
    met = [r for r in judged if r.responded_at is not None and r.due is not None and r.responded_at <= r.due]
    if judged:
        lines.append(f"First responses within SLA: {len(met) / len(judged):.0%} ({len(met)} of {len(judged)})")
    else:
        lines.append("First responses within SLA: nothing to measure yet")
    lines.append(f"Self-service resolutions: {await store.deflection_count()}")
    return "\n".join(lines)
