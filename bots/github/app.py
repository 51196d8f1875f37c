"""The GitHub bot: what each queued delivery means for the core, and the calls that follow on GitHub."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bots.github import engineering
from bots.github.actions import IssueActions, Op, Step
from bots.github.client import TRIAGE_ROLES, WRITE_ROLES, RateLimited
from bots.github.requests import KINDS, RequestIssues
from bots.github.translate import (
    ANSWERED_COMMANDS,
    COMMAND_USAGE,
    Commented,
    IssueChanged,
    acknowledgement_comment,
    command_in,
    comment_command,
    comment_message,
    core_command,
    from_helpline,
    issue_message,
    marked,
    quiet,
    rate_command,
    read_event,
    request_choice,
)
from core.desk.issues import IssueKind
from core.job_drain import Postpone
from core.messages import GITHUB, Action, Author, ChoiceMessage, ReplyKind
from core.tickets.records import Priority, TicketStatus

if TYPE_CHECKING:
    from bots.github.client import GitHubApi
    from config.settings import GitHubLabels, GitHubSettings
    from core.desk.issues import Triage
    from core.desk.pipeline import SupportDesk
    from core.job_drain import JobDrain
    from core.jobs import Job

log = logging.getLogger("helpline.github")

QUEUE = GITHUB
WEBHOOK = "webhook"
ACTIONS = "actions"
REFUSAL = "Only people with triage access (or more) to this repository can run Helpline commands; nothing was changed."
NO_TICKET = "This issue has no Helpline ticket, so there is nothing for that command to act on."


class Deferred(Postpone):
    """A job that must wait for GitHub's rate limit, with what is left of it in ``payload`` (None: all of it)."""

    def __init__(self, limited: RateLimited, payload: bytes | None = None) -> None:
        super().__init__(limited.retry_at, payload, str(limited))


def delivery_payload(event: str, body: str) -> bytes:
    """The payload of a queued delivery: the event name and GitHub's body, unchanged."""
    return json.dumps({"event": event, "body": body}).encode("utf-8")


def labels_for(triage: Triage, labels: GitHubLabels) -> tuple[str, ...]:
    """Type, priority and status labels for a triaged issue, by their configured names."""
    kinds = {
        IssueKind.BUG: labels.bug,
        IssueKind.ENHANCEMENT: labels.enhancement,
        IssueKind.QUESTION: labels.question,
        IssueKind.DOCUMENTATION: labels.documentation,
    }
    priorities = {
        Priority.CRITICAL: labels.critical,
        Priority.HIGH: labels.high,
        Priority.MEDIUM: labels.medium,
        Priority.LOW: labels.low,
    }
    return kinds[triage.kind], priorities[triage.priority], labels.needs_triage


@dataclass
class GitHubBot:
    """Runs queued GitHub jobs: deliveries into the core, actions out to GitHub."""

    desk: SupportDesk
    jobs: JobDrain  # the ``github`` queue's drain, which runs ``run``
    settings: GitHubSettings
    api: GitHubApi | None  # None without GITHUB_TOKEN: the bot listens and keeps tickets, but cannot post
    requests: RequestIssues = field(init=False)  # feature requests followed by issues
    engineering: engineering.EngineeringIssues = field(init=False)  # tickets escalated to engineering

    def __post_init__(self) -> None:
        self.requests = RequestIssues(self.desk, self.jobs, self.api)
        self.engineering = engineering.EngineeringIssues(self.desk, self.api)

    @property
    def can_act(self) -> bool:
        """True when the bot can call GitHub."""
        return self.api is not None

    async def run(self, job: Job) -> None:
        """Do one job; ``Deferred`` when GitHub asked to wait, any other error to be retried."""
        if job.kind == ACTIONS:
            await self._perform(IssueActions.decode(job.payload))
            return
        try:
            if job.kind in KINDS:
                await self.requests.run(job)
                return
            if job.kind in engineering.KINDS:
                await self.engineering.run(job)
                return
            data = json.loads(job.payload)
            event = read_event(data["event"], json.loads(data["body"]))
            if isinstance(event, IssueChanged | Commented) and await self._engineering(event):
                return  # an engineering issue: its comments and closing concern the ticket it follows
            if isinstance(event, IssueChanged):
                await self._issue_changed(job.key, event)
            elif isinstance(event, Commented):
                await self._commented(job.key, event)
            if isinstance(event, IssueChanged | Commented):
                await self.requests.delivered(job.key, event, event.issue)
        except RateLimited as limited:
            raise Deferred(limited) from None

    async def queue_actions(self, key: str, actions: IssueActions) -> None:
        """Store actions to take on GitHub as a job; the same key is queued once."""
        if not actions.steps or self.api is None:
            return
        await self.jobs.accept(key, ACTIONS, actions.encode())

    async def resolved(self, number: int | None) -> bool:
        """True if ticket ``number`` exists and is resolved."""
        ticket = await self.desk.ticket(number) if number is not None else None
        return ticket is not None and not ticket.status.active

    async def _perform(self, actions: IssueActions) -> None:
        assert self.api is not None, "actions are only queued when the bot can act"
        for done, step in enumerate(actions.steps):
            try:
                await self._step(actions.repo, actions.number, step)
            except RateLimited as limited:
                raise Deferred(limited, actions.rest(done).encode()) from None

    async def _step(self, repo: str, number: int, step: Step) -> None:
        assert self.api is not None
        if step.op is Op.LABELS:
            await self.api.add_labels(repo, number, list(step.labels))
        elif step.op is Op.UNLABEL:
            for label in step.labels:
                await self.api.remove_label(repo, number, label)
        elif step.op is Op.COMMENT:
            await self.api.comment(repo, number, marked(step.body))
        elif step.op is Op.CLOSE:
            await self.api.close(repo, number)
        elif step.op is Op.REOPEN:
            await self.api.reopen(repo, number)
        else:
            await self.api.react(repo, number, step.comment_id)

    async def _engineering(self, event: IssueChanged | Commented) -> bool:
        who = event.author if isinstance(event, Commented) else event.sender
        return await self.engineering.delivered(event, event.issue, self._ignored(who.login, who.bot))

    def _ignored(self, login: str, bot: bool) -> bool:
        """Bots (this one above all) are never read as customers or staff: that way lie reply loops."""
        own = self.settings.bot_login.strip().lower()
        return bot or (bool(own) and login.lower() == own)

    async def _issue_changed(self, delivery: str, event: IssueChanged) -> None:
        issue, desk = event.issue, self.desk
        actor = f"{GITHUB}:{event.sender.login}"
        if event.action == "closed":
            await desk.issue_closed(issue.address, actor, f"issue closed on GitHub by {event.sender.login}")
        elif event.action == "reopened":
            await desk.issue_reopened(issue.address, actor, f"issue reopened on GitHub by {event.sender.login}")
        elif event.action == "labeled":  # labelled an enhancement by a person: offer to record it as a request
            await self._enhancement(delivery, event)
        elif not issue.pull_request and not self._ignored(issue.author.login, issue.author.bot):
            triage = await desk.triage_issue(issue_message(issue), issue.title)
            comment = acknowledgement_comment(triage.acknowledgement, triage.answer)
            if triage.kind is IssueKind.ENHANCEMENT and triage.opened:
                offer = await self.requests.offer(issue)
                comment += f"\n\n{offer}" if offer else ""
            steps = [Step(Op.LABELS, labels=labels_for(triage, self.settings.labels)), Step(Op.COMMENT, body=comment)]
            await self.queue_actions(
                f"{delivery}:triage", IssueActions(issue.repo.full_name, issue.number, tuple(steps))
            )

    async def _enhancement(self, delivery: str, event: IssueChanged) -> None:
        issue = event.issue
        wanted = event.label == self.settings.labels.enhancement and not issue.pull_request
        if not wanted or self._ignored(event.sender.login, event.sender.bot):
            return
        offer = await self.requests.offer(issue)
        if offer:
            steps = (Step(Op.COMMENT, body=offer),)
            await self.queue_actions(f"{delivery}:offer", IssueActions(issue.repo.full_name, issue.number, steps))

    async def _commented(self, delivery: str, event: Commented) -> None:
        issue = event.issue
        if issue.pull_request or from_helpline(event.body) or self._ignored(event.author.login, event.author.bot):
            return
        picked = request_choice(event.body)
        if picked is not None:  # a feature-request choice: anyone's own, no role needed
            await self._request_choice(delivery, event, *picked)
            return
        words = command_in(event.body)
        rating = rate_command(event.body)
        if rating is not None:  # a survey answer: the customer's own, no role needed
            await self._rate(delivery, event, rating)
            return
        if words is not None:
            await self._command(delivery, event, words)
            return
        ticket = await self.desk.latest_ticket(issue.address)
        author = event.author.login.lower() == issue.author.login.lower()
        if ticket is None or not (ticket.status.active or (author and ticket.status is TicketStatus.RESOLVED)):
            return  # no ticket, or a finished one: only its author's comment (which reopens it) matters
        roles = frozenset() if author else await self._roles(issue.repo.full_name, event.author.login, WRITE_ROLES)
        await self.desk.handle(comment_message(event, roles))
        if roles:  # a maintainer answered: the issue is no longer waiting for triage
            await self.queue_actions(f"{delivery}:triaged", self._triaged(event))
        elif author and issue.closed and not ticket.status.active:
            # The resolution notice says "just reply here": the author did, the ticket reopened, so does the issue.
            await self.queue_actions(f"{delivery}:reopen", _on(event, Step(Op.REOPEN)))

    async def _command(self, delivery: str, event: Commented, words: str) -> None:
        issue = event.issue
        roles = await self._roles(issue.repo.full_name, event.author.login, TRIAGE_ROLES)
        ticket = await self.desk.latest_ticket(issue.address)
        text = core_command(words, ticket.number) if ticket is not None else None
        done = False  # the command ran without an error
        if not roles:
            if not await self._first_refusal(issue.repo.full_name, issue.number, event.author.login):
                return  # told once today already; repeating it would let anyone make the bot spam the issue
            answer: str | None = REFUSAL
        elif ticket is None:
            answer = NO_TICKET
        elif text is None:
            answer = f"That is not a Helpline command for issues. Try: {COMMAND_USAGE}"
        elif not await self.desk.first_delivery(GITHUB, f"command:{event.comment_id}"):
            return  # this very comment's command already ran (a retried job)
        else:
            replies = await self.desk.handle(comment_command(event, roles, text))
            errors = [reply.text for reply in replies if reply.kind is ReplyKind.ERROR]
            news = [reply.text for reply in replies] if text.split()[0] in ANSWERED_COMMANDS else []
            done, answer = not errors, "\n".join(errors or news) or None
        if answer:
            await self.queue_actions(f"{delivery}:reply", _on(event, Step(Op.COMMENT, body=quiet(answer))))
        else:  # done: say so quietly
            await self.queue_actions(f"{delivery}:reply", _on(event, Step(Op.REACT, comment_id=event.comment_id)))
        if done:  # a person has now triaged the issue
            await self.queue_actions(f"{delivery}:triaged", self._triaged(event))

    async def _rate(self, delivery: str, event: Commented, text: str) -> None:
        """``/helpline rate N [comment]``: the core's rate command; a thumbs-up when kept, else its answer."""
        if not await self.desk.first_delivery(GITHUB, f"command:{event.comment_id}"):
            return  # this very comment was already handled (a retried job)
        replies = await self.desk.handle(comment_command(event, frozenset(), text))
        errors = [reply.text for reply in replies if reply.kind is ReplyKind.ERROR]
        step = (
            Step(Op.COMMENT, body=quiet("\n".join(errors))) if errors else Step(Op.REACT, comment_id=event.comment_id)
        )
        await self.queue_actions(f"{delivery}:reply", _on(event, step))

    async def _request_choice(self, delivery: str, event: Commented, action: Action, number: int) -> None:
        """``/helpline record N``, ``vote N``, ``unvote N``: the choice picked; a recording's answer is posted."""
        if not await self.desk.first_delivery(GITHUB, f"command:{event.comment_id}"):
            return  # this very comment was already handled (a retried job)
        author = Author(event.author.login, event.author.login)
        picked = ChoiceMessage(event.issue.address, author, action, number, f"comment:{event.comment_id}")
        replies = await self.desk.handle(picked)
        errors = [reply.text for reply in replies if reply.kind is ReplyKind.ERROR]
        said = errors or ([reply.text for reply in replies] if action is Action.FILE_REQUEST else [])
        step = Step(Op.COMMENT, body=quiet("\n".join(said))) if said else Step(Op.REACT, comment_id=event.comment_id)
        await self.queue_actions(f"{delivery}:reply", _on(event, step))

    def _triaged(self, event: Commented) -> IssueActions:
        return _on(event, Step(Op.UNLABEL, labels=(self.settings.labels.needs_triage,)))

    async def _first_refusal(self, repo: str, number: int, login: str) -> bool:
        """True the first time today that ``login`` is refused a command on this issue."""
        return await self.desk.first_delivery(GITHUB, f"refused:{repo}#{number}:{login.lower()}", daily=True)

    async def _roles(self, repo: str, login: str, wanted: frozenset[str]) -> frozenset[str]:
        """The desk's moderator roles if ``login``'s role on ``repo`` is one of ``wanted``, else none."""
        if self.api is None:
            return frozenset()
        role = await self.api.role(repo, login)
        return self.desk.moderator_roles if role in wanted else frozenset()


def _on(event: Commented, *steps: Step) -> IssueActions:
    """Steps on the issue a comment was made on."""
    return IssueActions(event.issue.repo.full_name, event.issue.number, steps)
