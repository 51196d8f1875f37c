"""Erasure reaches the rows that name a person outside their tickets: QA reviews and the spam guard's audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.privacy.office import PrivacyOffice
from core.store.personal_data import SqlPersonalData
from core.store.schema_guard import guard_actions, guard_incidents
from core.store.schema_reviews import reviews
from core.store.sql_store import sql_stores
from tests.desk_fakes import make_harness

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.asyncio
async def test_forget_anonymises_reviews_and_guard_actions_and_export_lists_them(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        scored = {"ticket_id": 1, "reviewer": "slack:LEAD", "agent": "discord:dana", "scores": '{"tone": 4}'}
        await conn.execute(insert(reviews).values(**scored, note="kinder openings, please", at=AT))
        incident = f"discord:spammer@{AT.isoformat()}"
        await conn.execute(insert(guard_actions).values(at=AT, member="discord:spammer", place="discord:g/c",
                           message_id="m1", rule="flood", acts="delete", evidence="6 in 15s: `buy now`",
                           incident=incident, notified=True))  # fmt: skip
        await conn.execute(insert(guard_incidents).values(incident=incident, notified_at=AT))
    office = PrivacyOffice(SqlPersonalData(engine), sql_stores(engine).links, make_harness().clock)
    exported = await office.export("discord:dana", "cli:lead")
    assert [r["note"] for r in exported["data"]["reviews"]] == ["kinder openings, please"]
    assert (await office.forget("discord:dana", "cli:lead"))["reviews"] == 1
    assert (await office.forget("discord:spammer", "cli:lead"))["guard_actions"] == 1
    async with engine.connect() as conn:
        [review] = (await conn.execute(select(reviews))).mappings()
        [action] = (await conn.execute(select(guard_actions))).mappings()
        left = (await conn.execute(select(guard_incidents))).all()
    assert (review["agent"], review["note"], review["scores"]) == ("forgotten", "", '{"tone": 4}')
    assert (action["member"], action["evidence"], action["rule"]) == ("forgotten", "", "flood")
    assert left == []
