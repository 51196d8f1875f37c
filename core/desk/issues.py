"""Issues from a public tracker (GitHub): triage a new one into a ticket, and keep the ticket in step.

An issue is always a ticket: unlike a chat question, it is a report someone filed and expects a
person to read. The knowledge base may still answer it at once; the ticket stays open until the
issue is closed or a moderator resolves it.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.desk.conversation import BOT_ID
from core.desk.drafts import TicketDrafts
from core.desk.opening import SUBJECT_CHARS, ticket_draft
from core.desk.people import membership
from core.desk.surveys import SurveyDesk
from core.messages import Citation, Reply, ReplyKind, bounded_files
from core.tickets.records import ConversationMessage, Priority, Role, TicketChange, TicketEvent, TicketStatus, raw_bytes
from core.wording import extract, promise

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Address, IncomingMessage
    from core.tickets.records import Ticket
    from core.tiers import Tier
    from core.understanding.understander import Understanding

# Categories (from intents.yaml) that describe something broken.
_BROKEN = frozenset({"bug", "incident", "security", "performance"})
# Words that make a report about the docs rather than the product, whatever the classifier says.
_DOCS = re.compile(r"\b(docs?|documentation|readme|typos?|spelling|misspel\w*|tutorial|guide)\b", re.IGNORECASE)


class IssueKind(StrEnum):
    """What an issue is, as a tracker label would say it."""

    BUG = "bug"
    ENHANCEMENT = "enhancement"
    QUESTION = "question"
    DOCUMENTATION = "documentation"


@dataclass(frozen=True)
class Triage:
    """The outcome of triaging an issue: its ticket, kind, priority, the acknowledgement and the answer, if any."""

    ticket: Ticket
    kind: IssueKind
    priority: Priority
    answer: Reply | None
    opened: bool  # False when the issue already had its ticket (a retried job)
    # The ticket's number and the tier's promise in plain words, for the one comment every new issue gets.
    acknowledgement: str = ""


def kind_of(title: str, understanding: Understanding) -> IssueKind:
    """The issue's kind: the docs by their words, else from the intent's category."""
    if _DOCS.search(title):
        return IssueKind.DOCUMENTATION
    intent = understanding.prediction.intent
    if understanding.category in _BROKEN or intent in {"data_loss", "bug_report"}:
        return IssueKind.BUG
    if understanding.category == "product_feedback":
        return IssueKind.ENHANCEMENT
    return IssueKind.QUESTION


class IssueDesk:
    """Triage of new issues and the issue's life (closed, reopened) reflected on its ticket."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._surveys = SurveyDesk(desk)

    async def triage(self, message: IncomingMessage, title: str) -> Triage:
        """Understand the issue, open its ticket (once) and find a confident answer.

        ``message`` carries the issue (title and body as text) at the issue's address. Running it
        again for the same issue opens no second ticket, so a retried job is harmless.
        """
        d = self.desk
        understanding = await asyncio.to_thread(d.understander.understand, message.text)
        kind = kind_of(title, understanding)
        member = await membership(d, message)
        priority = d.tiers.priority(member.tier, understanding.priority or Priority.MEDIUM)
        answer = self._answer(understanding)
        ticket = await d.stores.tickets.latest_ticket_for(message.address)
        if ticket is not None:
            tier = d.tiers.get(ticket.tier) if ticket.tier in {t.name for t in d.tiers.tiers} else member.tier
            ack = issue_acknowledgement(ticket, tier, understanding.category)
            return Triage(ticket, kind, ticket.priority, answer, opened=False, acknowledgement=ack)
        await d.stores.conversations.record_message(self._kept(message, understanding))
        intent = understanding.prediction.intent
        draft = ticket_draft(message, member, priority, _subject(title), intent, d.clock.now())
        ticket = await d.stores.tickets.open_ticket(draft, actor_of(message))
        if answer is not None:
            await d.stores.conversations.record_message(self._bot(message.address, answer, ticket.number))
            # First response is timed from the hand-off (the customer writing again), not from this answer.
            link = answer.citation.url if answer.citation is not None else ""
            await d.stores.tickets.add_event(TicketEvent(ticket.number, d.clock.now(), BOT_ID, "bot_answered", link))
        ack = issue_acknowledgement(ticket, member.tier, understanding.category)
        return Triage(ticket, kind, priority, answer, opened=True, acknowledgement=ack)

    async def closed(self, address: Address, actor: str, detail: str) -> Ticket | None:
        """The issue was closed: resolve its active ticket; None if it had none."""
        d = self.desk
        ticket = await d.stores.tickets.active_ticket_for(address)
        if ticket is None:
            return None
        now = d.clock.now()
        change = TicketChange(status=TicketStatus.RESOLVED, resolved_at=now)
        resolved = await d.stores.tickets.update(
            ticket.number, change, TicketEvent(ticket.number, now, actor, "resolved", detail)
        )
        await self._surveys.ask_csat(resolved)
        await TicketDrafts(d).resolved(resolved)
        return resolved

    async def reopened(self, address: Address, actor: str, detail: str) -> Ticket | None:
        """The issue was reopened: reopen its latest ticket if resolved; None if there was nothing to reopen."""
        d = self.desk
        ticket = await d.stores.tickets.latest_ticket_for(address)
        if ticket is None or ticket.status.active:
            return None
        now = d.clock.now()
        change = TicketChange(status=TicketStatus.OPEN, clear_resolved_at=True)
        return await d.stores.tickets.update(
            ticket.number, change, TicketEvent(ticket.number, now, actor, "reopened", detail)
        )

    def _answer(self, understanding: Understanding) -> Reply | None:
        if not understanding.hits or understanding.hits[0].score < self.desk.policy.answer_score:
            return None
        chunk = understanding.hits[0].chunk
        text = extract(chunk.text, self.desk.policy.extract_chars)
        intent = understanding.prediction.intent
        return Reply(ReplyKind.ANSWER, text, Citation(chunk.heading, chunk.link), intent=intent)

    def _kept(self, message: IncomingMessage, understanding: Understanding) -> ConversationMessage:
        return ConversationMessage(
            address=message.address,
            author_id=message.author.id,
            author_name=message.author.name,
            role=Role.CUSTOMER,
            text=understanding.text,
            at=self.desk.clock.now(),
            raw=raw_bytes(message.text),
            intent=understanding.prediction.intent,
            external_id=message.message_id,
            files=bounded_files(message.files),
        )

    def _bot(self, address: Address, reply: Reply, ticket: int) -> ConversationMessage:
        return ConversationMessage(
            address, BOT_ID, "Helpline", Role.BOT, reply.text, self.desk.clock.now(),
            intent=reply.intent, citation=reply.citation, ticket=ticket,
        )  # fmt: skip


def issue_acknowledgement(ticket: Ticket, tier: Tier, category: str | None) -> str:
    """The ticket's number and what its tier promises, in plain words, honest when the tier is best effort."""
    said = promise(tier, ticket.priority, category)
    opening = f"Helpline ticket #{ticket.number} is open for this issue, at {ticket.priority} priority."
    if tier.targets.first_response.get(ticket.priority) is None:  # the promise already says it is best effort
        return f"{opening} {said[0].upper()}{said[1:]}."
    if tier.targets.resolution.get(ticket.priority) is None:
        return f"{opening} {tier.label} support is best effort: {said}, with no promised time to resolve it."
    return f"{opening} {said[0].upper()}{said[1:]}."


def _subject(title: str) -> str:
    title = " ".join(title.split()) or "(no title)"
    return title if len(title) <= SUBJECT_CHARS else title[: SUBJECT_CHARS - 1].rstrip() + "…"
