"""The GitHub side of feature requests followed by issues: the issue opened for a request, its 👍 read into
votes after every delivery about it (GitHub sends no event for a reaction), and a completed closing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bots.github.translate import Issue, IssueChanged, issue_message, quiet, request_prompt
from core.messages import GITHUB
from core.requests.tracker import CREATE_ISSUE, SYNC_REACTIONS, IssueJob, request_marker

if TYPE_CHECKING:
    from bots.github.client import GitHubApi
    from core.desk.pipeline import SupportDesk
    from core.job_drain import JobDrain
    from core.jobs import Job

KINDS = frozenset({CREATE_ISSUE, SYNC_REACTIONS})
COMPLETED = "completed"  # the state_reason of an issue closed as done (not "not_planned")


@dataclass
class RequestIssues:
    """Runs the request-issue jobs and follows deliveries about an issue that follows a request."""

    desk: SupportDesk
    jobs: JobDrain
    api: GitHubApi | None

    async def run(self, job: Job) -> None:
        """Open a request's issue, or read an issue's 👍 into its request's votes."""
        work = IssueJob.decode(job.payload)
        if self.api is None:
            return  # without GITHUB_TOKEN there is nothing to read or open
        if job.kind == SYNC_REACTIONS:
            await self.desk.issue_reactions(work.address, await self.api.plus_ones(work.repo, work.issue))
            return
        request = await self.desk.request_text(work.request)
        if request is None:
            return
        title, body = request
        # A retry after GitHub opened the issue but before the link was kept finds that issue, not a second one.
        found = await self.api.find_issue(work.repo, work.label, quiet(request_marker(work.request)))
        number, url = found or await self.api.open_issue(work.repo, quiet(title), quiet(body), work.label)
        done = IssueJob(work.request, work.repo, number, work.label, work.by)
        await self.desk.request_issue_created(done, url)
        await self.jobs.accept(f"created:{work.request}:{number}", SYNC_REACTIONS, done.encode(), str(done.address))

    async def offer(self, issue: Issue) -> str:
        """The comment offering to record an enhancement issue as a feature request, once per issue ("" after)."""
        if not await self.desk.first_delivery(GITHUB, f"request-offer:{issue.address}"):
            return ""
        if await self.desk.request_of_issue(issue.address) is not None:
            return ""  # it follows a request already
        return request_prompt(await self.desk.offer_request(issue_message(issue)))

    async def delivered(self, delivery: str, event: object, issue: Issue) -> None:
        """After a delivery about ``issue``: complete its request when closed as completed, and read its 👍."""
        if await self.desk.request_of_issue(issue.address) is None:
            return
        if isinstance(event, IssueChanged) and event.action == "closed" and issue.state_reason == COMPLETED:
            await self.desk.issue_completed(issue.address, f"{GITHUB}:{event.sender.login}")
        if self.api is not None:
            job = IssueJob(0, issue.repo.full_name, issue.number)
            await self.jobs.accept(f"{delivery}:reactions", SYNC_REACTIONS, job.encode(), str(issue.address))
