"""Escalation to engineering at the desk: ``escalate N engineering`` hands the ticket over as a GitHub issue.

The GitHub bot opens the issue from a job (``ENGINEERING_ISSUE``), so rate limits are waited out and a retry finds
the issue it opened (its marker line) instead of opening another. Linked both ways: engineering's comments on the
issue join the ticket as internal notes, and the issue's closing hands the ticket back to support (open again,
waiting for a person) and tells the customer once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.engineering.package import Impact, issue_body, issue_title
from core.engineering.records import ENGINEERING_ISSUE, EngineeringJob, EngineeringLink, issue_address
from core.jobs import NewJob
from core.messages import GITHUB, Outbound, Reply, ReplyKind
from core.tickets.records import ConversationMessage, Role, TicketChange, TicketEvent, TicketStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.desk.context import Desk
    from core.messages import Address, Inbound
    from core.tickets.records import Escalation, Ticket


class EngineeringDesk:
    """Hands tickets to engineering and follows their issues back."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def escalate(self, message: Inbound, ticket: Ticket) -> Reply:
        """Queue the issue for ``ticket`` in the engineering repository; refused without one."""
        return await self.hand_over(actor_of(message), ticket)

    async def reached(self, escalations: Sequence[Escalation]) -> int:
        """The SLA worker's escalations: a chain level marked ``engineering`` hands its ticket over; how many."""
        d, done = self.desk, 0
        for escalation in escalations:
            ticket = await d.stores.tickets.get(escalation.ticket)
            if ticket is None or not d.engineering.repo:
                continue
            try:
                chain = d.tiers.get(ticket.tier).sla.chain
            except KeyError:
                continue
            level = chain[escalation.level - 1] if 0 < escalation.level <= len(chain) else None
            if level is not None and level.engineering:
                done += (await self.hand_over(f"helpline:sla level {level.name}", ticket)).kind is ReplyKind.INFO
        return done

    async def hand_over(self, actor: str, ticket: Ticket) -> Reply:
        """Queue ``ticket``'s issue on behalf of ``actor``."""
        d, number = self.desk, ticket.number
        policy = d.engineering
        if not policy.repo:
            return Reply(ReplyKind.ERROR, "Escalating to engineering needs a repository: set routing.engineering_repo "
                         "(owner/name) in the settings.", ticket=number)  # fmt: skip
        linked = await d.stores.engineering.of_ticket(number)
        if linked is not None:
            return Reply(ReplyKind.INFO, f"Ticket #{number} is with engineering already: {linked.url}", ticket=number)
        now = d.clock.now()
        job = EngineeringJob(number, policy.repo, policy.label, actor)
        if not await d.stores.jobs.enqueue(NewJob(GITHUB, f"engineering:{number}", ENGINEERING_ISSUE,
                                                  job.encode(), now, ""), now):  # fmt: skip
            return Reply(
                ReplyKind.INFO, f"Ticket #{number}'s engineering issue is being opened already.", ticket=number
            )
        event = TicketEvent(number, now, actor, "escalated", f"to engineering ({policy.repo})")
        await d.stores.tickets.add_event(event)
        text = (f"Ticket #{number} goes to engineering: an issue with its summary, customer impact, notes and the "
                f"customer's words will be opened in {policy.repo}.")  # fmt: skip
        return Reply(ReplyKind.INFO, text, ticket=number)

    async def package(self, number: int) -> tuple[str, str] | None:
        """The title and body of ticket ``number``'s issue (None when the ticket is gone)."""
        d = self.desk
        ticket = await d.stores.tickets.get(number)
        if ticket is None:
            return None
        account = await d.stores.customers.get(ticket.customer)
        incidents = await d.stores.incidents.of_ticket(number)
        linked = max((len(i.tickets) for i in incidents), default=1)
        impact = Impact(account.name if account is not None else ticket.customer, ticket.tier, linked)
        return issue_title(ticket), issue_body(ticket, impact, await d.stores.conversations.messages(number))

    async def opened(self, job: EngineeringJob, number: int, url: str) -> bool:
        """The bot opened (or found) the issue: link it to the ticket and say so on the ticket's log."""
        d = self.desk
        now = d.clock.now()
        link = EngineeringLink(job.ticket, issue_address(job.repo, number), url, job.by, now)
        if not await d.stores.engineering.link(link):
            return False
        await d.stores.tickets.add_event(TicketEvent(job.ticket, now, job.by, "engineering_issue", url))
        return True

    async def commented(self, issue: Address, login: str, body: str) -> bool:
        """An engineer's comment on a linked issue joins its ticket as an internal note; False if not linked."""
        d = self.desk
        link = await d.stores.engineering.of_issue(issue)
        if link is None:
            return False
        ticket = await d.stores.tickets.get(link.ticket)
        if ticket is None:
            return True
        now, actor = d.clock.now(), f"{GITHUB}:{login}"
        text = f"Engineering ({login} on {link.url}): {body.strip()}"
        kept = ConversationMessage(ticket.address, login, login, Role.NOTE, text, now, ticket=ticket.number)
        await d.stores.tickets.update(
            ticket.number, TicketChange(), TicketEvent(ticket.number, now, actor, "note"), kept
        )
        return True

    async def closed(self, issue: Address, login: str, reason: str) -> bool:
        """The linked issue was closed: the ticket is open for support again and its customer is told, once."""
        d = self.desk
        link = await d.stores.engineering.of_issue(issue)
        if link is None:
            return False
        now = d.clock.now()
        ticket = await d.stores.tickets.get(link.ticket)
        if ticket is None or not await d.stores.engineering.closed(issue, now):
            return True
        done = "fixed" if reason == "completed" else "closed"
        event = TicketEvent(
            ticket.number, now, f"{GITHUB}:{login}", "engineering_closed", f"{link.url} ({reason or 'closed'})"
        )
        status = TicketStatus.OPEN if ticket.status.active else None
        await d.stores.tickets.update(ticket.number, TicketChange(status=status), event)
        if ticket.status.active:
            text = (f"Update on ticket #{ticket.number}: our engineers have {done} the problem they were working on "
                    "for you. Support will confirm with you shortly; reply here if it still happens.")  # fmt: skip
            await d.notifier.send(Outbound(ticket.address, Reply(ReplyKind.INFO, text, ticket=ticket.number)))
        return True

    async def linked(self, issue: Address) -> bool:
        """Whether the issue at ``issue`` follows a ticket."""
        return await self.desk.stores.engineering.of_issue(issue) is not None

    async def reopened(self, issue: Address) -> bool:
        """The linked issue is open again; False if not linked."""
        if await self.desk.stores.engineering.of_issue(issue) is None:
            return False
        await self.desk.stores.engineering.reopened(issue)
        return True
