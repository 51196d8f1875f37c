"""The one in-memory database behind every in-memory store fake, so the fakes see each other's writes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from core.messages import bounded_files
from core.sla.events import SLA_KINDS
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Ticket,
    TicketEvent,
    TicketNotFoundError,
)

if TYPE_CHECKING:
    from core.knowledge.gap_records import GapQuestion
    from core.knowledge.records import PassageVote
    from core.messages import Address, Outbound
    from core.sla.plan import ActionKey
    from core.sla.ports import SlaPlanner

_Record = TypeVar("_Record", NewTicket, ConversationMessage, TicketEvent, Escalation)


def in_utc(record: _Record) -> _Record:
    """The record with every datetime converted to UTC, as the SQL store reads them back."""
    changes: dict[str, Any] = {
        f.name: utc(value) for f in fields(record) if isinstance(value := getattr(record, f.name), datetime)
    }
    return replace(record, **changes)


def utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is refused, as the SQL columns refuse it."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; give it a timezone")
    return value.astimezone(UTC)


@dataclass
class Timer:
    """A row of the SQL ``sla_timers`` table."""

    id: int
    ticket: int
    key: ActionKey
    due: datetime
    fired_at: datetime | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


@dataclass
class Queued:
    """A row of the SQL ``outbox`` table."""

    id: int
    ticket: int | None
    timer: int | None
    outbound: Outbound
    attempts: int = 0
    sent_at: datetime | None = None
    lease_until: datetime | None = None


@dataclass
class MemoryState:
    """The tables, in dicts and lists, and the planner every fake that logs an event plans the ticket with."""

    planner: SlaPlanner | None = None
    tickets: dict[int, Ticket] = field(default_factory=dict)
    messages: list[ConversationMessage] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    events: list[TicketEvent] = field(default_factory=list)
    escalations: dict[tuple[int, Deadline, int], Escalation] = field(default_factory=dict)
    # (thread, question, url, at, answer): one row per answer named, as the unique index keeps it in SQL.
    deflections: list[tuple[Address, str, str, datetime, str | None]] = field(default_factory=list)
    deliveries: dict[tuple[str, str], datetime] = field(default_factory=dict)
    timers: dict[int, Timer] = field(default_factory=dict)
    queued: dict[int, Queued] = field(default_factory=dict)
    digest_runs: dict[str, str] = field(default_factory=dict)  # period key -> the worker that claimed it
    fingerprint: str | None = None
    # (thread, passage) -> the thread's standing vote on it, as the unique constraint keeps it in SQL.
    answer_votes: dict[tuple[Address, str], PassageVote] = field(default_factory=dict)
    gap_questions: list[GapQuestion] = field(default_factory=list)  # in the order kept, as the SQL ids go
    # Indexes by ticket, so a month of tickets is not scanned whole per event: the events read so far (the
    # log only grows by appends) and each ticket's timers (only ``replan`` adds or removes timers).
    _by_ticket: dict[int, list[TicketEvent]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=0, repr=False)
    _timers_of: dict[int, dict[int, Timer]] = field(default_factory=dict, repr=False)
    unfired: set[int] = field(default_factory=set, repr=False)  # ids of the timers not yet fired
    unsent: set[int] = field(default_factory=set, repr=False)  # ids of the queued notices not yet sent

    def enqueue(self, ticket: int | None, timer: int | None, notice: Outbound) -> int:
        """Queue a notice in the outbox (and in the index of unsent ones the drain reads); its id."""
        number = next(reversed(self.queued), 0) + 1  # ids only grow: the last is the largest
        self.queued[number] = Queued(number, ticket, timer, notice)
        self.unsent.add(number)
        return number

    def events_of(self, number: int) -> list[TicketEvent]:
        """Ticket ``number``'s events, oldest first (equal times in the order they were logged)."""
        if self._indexed > len(self.events):  # the log was replaced: index it again
            self._by_ticket, self._indexed = {}, 0
        for event in self.events[self._indexed :]:
            mine = self._by_ticket.setdefault(event.ticket, [])
            if mine and event.at < mine[-1].at:  # logged out of time order: keep the list sorted (stably)
                mine.append(event)
                mine.sort(key=lambda e: e.at)
            else:
                mine.append(event)
        self._indexed = len(self.events)
        return list(self._by_ticket.get(number, ()))

    def timers_of(self, number: int) -> list[Timer]:
        """Ticket ``number``'s timers, fired or not."""
        return [t for t in self._timers_of.get(number, {}).values() if self.timers.get(t.id) is t]

    def require(self, number: int) -> Ticket:
        """The ticket with this number; ``TicketNotFoundError`` if there is none."""
        if number not in self.tickets:
            raise TicketNotFoundError(number)
        return self.tickets[number]

    def keep(self, message: ConversationMessage, ticket: int | None) -> bool:
        """Keep ``message`` on ``ticket``; False if its platform id was already seen."""
        key = (message.address.platform, message.external_id)
        if message.external_id and key in self.seen:
            return False
        if message.external_id:
            self.seen.add(key)
        # Files bounded as the SQL store's JSON column keeps them.
        self.messages.append(replace(in_utc(message), ticket=ticket, files=bounded_files(message.files)))
        return True

    def replan(self, number: int, now: datetime, kind: str | None = None) -> None:
        """Plan the ticket again (after an event of ``kind``, when only SLA kinds matter), as the SQL store does."""
        if self.planner is None or number not in self.tickets or (kind is not None and kind not in SLA_KINDS):
            return
        ticket = self.tickets[number]
        events = self.events_of(number)
        mine = self.timers_of(number)
        fired = {t.key for t in mine if t.fired_at is not None}
        result = self.planner.plan(ticket, events, fired, now)
        self.tickets[number] = replace(
            ticket,
            first_response_due=result.first_response_due,
            resolution_due=result.resolution_due,
            next_response_due=result.next_response_due,
        )
        wanted = {a.key: a for a in result.actions if a.key not in fired}
        for timer in mine:
            if timer.fired_at is None and timer.key not in wanted:
                del self.timers[timer.id]
                del self._timers_of[number][timer.id]
                self.unfired.discard(timer.id)
        pending = {t.key: t for t in mine if t.fired_at is None and t.key in wanted}
        for key, action in wanted.items():
            if key in pending:
                pending[key].due = action.due
            else:
                number_ = next(reversed(self.timers), 0) + 1  # ids only grow: the last is the largest
                self.timers[number_] = Timer(number_, number, key, action.due.astimezone(UTC))
                self.unfired.add(number_)
                self._timers_of.setdefault(number, {})[number_] = self.timers[number_]


class MemoryPort:
    """An in-memory store port over a ``MemoryState`` it may share with the fakes of the other ports."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self.state = state if state is not None else MemoryState()
