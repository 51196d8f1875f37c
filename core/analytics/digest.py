"""The weekly digest: once per period, across every worker, the week's numbers posted to the staff channel.

The period is the week before the scheduled moment (a weekday and local time in a zone). A worker pass
checks whether the latest period is claimed; if not it builds the report, renders the notice (headline,
chart, worst breaches, suggested actions) and claims the period with the notice in one transaction
(``DigestRuns.claim``). The escalation worker's outbox drain then sends it: a crash after the claim leaves
the notice queued for the next drain, never lost and never claimed twice. Only the latest period is posted;
a worker that was down over several weeks does not post a backlog.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from core.analytics.records import ReportQuery
from core.messages import Address, Attachment, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from core.analytics.ports import ChartImages
    from core.ports import Clock
    from core.stores import Stores

log = logging.getLogger("helpline.digest")
WEEK = timedelta(days=7)
WORST_BREACHES = 5
TOP_GAPS = 5


class WeeklyNumbers(Protocol):
    """The report of a period: its headline text (``headline_text``) and JSON document (``report_dict``)."""

    async def week(self, query: ReportQuery, now: datetime) -> tuple[str, dict[str, Any]]:
        """The headline lines and the document of ``query``'s period."""
        ...


@dataclass(frozen=True)
class DigestSchedule:
    """When the digest is posted (``weekday`` 0 = Monday, at ``at`` local time in ``zone``) and where."""

    weekday: int
    at: time
    zone: str
    channel: Address

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """The latest period due at ``now``: from the scheduled moment a week before the last one, to it (UTC).

        Both ends are local times in the zone, so across a daylight-saving change the week is 167 or 169 hours.
        """
        zone = ZoneInfo(self.zone)
        local = now.astimezone(zone)
        day = local.date() - timedelta(days=(local.weekday() - self.weekday) % 7)
        end = datetime.combine(day, self.at, zone)
        if end > local:
            day -= WEEK
            end = datetime.combine(day, self.at, zone)
        start = datetime.combine(day - WEEK, self.at, zone)
        return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def period_key(end: datetime) -> str:
    """The claim key of the period ending at ``end``."""
    return f"weekly:{end.astimezone(ZoneInfo('UTC')).strftime('%Y-%m-%dT%H:%MZ')}"


class DigestPoster:
    """Claims and queues the weekly digest once per period; run on every pass of the escalation worker."""

    def __init__(
        self,
        stores: Stores,
        schedule: DigestSchedule,
        numbers: WeeklyNumbers,
        charts: ChartImages | None,
        clock: Clock,
        owner: str,
    ) -> None:
        self._stores, self._schedule, self._numbers = stores, schedule, numbers
        self._charts, self._clock, self.owner = charts, clock, owner

    async def run_once(self) -> bool:
        """Queue the latest period's digest if nobody has; True if this worker claimed it."""
        now = self._clock.now()
        start, end = self._schedule.period(now)
        key = period_key(end)
        if await self._stores.digests.claimed(key):
            return False
        headline, doc = await self._numbers.week(ReportQuery(start, end), now)
        notice = Outbound(self._schedule.channel, digest_reply(start, end, headline, doc, self._chart(doc)))
        claimed = await self._stores.digests.claim(key, self.owner, now, [notice])
        if claimed:
            log.info("weekly digest %s queued for %s", key, self._schedule.channel)
        return claimed

    def _chart(self, doc: dict[str, Any]) -> bytes | None:
        if self._charts is None:
            return None
        try:
            return self._charts.digest_png(doc)
        except Exception:  # the numbers still go out; only the picture is missing
            log.exception("the digest chart could not be drawn; posting the digest without it")
            return None


def digest_reply(start: datetime, end: datetime, headline: str, doc: dict[str, Any], png: bytes | None) -> Reply:
    """The digest as a notice: the period, the headline, the worst breaches, the suggested actions, the chart."""
    last = end - timedelta(seconds=1)
    lines = [f"Weekly support digest, {start:%a %d %b %Y %H:%M} to {last:%a %d %b %Y %H:%M} UTC", headline]
    breaches = list(doc.get("sla", {}).get("breaches", []))[:WORST_BREACHES]
    if breaches:
        lines.append("Worst SLA breaches:")
        lines += [_breach_line(b) for b in breaches]
    else:
        lines.append("Worst SLA breaches: none this week")
    actions = [a for r in doc.get("recommendations", []) for a in r.get("actions", [])]
    if actions:
        lines.append("Suggested actions:")
        lines += [f"  - {action}" for action in actions]
    lines += _gap_lines(doc)
    if png is None:
        lines.append("(no chart this week: it could not be drawn)")
        return Reply(ReplyKind.INFO, "\n".join(lines))
    return Reply(ReplyKind.INFO, "\n".join(lines), attachments=(Attachment("digest.png", "image/png", png),))


def _breach_line(breach: dict[str, Any]) -> str:
    late = timedelta(seconds=round(float(breach.get("late_seconds", 0))))
    clock = str(breach.get("clock", "")).replace("_", " ")
    return f"  - ticket #{breach.get('ticket')} ({breach.get('tier')}, {breach.get('priority')}): {clock} {late} late"


def _gap_lines(doc: dict[str, Any]) -> list[str]:
    """The week's heaviest knowledge gaps not yet covered (none when the digest has no gap report)."""
    if "knowledge_gaps" not in doc:
        return []
    open_gaps = [g for g in doc["knowledge_gaps"] if not g.get("covered")][:TOP_GAPS]
    if not open_gaps:
        return ["Knowledge gaps: none this week"]
    lines = ["Knowledge gaps (questions the docs did not answer, heaviest first):"]
    for gap in open_gaps:
        asked = "; ".join(f"“{q}”" for q in gap.get("representatives", [])[:2])
        people = gap.get("people")
        who = f"{people} person" if people == 1 else f"{people} people"
        lines.append(f"  - {gap.get('size')} questions from {who} (weight {gap.get('weight')}): {asked}")
    return lines
