"""The read model reports are computed from, in SQL: tickets with their logs in keyset batches, and the answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import and_, exists, func, literal, or_, select, union_all

from core.analytics.records import AnswerRecord, TicketHistory
from core.desk.feedback import answer_key
from core.store import rows
from core.store.base import ACTIVE, SqlPort
from core.store.schema import deflections, escalations, messages, outbox, sla_timers, ticket_events, tickets
from core.tickets.records import Escalation, Role

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, RowMapping

    from core.analytics.records import ReportQuery

_THREAD = ("platform", "workspace", "channel", "thread")


class SqlReportSource(SqlPort):
    """The ``ReportSource`` port in a SQL database: three queries a batch, the filters in SQL."""

    async def histories(self, query: ReportQuery, *, batch: int = 1000) -> AsyncIterator[list[TicketHistory]]:
        """The tickets that matter to the period, with their logs, in batches of at most ``batch``, by number."""
        if batch < 1:
            raise ValueError(f"a batch holds at least one ticket, not {batch}")
        after = 0
        while True:
            page = (
                select(tickets).where(tickets.c.id > after, *_ticket_filters(query)).order_by(tickets.c.id).limit(batch)
            )
            async with self._engine.connect() as conn:
                found = [rows.ticket_from(row) for row in (await conn.execute(page)).mappings()]
                if not found:
                    return
                numbers = [t.number for t in found]
                log = select(ticket_events).where(ticket_events.c.ticket_id.in_(numbers))
                events = defaultdict(list)
                for row in (await conn.execute(log.order_by(ticket_events.c.at, ticket_events.c.id))).mappings():
                    events[row["ticket_id"]].append(rows.event_from(row))
                escalated = defaultdict(list)
                for row in (await conn.execute(_escalations_of(numbers))).mappings():
                    escalated[row["ticket_id"]].append(_escalation_from(row))
            yield [
                TicketHistory(t, tuple(events[t.number]), tuple(sorted(escalated[t.number], key=lambda e: e.at)))
                for t in found
            ]
            if len(found) < batch:
                return
            after = numbers[-1]

    async def answers(self, query: ReportQuery) -> list[AnswerRecord]:
        """The bot's knowledge-base answers given in the period (only ``query.platform`` narrows them)."""
        cited = _cited(query)
        async with self._engine.connect() as conn:
            given = list((await conn.execute(cited.order_by(messages.c.at, messages.c.id))).mappings())
            voted = await conn.execute(_votes_on(cited))
            helpful = {(*(row[name] for name in _THREAD), row["answer"]) for row in voted.mappings()}
        found = []
        for row in given:
            message = rows.message_from(cast("RowMapping", {**row, "raw": b""}))
            key = answer_key(message)
            thread = tuple(row[name] for name in _THREAD)
            url = message.citation.url if message.citation is not None else ""
            found.append(
                AnswerRecord(
                    message.address, message.at, key, url, message.intent, (*thread, key) in helpful, row["next_at"]
                )
            )
        return found


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


def _escalations_of(numbers: list[int]) -> Any:
    """Manual escalations and the levels the SLA worker fired (whose target is in the outbox), in one query."""
    manual = select(
        escalations.c.ticket_id,
        escalations.c.deadline,
        escalations.c.level,
        escalations.c.target,
        escalations.c.at,
        literal(False).label("fired"),
    ).where(escalations.c.ticket_id.in_(numbers))
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
            sla_timers.c.ticket_id.in_(numbers),
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
    found = select(*columns, next_at).where(
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
