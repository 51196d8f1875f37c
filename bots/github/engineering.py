"""The GitHub side of escalations to engineering: the issue opened with the package, and what happens on it.

An engineering issue is not a support conversation: its comments become notes on the ticket it follows, its
closing hands the ticket back to support, and it is never triaged as a new ticket (the bot opened it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bots.github.translate import Commented, Issue, IssueChanged, from_helpline, quiet
from core.engineering.records import ENGINEERING_ISSUE, EngineeringJob, ticket_marker

if TYPE_CHECKING:
    from bots.github.client import GitHubApi
    from core.desk.pipeline import SupportDesk
    from core.jobs import Job

KINDS = frozenset({ENGINEERING_ISSUE})


@dataclass
class EngineeringIssues:
    """Opens tickets' engineering issues and follows deliveries about them."""

    desk: SupportDesk
    api: GitHubApi | None

    async def run(self, job: Job) -> None:
        """Open (or find again, after a retry) the ticket's issue, then link it."""
        work = EngineeringJob.decode(job.payload)
        if self.api is None:
            return  # without GITHUB_TOKEN nothing can be opened
        package = await self.desk.engineering.package(work.ticket)
        if package is None:
            return
        title, body = package
        found = await self.api.find_issue(work.repo, work.label, quiet(ticket_marker(work.ticket)))
        number, url = found or await self.api.open_issue(work.repo, quiet(title), quiet(body), work.label)
        await self.desk.engineering.opened(work, number, url)

    async def delivered(self, event: object, issue: Issue, ignored: bool) -> bool:
        """Handle a delivery about an engineering issue; False when ``issue`` follows no ticket."""
        engineering = self.desk.engineering
        if isinstance(event, Commented):
            if ignored or from_helpline(event.body):
                return await engineering.linked(issue.address)
            return await engineering.commented(issue.address, event.author.login, event.body)
        if isinstance(event, IssueChanged) and event.action == "closed":
            return await engineering.closed(issue.address, event.sender.login, issue.state_reason or "")
        if isinstance(event, IssueChanged) and event.action == "reopened":
            return await engineering.reopened(issue.address)
        return await engineering.linked(issue.address)
