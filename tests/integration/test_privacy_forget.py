"""``helpline privacy export|forget`` on real databases: everything found, erased from the files, metrics kept."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bots.cli import run
from core.privacy.office import PrivacyOffice
from core.privacy.records import IdentityError, subject_of
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.personal_data import SqlPersonalData
from core.store.sql_store import sql_stores
from core.stores import Stores
from tests.desk_fakes import START, Harness, make_harness

WORD = "Zebrafinch"  # a word only the forgotten person ever wrote
AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


async def _history(stores: Stores) -> Harness:
    """ana (discord:ana, linked to slack:U1) opens a ticket and rates it; bo opens one of his own."""
    h = make_harness(store=stores)
    await stores.links.link("discord:ana", "slack:U1", "discord:mod", START)
    await h.say(f"the app crashes at boot, I am {WORD} from the lab")
    await h.say(f"still broken says {WORD}")
    await h.say("the app crashes at boot for me too", user="bo", thread="t2")
    return h


@pytest.mark.asyncio
async def test_export_finds_everything_of_the_person_and_their_linked_identities(engine: AsyncEngine) -> None:
    stores = sql_stores(engine)
    h = await _history(stores)
    office = PrivacyOffice(SqlPersonalData(engine), stores.links, h.clock)
    document = await office.export("slack:U1", "cli:lead")
    assert document["identities"] == ["slack:U1", "discord:ana"]
    data = document["data"]
    assert [t["id"] for t in data["tickets"]] == [1]
    assert any(WORD in m["text"] for m in data["messages"])
    assert all("crashes at boot for me too" not in m["text"] for m in data["messages"])  # bo's stays out
    assert {i["identity"] for i in data["identities"]} == {"discord:ana", "slack:U1"}
    json.dumps(document)  # every value is JSON-ready
    [audit] = await office.data.audits(subject_of("slack:U1"))
    assert audit.action == "export" and audit.actor == "cli:lead" and audit.counts["tickets"] == 1


@pytest.mark.asyncio
async def test_forget_erases_the_words_and_keeps_the_numbers(engine: AsyncEngine) -> None:
    stores = sql_stores(engine)
    h = await _history(stores)
    office = PrivacyOffice(SqlPersonalData(engine), stores.links, h.clock)
    counts = await office.forget("discord:ana", "cli:lead")
    assert counts["messages"] >= 2 and counts["tickets"] == 1 and counts["identities"] == 2
    ticket = await stores.tickets.get(1)
    assert ticket is not None
    assert ticket.subject == "[forgotten]" and ticket.requester_id == "forgotten-1"
    assert ticket.tier == "community" and ticket.priority is not None and ticket.created_at == START
    assert await stores.conversations.messages(1) == []
    assert await stores.links.person_of("slack:U1") is None
    other = await stores.tickets.get(2)
    assert other is not None and other.subject == "the app crashes at boot for me too"
    assert (await office.export("discord:ana", "cli:lead"))["data"]["messages"] == []
    kinds = [a.action for a in await office.data.audits(subject_of("discord:ana"))]
    assert kinds == ["forget", "export"]


@pytest.mark.asyncio
async def test_forget_leaves_no_trace_in_the_sqlite_files(tmp_path: Path) -> None:
    path = tmp_path / "helpline.sqlite3"
    engine = create_engine_for(sqlite_url(path))
    try:
        await upgrade_schema(engine)
        stores = sql_stores(engine)
        h = await _history(stores)
        await PrivacyOffice(SqlPersonalData(engine), stores.links, h.clock).forget("discord:ana", "cli:lead")
    finally:
        await engine.dispose()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("helpline.sqlite3")]
    assert all(WORD.encode() not in p.read_bytes() for p in files)


@pytest.mark.asyncio
async def test_a_person_that_is_not_an_identity_is_refused(engine: AsyncEngine) -> None:
    stores = sql_stores(engine)
    office = PrivacyOffice(SqlPersonalData(engine), stores.links, make_harness(store=stores).clock)
    with pytest.raises(IdentityError, match="platform:id"):
        await office.export("pat", "cli:lead")


def test_the_commands_export_ask_and_forget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "pat.json"
    assert run(["privacy", "export", "console:nobody", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["data"]["tickets"] == []
    assert out.stat().st_mode & 0o077 == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run(["privacy", "forget", "console:nobody"]) == 130  # declined: nothing done
    capsys.readouterr()
    assert run(["privacy", "forget", "console:nobody", "--yes"]) == 0
    assert "Nothing was held about console:nobody" in capsys.readouterr().out
    assert run(["privacy", "export", "nobody"]) == 2
    assert "platform:id" in capsys.readouterr().err


@pytest.mark.asyncio
async def test_retention_expires_finished_tickets_of_a_tier_and_keeps_open_ones(engine: AsyncEngine) -> None:
    from datetime import timedelta

    from core.privacy.retention import RetentionPass, RetentionPolicy

    stores = sql_stores(engine)
    h = await _history(stores)  # two community tickets: #1 (ana) and #2 (bo)
    await h.say("resolve 1", command=True, user="mo", roles=frozenset({"moderator"}))
    data = SqlPersonalData(engine)
    retention = RetentionPass(data, h.clock, RetentionPolicy({"community": timedelta(days=30)}, timedelta(days=30)))
    assert await retention.run_once() == 0  # nothing is 30 days old yet
    h.clock.advance(timedelta(days=31))
    assert await retention.run_once() > 0
    finished = await stores.tickets.get(1)
    assert finished is not None and finished.subject == "[expired]" and finished.tier == "community"
    assert await stores.conversations.messages(1) == []
    open_one = await stores.tickets.get(2)
    assert open_one is not None and open_one.subject == "the app crashes at boot for me too"
    assert await stores.conversations.messages(2) != []


def test_retention_for_an_unknown_tier_names_the_key(tmp_path: Path) -> None:
    from config.settings import load_settings
    from core.errors import ConfigError

    path = tmp_path / "helpline.yaml"
    path.write_text("privacy:\n  retention: {gold: 30d}\n")
    with pytest.raises(ConfigError, match=r"privacy\.retention\.gold"):
        load_settings(path)
    path.write_text("privacy:\n  retention: {community: soon}\n")
    with pytest.raises(ConfigError, match=r"privacy\.retention"):
        load_settings(path)


@pytest.mark.asyncio
async def test_a_forget_me_request_waits_for_the_lead_and_leaves_with_the_erasure(engine: AsyncEngine) -> None:
    stores = sql_stores(engine)
    h = await _history(stores)
    await h.say("forget me", command=True)
    [pending] = await stores.privacy.pending()
    assert pending.actor == "discord:ana"
    await PrivacyOffice(SqlPersonalData(engine), stores.links, h.clock).forget("discord:ana", "cli:lead")
    assert await stores.privacy.pending() == []
    entries = await stores.privacy.audits(subject_of("discord:ana"))
    assert [e.action for e in entries] == ["forget-request", "forget"]
    assert entries[0].actor == "forgotten"  # who asked is erased with the rest; the digest stays
