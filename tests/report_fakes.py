"""The in-memory ``ReportSource`` over a ``MemoryState``, with the SQL read model's semantics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from core.analytics.records import AnswerRecord, TicketHistory
from core.desk.feedback import answer_key
from core.tickets.records import Role
from tests.store_fakes import InMemoryEscalations
from tests.store_state import MemoryPort, utc

if TYPE_CHECKING:
    from core.analytics.records import ReportQuery
    from core.tickets.records import Ticket


class InMemoryReportSource(MemoryPort):
    """The ``ReportSource`` port in memory: the same tickets, batches and answers as the SQL one."""

    async def histories(self, query: ReportQuery, *, batch: int = 1000) -> AsyncIterator[list[TicketHistory]]:
        """The tickets that matter to the period, with their logs, in batches of at most ``batch``, by number."""
        if batch < 1:
            raise ValueError(f"a batch holds at least one ticket, not {batch}")
        wanted = [t for _, t in sorted(self.state.tickets.items()) if self._matters(t, query)]
        for first in range(0, len(wanted), batch):
            yield [await self._history(t) for t in wanted[first : first + batch]]

    async def answers(self, query: ReportQuery) -> list[AnswerRecord]:
        """The bot's knowledge-base answers given in the period (only ``query.platform`` narrows them)."""
        start, end = utc(query.start), utc(query.end)
        voted = {(d[0], d[4]) for d in self.state.deflections if d[4] is not None}
        found = []
        for message in sorted(self.state.messages, key=lambda m: m.at):
            cited = message.citation
            if message.role is not Role.BOT or cited is None or not start <= message.at < end:
                continue
            if query.platform is not None and message.address.platform != query.platform:
                continue
            key = answer_key(message)
            later = [
                t.created_at
                for t in self.state.tickets.values()
                if t.address == message.address and t.created_at >= message.at
            ]
            found.append(
                AnswerRecord(
                    message.address,
                    message.at,
                    key,
                    cited.url,
                    message.intent,
                    (message.address, key) in voted,
                    min(later, default=None),
                )
            )
        return found

    def _matters(self, ticket: Ticket, query: ReportQuery) -> bool:
        if ticket.created_at >= utc(query.end):
            return False
        recent = any(e.at >= utc(query.start) for e in self.state.events_of(ticket.number))
        if not (ticket.status.active or recent):
            return False
        checks = (
            (query.tier, ticket.tier),
            (query.priority, ticket.priority),
            (query.platform, ticket.address.platform),
            (query.agent, ticket.assignee),
            (query.customer, ticket.customer),
        )
        if any(wanted is not None and wanted != value for wanted, value in checks):
            return False
        return query.intents is None or ticket.intent in query.intents

    async def _history(self, ticket: Ticket) -> TicketHistory:
        events = self.state.events_of(ticket.number)
        escalations = await InMemoryEscalations(self.state).escalations(ticket.number)
        return TicketHistory(ticket, tuple(events), tuple(escalations))
