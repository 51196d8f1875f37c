"""What ``/metrics`` shows from the database: one snapshot of counts read at scrape time."""

from __future__ import annotations

from dataclasses import dataclass, field

# Upper bounds (seconds) of the first-response histogram: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 1 d, 3 d.
FIRST_RESPONSE_BUCKETS: tuple[float, ...] = (60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200)


@dataclass(frozen=True)
class ResponseHistogram:
    """First responses: the count at or under each bound of ``FIRST_RESPONSE_BUCKETS``, the total and the sum."""

    buckets: tuple[int, ...] = (0,) * len(FIRST_RESPONSE_BUCKETS)
    count: int = 0
    total_seconds: float = 0.0

    @staticmethod
    def of(seconds: list[float]) -> ResponseHistogram:
        """The histogram of these first-response times (cumulative, as Prometheus counts them)."""
        buckets = tuple(sum(1 for s in seconds if s <= bound) for bound in FIRST_RESPONSE_BUCKETS)
        return ResponseHistogram(buckets, len(seconds), float(sum(seconds)))


@dataclass(frozen=True)
class MetricsSnapshot:
    """Every database figure ``/metrics`` shows; the same in every process that reads the same database.

    ``csat_responses`` is None when the store has no survey table yet (older schema).
    """

    tickets_opened: dict[tuple[str, str], int] = field(default_factory=dict)  # (tier, priority) -> tickets ever
    tickets_open: dict[tuple[str, str], int] = field(default_factory=dict)  # (tier, priority) -> active now
    messages: dict[str, int] = field(default_factory=dict)  # role (customer, bot, agent...) -> messages kept
    first_response: ResponseHistogram = field(default_factory=ResponseHistogram)
    breaches: dict[str, int] = field(default_factory=dict)  # "first_response" | "resolution" -> tickets past due
    escalations: dict[str, int] = field(default_factory=dict)  # deadline -> escalations at level 1 or more
    csat_responses: int | None = None
    jobs_pending: dict[str, int] = field(default_factory=dict)  # queue -> pending jobs
    outbox_unsent: int = 0
