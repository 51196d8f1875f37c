"""The ``PersonalData`` port in SQL: one person's rows read out, or erased with the metrics kept.

Erasure deletes what is only the person's words (their messages and every message of their tickets, their
gap questions, answer votes of their threads, link codes and records, identities) and anonymises the rows
the numbers are made of: a ticket keeps its times, tier, priority, status and outcome; a survey its score; a
vote its account and tier. An anonymised row says ``forgotten-<row id>`` where the identity was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, delete, false, insert, or_, select, update

from core.privacy.records import FORGOTTEN, REQUESTED, PrivacyAudit
from core.store.base import SqlPort
from core.store.schema import messages, surveys, ticket_events, tickets
from core.store.schema_calls import calls
from core.store.schema_customers import (
    customer_identities,
    customer_link_codes,
    customer_link_events,
    customer_link_failures,
    customer_people,
)
from core.store.schema_gaps import gap_questions
from core.store.schema_guard import guard_actions, guard_incidents
from core.store.schema_incidents import incident_tickets, incident_updates, incidents
from core.store.schema_knowledge import answer_feedback
from core.store.schema_privacy import message_originals, privacy_audit
from core.store.schema_requests import feature_request_drafts, feature_request_votes, feature_requests
from core.store.schema_reviews import reviews
from core.tickets.records import TicketStatus

if TYPE_CHECKING:
    from sqlalchemy import Column, RowMapping, Table
    from sqlalchemy.ext.asyncio import AsyncConnection

_FINISHED = (TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value)
_EXPIRED = "[expired]"  # a finished ticket's subject once its tier's retention is over

# Tables a PostgreSQL erasure rewrites (VACUUM FULL), so the erased text leaves the files there too.
_REWRITTEN = (
    "messages", "tickets", "ticket_events", "surveys", "gap_questions", "answer_feedback", "message_originals",
    "reviews", "guard_actions",
)  # fmt: skip


def _pairs(identities: Sequence[str]) -> list[tuple[str, str]]:
    return [(platform, uid) for platform, _, uid in (identity.partition(":") for identity in identities)]


def _by_platform(table: Table, id_column: str, identities: Sequence[str]) -> ColumnElement[bool]:
    """Rows whose ``platform`` and ``id_column`` are one of ``identities``' two halves."""
    pairs = _pairs(identities)
    if not pairs:
        return false()
    return or_(*(and_(table.c.platform == platform, table.c[id_column] == uid) for platform, uid in pairs))


def _json_ready(row: RowMapping) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        out[key] = value
    return out


class SqlPersonalData(SqlPort):
    """A person's rows in the one SQL database every store port uses."""

    async def export(self, identities: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Every row about ``identities``, by kind."""
        ids = list(identities)
        async with self._engine.connect() as conn:
            numbers = await self._ticket_numbers(conn, ids)
            found = {
                "identities": select(customer_identities).where(customer_identities.c.identity.in_(ids)),
                "people": select(customer_people).where(
                    customer_people.c.id.in_(
                        select(customer_identities.c.person).where(customer_identities.c.identity.in_(ids))
                    )
                ),
                "tickets": select(tickets).where(tickets.c.id.in_(numbers)).order_by(tickets.c.id),
                "messages": select(*(column for column in messages.c if column.name != "raw"))
                .where(or_(_by_platform(messages, "author_id", ids), messages.c.ticket_id.in_(numbers)))
                .order_by(messages.c.id),
                "ticket_events": select(ticket_events).where(ticket_events.c.ticket_id.in_(numbers)),
                "surveys": select(surveys).where(_by_platform(surveys, "person", ids)),
                "feature_requests": select(feature_requests).where(feature_requests.c.identity.in_(ids)),
                "feature_request_drafts": select(feature_request_drafts).where(
                    feature_request_drafts.c.identity.in_(ids)
                ),
                "votes": select(feature_request_votes).where(feature_request_votes.c.voter_identity.in_(ids)),
                "gap_questions": select(gap_questions).where(gap_questions.c.person.in_(ids)),
                "link_events": select(customer_link_events).where(
                    or_(customer_link_events.c.identity.in_(ids), customer_link_events.c.other.in_(ids))
                ),
                "calls": select(calls).where(calls.c.person.in_(ids)).order_by(calls.c.start_at),
                # What was removed and when; the sealed text itself opens only for a lead (privacy original).
                "originals": select(*(c for c in message_originals.c if c.name != "sealed")).where(
                    message_originals.c.author.in_(ids)
                ),
                "incident_updates": select(incident_updates).where(incident_updates.c.author.in_(ids)),
                "reviews": select(reviews).where(or_(reviews.c.agent.in_(ids), reviews.c.reviewer.in_(ids))),
                "guard_actions": select(guard_actions).where(guard_actions.c.member.in_(ids)),
            }
            return {
                kind: [_json_ready(row) for row in (await conn.execute(query)).mappings()]
                for kind, query in found.items()
            }

    async def forget(self, identities: Sequence[str]) -> dict[str, int]:
        """Erase and anonymise, in one transaction; counts by kind."""
        ids = list(identities)
        counts: dict[str, int] = {}
        async with self._write() as conn:
            numbers = await self._ticket_numbers(conn, ids)
            threads = await self._threads(conn, ids, numbers)
            mine = or_(_by_platform(messages, "author_id", ids), messages.c.ticket_id.in_(numbers))
            counts["messages"] = await _count(conn, delete(messages).where(mine))
            if threads:
                feedback = or_(*(_thread(answer_feedback, t) for t in threads))
                counts["answer_feedback"] = await _count(conn, delete(answer_feedback).where(feedback))
            counts["gap_questions"] = await _count(conn, delete(gap_questions).where(gap_questions.c.person.in_(ids)))
            counts["calls"] = await _count(conn, delete(calls).where(calls.c.person.in_(ids)))
            sealed: ColumnElement[bool] = message_originals.c.author.in_(ids)
            if threads:
                sealed = or_(sealed, *(_thread(message_originals, t) for t in threads))
            counts["originals"] = await _count(conn, delete(message_originals).where(sealed))
            counts["incident_updates"] = await _forget_incident_staff(conn, ids)
            counts.update(await _forget_reviews_and_guard(conn, ids))
            counts["tickets"] = await _anonymise(
                conn,
                tickets,
                tickets.c.id.in_(numbers),
                {"requester_name": "", "subject": "[forgotten]"},
                "requester_id",
            )
            counts["ticket_events"] = await _count(
                conn,
                update(ticket_events)
                .where(ticket_events.c.ticket_id.in_(numbers), ticket_events.c.actor.in_(ids))
                .values(actor=FORGOTTEN, detail=""),
            )
            counts["surveys"] = await _anonymise(
                conn, surveys, _by_platform(surveys, "person", ids), {"comment": ""}, "person"
            )
            votes = feature_request_votes
            counts["votes"] = await _anonymise(
                conn,
                votes,
                votes.c.voter_identity.in_(ids),
                {"voter_name": "", "voter_link": "", "comment": ""},
                "voter_identity",
            )
            counts["feature_requests"] = await _anonymise(
                conn, feature_requests, feature_requests.c.identity.in_(ids), {"name": "", "link": ""}, "identity"
            )
            drafts = delete(feature_request_drafts).where(feature_request_drafts.c.identity.in_(ids))
            counts["feature_request_drafts"] = await _count(conn, drafts)
            counts["identities"] = await self._forget_identities(conn, ids)
            asked = update(privacy_audit).where(privacy_audit.c.actor.in_(ids)).values(actor=FORGOTTEN)
            await conn.execute(asked)  # who asked for the erasure goes too; the digest stays
        return {kind: count for kind, count in counts.items() if count}

    async def expire(self, tier: str | None, before: datetime) -> dict[str, int]:
        """Delete the conversation text of ``tier``'s finished tickets (or of no ticket) older than ``before``."""
        counts: dict[str, int] = {}
        async with self._write() as conn:
            if tier is None:
                old = and_(messages.c.ticket_id.is_(None), messages.c.at < before)
                counts["messages"] = await _count(conn, delete(messages).where(old))
                return {kind: count for kind, count in counts.items() if count}
            done = and_(tickets.c.tier == tier, tickets.c.status.in_(_FINISHED), tickets.c.updated_at < before)
            finished = select(tickets.c.id).where(done)
            old = and_(messages.c.ticket_id.in_(finished), messages.c.at < before)
            counts["messages"] = await _count(conn, delete(messages).where(old))
            subjects = update(tickets).where(done, tickets.c.subject != _EXPIRED).values(subject=_EXPIRED)
            counts["tickets"] = await _count(conn, subjects)
            said = and_(surveys.c.tier == tier, surveys.c.sent_at < before, surveys.c.comment != "")
            counts["surveys"] = await _count(conn, update(surveys).where(said).values(comment=""))
            asked = and_(gap_questions.c.tier == tier, gap_questions.c.at < before)
            counts["gap_questions"] = await _count(conn, delete(gap_questions).where(asked))
        return {kind: count for kind, count in counts.items() if count}

    async def compact(self) -> None:
        """SQLite: VACUUM and truncate the write-ahead log; PostgreSQL: VACUUM FULL the tables erasure touches."""
        async with self._engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            if self._engine.dialect.name == "sqlite":
                await auto.exec_driver_sql("VACUUM")
                await auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                await auto.exec_driver_sql(f"VACUUM FULL {', '.join(_REWRITTEN)}")

    async def record(self, audit: PrivacyAudit) -> None:
        """Keep one audit entry."""
        values = {"at": audit.at, "actor": audit.actor, "action": audit.action, "subject": audit.subject}
        async with self._write() as conn:
            await conn.execute(insert(privacy_audit).values(**values, detail=json.dumps(dict(audit.counts))))

    async def audits(self, subject: str) -> list[PrivacyAudit]:
        """The audit entries about ``subject``, oldest first."""
        query = select(privacy_audit).where(privacy_audit.c.subject == subject).order_by(privacy_audit.c.id)
        return [
            PrivacyAudit(row["at"], row["actor"], row["action"], row["subject"], json.loads(row["detail"]))
            for row in await self._read(query)
        ]

    async def pending(self) -> list[PrivacyAudit]:
        """The erasures asked for whose subject has no erasure after the asking."""
        audit = privacy_audit.c
        rows = await self._read(select(privacy_audit).where(audit.action == REQUESTED).order_by(audit.id))
        erased = {
            (row["subject"], row["id"])
            for row in await self._read(select(audit.subject, audit.id).where(audit.action == "forget"))
        }
        return [
            PrivacyAudit(row["at"], row["actor"], row["action"], row["subject"], json.loads(row["detail"]))
            for row in rows
            if not any(subject == row["subject"] and later > row["id"] for subject, later in erased)
        ]

    async def _ticket_numbers(self, conn: AsyncConnection, ids: list[str]) -> list[int]:
        found = await conn.execute(select(tickets.c.id).where(_by_platform(tickets, "requester_id", ids)))
        return [row[0] for row in found]

    async def _threads(self, conn: AsyncConnection, ids: list[str], numbers: list[int]) -> set[tuple[str, ...]]:
        columns = ("platform", "workspace", "channel", "thread")
        places: set[tuple[str, ...]] = set()
        for query in (
            select(*(tickets.c[c] for c in columns)).where(tickets.c.id.in_(numbers)),
            select(*(messages.c[c] for c in columns)).where(_by_platform(messages, "author_id", ids)),
        ):
            places.update(tuple(row) for row in await conn.execute(query))
        return places

    async def _forget_identities(self, conn: AsyncConnection, ids: list[str]) -> int:
        people = select(customer_identities.c.person).where(customer_identities.c.identity.in_(ids))
        persons = [row[0] for row in await conn.execute(people)]
        await conn.execute(delete(customer_link_codes).where(customer_link_codes.c.identity.in_(ids)))
        await conn.execute(delete(customer_link_failures).where(customer_link_failures.c.identity.in_(ids)))
        events = customer_link_events.c
        await conn.execute(delete(customer_link_events).where(or_(events.identity.in_(ids), events.other.in_(ids))))
        erased = await _count(conn, delete(customer_identities).where(customer_identities.c.identity.in_(ids)))
        left = select(customer_identities.c.person).where(customer_identities.c.person.in_(persons))
        await conn.execute(
            delete(customer_people).where(customer_people.c.id.in_(persons), customer_people.c.id.not_in(left))
        )
        return erased


async def _forget_incident_staff(conn: AsyncConnection, ids: list[str]) -> int:
    """Incidents' status texts are public and stay; who wrote, opened or linked them is forgotten."""
    done = await _count(
        conn, update(incident_updates).where(incident_updates.c.author.in_(ids)).values(author=FORGOTTEN)
    )
    await conn.execute(update(incidents).where(incidents.c.opened_by.in_(ids)).values(opened_by=FORGOTTEN))
    linked = incident_tickets.c.linked_by.in_(ids)
    await conn.execute(update(incident_tickets).where(linked).values(linked_by=FORGOTTEN))
    return done


async def _forget_reviews_and_guard(conn: AsyncConnection, ids: list[str]) -> dict[str, int]:
    """A review keeps its scores (the agents' averages) without the person's name; a note to them goes. The spam
    guard's audit keeps what was done, not to whom nor the words it quoted."""
    agent = update(reviews).where(reviews.c.agent.in_(ids)).values(agent=FORGOTTEN, note="")
    counted = await _count(conn, agent)
    counted += await _count(conn, update(reviews).where(reviews.c.reviewer.in_(ids)).values(reviewer=FORGOTTEN))
    gone = {"member": FORGOTTEN, "evidence": "", "incident": FORGOTTEN}  # an incident's key starts with the member
    guarded = await _count(conn, update(guard_actions).where(guard_actions.c.member.in_(ids)).values(**gone))
    keys = or_(*(guard_incidents.c.incident.startswith(f"{identity}@", autoescape=True) for identity in ids))
    await conn.execute(delete(guard_incidents).where(keys))
    return {"reviews": counted, "guard_actions": guarded}


def _thread(table: Table, place: tuple[str, ...]) -> ColumnElement[bool]:
    platform, workspace, channel, thread = place
    c = table.c
    return and_(c.platform == platform, c.workspace == workspace, c.channel == channel, c.thread == thread)


async def _count(conn: AsyncConnection, statement: Any) -> int:
    return int((await conn.execute(statement)).rowcount or 0)


async def _anonymise(
    conn: AsyncConnection, table: Table, where: ColumnElement[bool], values: dict[str, str], identity: str
) -> int:
    """Blank ``values`` and set ``identity`` to ``forgotten-<id>`` on the matching rows (ids keep them unique)."""
    key: Column[Any] = table.c.id
    rows = [row[0] for row in await conn.execute(select(key).where(where))]
    for row_id in rows:
        await conn.execute(update(table).where(key == row_id).values(**values, **{identity: f"{FORGOTTEN}-{row_id}"}))
    return len(rows)
