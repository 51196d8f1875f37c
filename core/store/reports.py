"""The read model reports are computed from, in SQL: tickets with their logs in keyset batches, and the answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import DateTime, LargeBinary, String, and_, exists, func, literal, or_, select, type_coerce, union_all

from core.analytics.records import AnswerRecord, TicketHistory, TicketLog
from core.desk.feedback import answer_key
from core.store import rows
from core.store.base import ACTIVE, SqlPort
from core.store.schema import (
    UTCDateTime,
    deflections,
    escalations,
    messages,
    outbox,
    sla_timers,
    ticket_events,
    tickets,
)
from core.tickets.records import Escalation, Priority, Role, TicketEvent, TicketStatus

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy import Column, ColumnElement, Row

    from core.analytics.records import ReportQuery

    AnyRow: TypeAlias = Row[*tuple[Any, ...]]

_THREAD = ("platform", "workspace", "channel", "thread")
_AT = attrgetter("at")
_PRIORITIES = {p.value: p for p in Priority}  # a dictionary look-up costs a tenth of the enumeration's call
_STATUSES = {s.value: s for s in TicketStatus}


_LOG_COLUMNS = ("id", "tier", "priority", "platform", "intent", "customer", "assignee", "status", "created_at")
_EVENT_COLUMNS = ("ticket_id", "at", "actor", "kind", "detail")  # a TicketEvent's fields, in order


class SqlReportSource(SqlPort):
    """The ``ReportSource`` port in a SQL database: three queries a batch, the filters in SQL.

    It is a ``TicketLogSource`` too: the same tickets as light logs, reading only the columns a report folds.
    """

    async def histories(self, query: ReportQuery, *, batch: int = 1000) -> AsyncIterator[list[TicketHistory]]:
        """The tickets that matter to the period, with their logs, in batches of at most ``batch``, by number."""
        async for found, events, escalated in self._batches(query, batch, list(tickets.c)):
            yield [
                TicketHistory(
                    ticket := rows.ticket_from(row._mapping),
                    tuple(events.get(ticket.number, ())),
                    tuple(sorted((_escalation_from(e._mapping) for e in escalated.get(ticket.number, ())), key=_AT)),
                )
                for row in found
            ]

    async def ticket_logs(self, query: ReportQuery, *, batch: int = 5000) -> AsyncIterator[list[TicketLog]]:
        """The tickets ``histories`` hands out, as light logs, in batches of at most ``batch``, by number."""
        stamp = self._stamps()
        columns = [stamp.column(tickets.c[name]) for name in _LOG_COLUMNS]
        async for found, events, escalated in self._batches(query, batch, columns):
            yield [
                TicketLog(
                    number, tier, _PRIORITIES[priority], platform, intent, customer, assignee, _STATUSES[status],
                    stamp.value(created_at), tuple(events.get(number, ())),
                    tuple(sorted(e.at for e in escalated[number] if e.level >= 1)) if number in escalated else (),
                )
                for number, tier, priority, platform, intent, customer, assignee, status, created_at in found
            ]  # fmt: skip

    def _stamps(self) -> _Stamps:
        return _Stamps(self._engine.dialect.name == "sqlite")

    async def _batches(
        self, query: ReportQuery, batch: int, columns: list[Any]
    ) -> AsyncIterator[tuple[Sequence[AnyRow], dict[int, list[TicketEvent]], dict[int, list[AnyRow]]]]:
        """Pages of ``columns`` of the tickets (the id first), with each page's events and escalation rows."""
        if batch < 1:
            raise ValueError(f"a batch holds at least one ticket, not {batch}")
        stamp = self._stamps()
        after = 0
        while True:
            page = select(*columns).where(tickets.c.id > after, *_ticket_filters(query)).order_by(tickets.c.id)
            async with self._engine.connect() as conn:
                found = (await conn.execute(page.limit(batch))).all()
                if not found:
                    return
                numbers = [row[0] for row in found]
                log = select(*(stamp.column(ticket_events.c[name]) for name in _EVENT_COLUMNS))
                log = log.where(_of_page(ticket_events.c.ticket_id, numbers))
                log = log.order_by(ticket_events.c.at, ticket_events.c.id)
                events: dict[int, list[TicketEvent]] = defaultdict(list)
                for number, at, actor, kind, detail in (await conn.execute(log)).all():
                    events[number].append(TicketEvent(number, stamp.value(at), actor, kind, detail))
                escalated: dict[int, list[AnyRow]] = defaultdict(list)
                for row in (await conn.execute(_escalations_of(numbers))).all():
                    escalated[row.ticket_id].append(row)
            yield found, events, escalated
            if len(found) < batch:
                return
            after = numbers[-1]

    async def answers(self, query: ReportQuery) -> list[AnswerRecord]:
        """The bot's knowledge-base answers given in the period (only ``query.platform`` narrows them)."""
        cited = _cited(query)
        async with self._engine.connect() as conn:
            given = (await conn.execute(cited.order_by(messages.c.at, messages.c.id))).mappings().all()
            voted = await conn.execute(_votes_on(cited))
            helpful = {(*(row[name] for name in _THREAD), row["answer"]) for row in voted.mappings()}
        found = []
        for row in given:
            message = rows.message_from(row)
            key = answer_key(message)
            thread = tuple(row[name] for name in _THREAD)
            url = message.citation.url if message.citation is not None else ""
            found.append(
                AnswerRecord(
                    message.address, message.at, key, url, message.intent, (*thread, key) in helpful, row["next_at"]
                )
            )
        return found


@dataclass(frozen=True)
class _Stamps:
    """Timestamps read fast, around the column type's decoding (which costs more than the query at this scale).

    SQLite keeps them as UTC text, which one parse turns into an aware datetime; asyncpg decodes PostgreSQL's
    ``timestamptz`` into aware UTC datetimes itself, so only another zone needs converting.
    """

    text: bool

    def column(self, column: Column[Any]) -> Any:
        """``column`` as the engine returns it fastest (SQLite: as text; else without the type's processing)."""
        if not isinstance(column.type, UTCDateTime):
            return column
        return type_coerce(column, String if self.text else DateTime(timezone=True))

    def value(self, found: Any) -> datetime:
        """What ``column`` read, as a UTC datetime."""
        if self.text:
            return datetime.fromisoformat(found + "+00:00")
        moment = cast("datetime", found)
        return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _ticket_filters(query: ReportQuery) -> list[ColumnElement[bool]]:
    """Opened before the end, active now or with an event at or after the start, and the query's filters."""
    later = exists().where(ticket_events.c.ticket_id == tickets.c.id, ticket_events.c.at >= query.start)
    found: list[ColumnElement[bool]] = [tickets.c.created_at < query.end, or_(ACTIVE, later)]
    wanted: list[tuple[str, Any]] = [
        ("tier", query.tier),
        ("priority", query.priority.value if query.priority is not None else None),
        ("platform", query.platform),
        ("assignee", query.agent),
        ("customer", query.customer),
    ]
    found += [tickets.c[name] == value for name, value in wanted if value is not None]
    if query.intents is not None:
        found.append(tickets.c.intent.in_(sorted(query.intents)))
    return found


def _of_page(column: Column[int], numbers: list[int]) -> ColumnElement[bool]:
    """Rows of a page's tickets (ascending ``numbers``): by their range when the page holds most of it.

    A range is one index range scan and spares binding a parameter per ticket (SQLAlchemy renders each one
    anew, which costs more than the query); it may bring rows of tickets outside the page (at most as many
    again), which the caller never looks up. A sparse page (old open tickets, narrow filters) lists its numbers.
    """
    if numbers[-1] - numbers[0] < 2 * len(numbers):
        return column.between(numbers[0], numbers[-1])
    return column.in_(numbers)


def _escalations_of(numbers: list[int]) -> Any:
    """Manual escalations and the levels the SLA worker fired (whose target is in the outbox), in one query."""
    manual = select(
        escalations.c.ticket_id,
        escalations.c.deadline,
        escalations.c.level,
        escalations.c.target,
        escalations.c.at,
        literal(False).label("fired"),
    ).where(_of_page(escalations.c.ticket_id, numbers))
    fired = (
        select(
            sla_timers.c.ticket_id,
            sla_timers.c.clock,
            sla_timers.c.level,
            outbox.c.address,
            sla_timers.c.fired_at,
            literal(True).label("fired"),
        )
        .join(outbox, outbox.c.timer_id == sla_timers.c.id)
        .where(
            _of_page(sla_timers.c.ticket_id, numbers),
            sla_timers.c.action == "escalation",
            sla_timers.c.fired_at.is_not(None),
        )
    )
    return union_all(manual, fired)


def _escalation_from(row: Any) -> Escalation:
    if row["fired"]:
        return rows.fired_escalation(row["ticket_id"], row["deadline"], row["level"], row["target"], row["at"])
    return rows.escalation_from(row)


def _cited(query: ReportQuery) -> Any:
    """The bot's cited messages in the period, each with the first ticket of its thread opened at or after it."""
    same_thread = and_(*(tickets.c[name] == messages.c[name] for name in _THREAD))
    next_at = (
        select(func.min(tickets.c.created_at))
        .where(same_thread, tickets.c.created_at >= messages.c.at)
        .scalar_subquery()
        .label("next_at")
    )
    columns = [c for c in messages.c if c.name != "raw"]
    found = select(*columns, literal(b"", LargeBinary).label("raw"), next_at).where(
        messages.c.citation_url.is_not(None),
        messages.c.role == Role.BOT.value,
        messages.c.at >= query.start,
        messages.c.at < query.end,
    )
    return found.where(messages.c.platform == query.platform) if query.platform is not None else found


def _votes_on(cited: Any) -> Any:
    """The standing helpful votes (named answers) in the threads of the cited messages."""
    threads = cited.with_only_columns(*(messages.c[name] for name in _THREAD)).distinct().subquery()
    return (
        select(*(deflections.c[name] for name in _THREAD), deflections.c.answer)
        .join(threads, and_(*(deflections.c[name] == threads.c[name] for name in _THREAD)))
        .where(deflections.c.answer.is_not(None))
    )
