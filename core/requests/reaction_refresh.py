"""The scheduled re-read of linked issues' 👍: GitHub sends no event for a reaction, so on the escalation worker's
pass, once an interval, every linked issue of a request still open to votes gets a reaction-reading job.

The job's key names the request and the interval (``refresh:12:494012``), so however many workers run the pass,
each issue is read once an interval; the GitHub bot runs the jobs with its rate limits, as every GitHub call.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.jobs import NewJob
from core.messages import GITHUB
from core.requests.matching import OPEN_TO_VOTES
from core.requests.tracker import SYNC_REACTIONS, IssueJob
from core.retention import Periodic

if TYPE_CHECKING:
    from core.ports import Clock
    from core.stores import Stores

log = logging.getLogger("helpline.requests")

MOST_LINKS = 2000  # the issues read in one interval at most; beyond, the first by request number


class ReactionRefresh(Periodic):
    """Queues a 👍 re-read of every linked open request's issue, once every ``every``."""

    def __init__(self, stores: Stores, clock: Clock, every: timedelta, most: int = MOST_LINKS) -> None:
        super().__init__(clock, every)
        self._stores, self._interval, self._most = stores, every, most

    async def work(self, now: datetime) -> int:
        """Queue the reads of this interval; how many this worker queued (another worker's are not counted)."""
        bucket = int(now.timestamp() // self._interval.total_seconds())
        queued = 0
        for link in await self._stores.request_issues.linked(self._most):
            request = await self._stores.feature_requests.get(link.request)
            if request is None or request.status not in OPEN_TO_VOTES:
                continue  # completed, declined or merged: its votes no longer move
            issue = link.issue
            job = IssueJob(link.request, f"{issue.workspace}/{issue.channel}", int(issue.thread))
            new = NewJob(GITHUB, f"refresh:{link.request}:{bucket}", SYNC_REACTIONS, job.encode(), now, str(issue))
            queued += await self._stores.jobs.enqueue(new, now)
        if queued:
            log.info("%d linked issue(s) queued for a 👍 re-read", queued)
        return queued
