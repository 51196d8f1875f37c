"""The in-memory ``OutreachRecords``: occurrences unique per account, playbook and key, like the SQL index; the
sent steps' notices go to the shared outbox through ``MemoryState.enqueue``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from core.customers.outreach import Occurrence
from core.customers.outreach_steps import OutreachRecord, OutreachStatus, OutreachStep
from core.messages import Outbound
from tests.store_state import MemoryState, utc

_COUNTED = (OutreachStatus.SENT.value, OutreachStatus.DEFERRED.value)


class InMemoryOutreachRecords:
    """Occurrences in a dict, records in a list (ids in order), deferred notices kept beside them."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self.state = state if state is not None else MemoryState()
        self.occurrences: dict[tuple[str, str, str], Occurrence] = {}
        self.records: list[OutreachRecord] = []
        self._waiting: dict[int, Outbound] = {}

    async def occur(
        self, occurrence: Occurrence, at: datetime, since: datetime, plan: Callable[[int], Sequence[OutreachStep]]
    ) -> list[OutreachRecord] | None:
        """Keep the occurrence and its steps unless the account had it; queue the sent notices."""
        key = (occurrence.account, occurrence.playbook, occurrence.key)
        if key in self.occurrences:
            return None
        at, since = utc(at), utc(since)
        recent = sum(
            1
            for r in self.records
            if r.account == occurrence.account and r.action == "message" and r.status in _COUNTED and r.at >= since
        )
        steps = list(plan(recent))
        self.occurrences[key] = occurrence
        kept = []
        for step in steps:
            sent = step.status is OutreachStatus.SENT and step.notice is not None
            record = OutreachRecord(
                len(self.records) + 1,
                occurrence.account,
                occurrence.playbook,
                occurrence.trigger.value,
                occurrence.key,
                step.action.value,
                step.audience.value,
                step.target,
                step.text,
                step.status.value,
                at,
                utc(step.due_at) if step.due_at is not None else None,
                at if sent else None,
            )
            self.records.append(record)
            kept.append(record)
            if sent and step.notice is not None:
                self.state.enqueue(None, None, step.notice)
            elif step.status is OutreachStatus.DEFERRED and step.notice is not None:
                self._waiting[record.id] = step.notice
        return kept

    async def occurred(self, account: str) -> set[tuple[str, str]]:
        """The account's occurrences as (playbook, key)."""
        return {(p, k) for a, p, k in self.occurrences if a == account}

    async def release(self, now: datetime, limit: int = 100) -> list[OutreachRecord]:
        """Queue the due deferred messages' notices and mark them sent."""
        now = utc(now)
        released: list[OutreachRecord] = []
        for index, record in enumerate(self.records):
            if len(released) >= limit:
                break
            if record.status != OutreachStatus.DEFERRED.value or record.due_at is None or record.due_at > now:
                continue
            self.state.enqueue(None, None, self._waiting.pop(record.id))
            self.records[index] = replace(record, status=OutreachStatus.SENT.value, sent_at=now)
            released.append(self.records[index])
        return released

    async def timeline(self, account: str, limit: int = 50) -> list[OutreachRecord]:
        """The account's records, newest first."""
        mine = [r for r in self.records if r.account == account]
        return sorted(mine, key=lambda r: (r.at, r.id), reverse=True)[:limit]
