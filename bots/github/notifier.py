"""Messages the core sends to a GitHub issue (support replies, resolution notices), queued as actions."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from bots.github.actions import IssueActions, Op, Step
from bots.github.translate import issue_of, reply_comment
from core.errors import HelplineError
from core.messages import GITHUB, ReplyKind

if TYPE_CHECKING:
    from bots.github.app import GitHubBot
    from core.messages import Outbound


class GitHubNotifier:
    """Posts core messages on their issue through the job queue, so a rate limit delays them, never drops them."""

    def __init__(self, bot: GitHubBot) -> None:
        self._bot = bot

    async def send(self, outbound: Outbound) -> None:
        """Queue a comment on the issue (and its closing, when a resolved ticket should close it)."""
        target = issue_of(outbound.address)
        if target is None:
            raise HelplineError(f"{outbound.address} is not a GitHub issue (github:owner/repo/number)")
        if not self._bot.can_act:
            raise HelplineError("neither GITHUB_TOKEN nor a GitHub App is set, so nothing can be posted on GitHub")
        steps = [Step(Op.COMMENT, body=reply_comment(outbound.reply))]
        # A survey follows a resolution (maybe the issue's own close): it never closes, nor re-closes, the issue.
        survey = outbound.reply.kind is ReplyKind.SURVEY
        if self._bot.settings.close_on_resolve and not survey and await self._bot.resolved(outbound.reply.ticket):
            steps.append(Step(Op.CLOSE))
        await self._bot.queue_actions(f"out:{uuid.uuid4().hex}", IssueActions(*target, tuple(steps)))


class EscalationLabeller:
    """Watches every delivered message; an escalation about a GitHub issue puts the escalated label on it."""

    def __init__(self, bot: GitHubBot) -> None:
        self._bot = bot

    async def send(self, outbound: Outbound) -> None:
        """Queue the label when ``outbound`` escalates a ticket that lives on a GitHub issue."""
        reply = outbound.reply
        if reply.kind is not ReplyKind.ESCALATION or reply.origin is None or reply.origin.platform != GITHUB:
            return
        target = issue_of(reply.origin)
        if target is None or not self._bot.can_act:
            return
        steps = (Step(Op.LABELS, labels=(self._bot.settings.labels.escalated,)),)
        await self._bot.queue_actions(f"esc:{uuid.uuid4().hex}", IssueActions(*target, steps))
