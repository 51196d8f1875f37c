"""Sealed originals on real databases: kept at the door, opened by ``helpline privacy original``, erased, expired."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import Settings, load_settings
from core.privacy.office import PrivacyOffice
from core.privacy.retention import OriginalsExpiry
from core.privacy.sealing import KEY_VARIABLE, new_key
from core.store.personal_data import SqlPersonalData
from core.store.schema_privacy import message_originals
from core.store.sql_store import sql_stores
from core.stores import Stores
from tests.desk_fakes import Harness, make_harness
from tests.unit.test_redaction import GITHUB, SLACK

KEEP = Settings(privacy={"keep_originals": True})
LEAKY = f"the whole API is down since 401s, my token is {GITHUB}"


async def _leaked(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> tuple[Stores, Harness]:
    """Originals kept under a fresh key, and ana's message with a token on the SQL store."""
    monkeypatch.setenv(KEY_VARIABLE, new_key())
    stores = sql_stores(engine)
    h = make_harness(tier="enterprise", store=stores, settings=KEEP)
    await h.say(LEAKY)
    return stores, h


@pytest.mark.asyncio
async def test_forget_erases_the_persons_originals_and_export_lists_them_unopened(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    stores, h = await _leaked(engine, monkeypatch)
    await h.say(f"the API is down for me as well, {SLACK}", user="bo", thread="t2")
    office = PrivacyOffice(SqlPersonalData(engine), stores.links, h.clock)
    document = await office.export("discord:ana", "cli:lead")
    [listed] = document["data"]["originals"]
    assert listed["kinds"] == "github-token" and "sealed" not in listed
    counts = await office.forget("discord:ana", "cli:lead")
    assert counts["originals"] == 1
    async with engine.connect() as conn:
        left = [row.author for row in await conn.execute(select(message_originals.c.author))]
    assert left == ["discord:bo"]  # bo's stays until bo is forgotten or it expires


@pytest.mark.asyncio
async def test_the_worker_deletes_originals_past_their_period(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    stores, h = await _leaked(engine, monkeypatch)
    expiry = OriginalsExpiry(stores.originals, h.clock, timedelta(days=30))
    assert await expiry.run_once() == 0
    h.clock.advance(timedelta(days=31))
    assert await expiry.run_once() == 1
    ticket = await stores.tickets.get(1)
    assert ticket is not None and await stores.originals.in_threads([ticket.address]) == []


def test_a_lead_opens_a_tickets_originals_and_it_is_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    key = new_key()
    monkeypatch.setenv(KEY_VARIABLE, key)

    async def history() -> None:
        stores, engine = await open_stores(load_settings(env={"HELPLINE_DATA_DIR": str(tmp_path / "data")}))
        try:
            await make_harness(tier="enterprise", store=stores, settings=KEEP).say(LEAKY)
        finally:
            await engine.dispose()

    asyncio.run(history())
    assert run(["privacy", "original", "1"]) == 0
    out = capsys.readouterr().out
    assert LEAKY in out and "github-token removed" in out and "audited" in out
    assert run(["privacy", "original", "7"]) == 1
    assert "no ticket #7" in capsys.readouterr().err
    monkeypatch.setenv(KEY_VARIABLE, new_key())
    assert run(["privacy", "original", "1"]) == 1
    assert "another key" in capsys.readouterr().err
    monkeypatch.delenv(KEY_VARIABLE)
    assert run(["privacy", "original", "1"]) == 2
    assert f"{KEY_VARIABLE} is not set" in capsys.readouterr().err
    assert run(["privacy", "new-key"]) == 0
    assert len(capsys.readouterr().out.strip()) == 44
