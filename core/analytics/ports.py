"""The read model behind the support lead's numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from core.analytics.gauges import MetricsSnapshot
    from core.analytics.records import AnswerRecord, ReportQuery, TicketHistory, TicketLog
    from core.messages import Address, Outbound


class Statistics(Protocol):
    """The self-service resolutions: the standing helpful votes the report's self-service figures read."""

    async def record_deflection(
        self, address: Address, question: str, url: str, at: datetime, *, answer: str | None = None
    ) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction, once per ``answer``.

        ``answer`` names the answer voted on within its thread; a second vote for it changes nothing.
        """
        ...

    async def withdraw_deflection(self, address: Address, answer: str) -> None:
        """The customer's latest vote says ``answer`` did not help: it no longer counts (if it did)."""
        ...


class ReportSource(Protocol):
    """The read model reports are computed from, read in batches so a large period never sits in memory twice."""

    def histories(self, query: ReportQuery, *, batch: int = 1000) -> AsyncIterator[list[TicketHistory]]:
        """The tickets that matter to the period, with their logs, in batches of at most ``batch``, by number.

        That is every ticket matching the filters opened before ``query.end`` that is active now or has an
        event at or after ``query.start`` (so tickets opened earlier but open during the period are there).
        """
        ...

    async def answers(self, query: ReportQuery) -> list[AnswerRecord]:
        """The bot's knowledge-base answers given in the period (only ``query.platform`` narrows them)."""
        ...


@runtime_checkable
class TicketLogSource(Protocol):
    """A read model that can also hand out its tickets as light logs, sparing whole tickets (the SQL one can)."""

    def ticket_logs(self, query: ReportQuery, *, batch: int = 5000) -> AsyncIterator[list[TicketLog]]:
        """The tickets ``ReportSource.histories`` hands out, as ``TicketLog``s, in batches by number."""
        ...


class MetricsSource(Protocol):
    """The database's figures for ``/metrics``, read with a few aggregate queries at scrape time."""

    async def snapshot(self, now: datetime) -> MetricsSnapshot:
        """Counts as of ``now`` (a deadline before ``now`` that was not met is a breach)."""
        ...


class DigestRuns(Protocol):
    """Which digest periods were posted: one claim per period across every worker, with its notices."""

    async def claimed(self, period_key: str) -> bool:
        """Whether some worker already claimed the period (a cheap check before building its report)."""
        ...

    async def claim(self, period_key: str, owner: str, now: datetime, notices: Sequence[Outbound] = ()) -> bool:
        """Claim the period and queue ``notices`` in the outbox, in one transaction; False if already claimed.

        A unique key on the period makes a second claim fail, so two workers never both post it; the notices
        are committed with the claim, so a crash after it leaves them for the outbox drain to send.
        """
        ...


class ChartImages(Protocol):
    """Draws the digest's chart (``bots.reports.charts.digest_png``) from the report's JSON document."""

    def digest_png(self, doc: dict[str, Any]) -> bytes:
        """A PNG of the week's volume and first-response times."""
        ...
