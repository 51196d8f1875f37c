"""``helpline sla explain N`` and ``helpline sla replan`` on a real SQLite database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from config.tiers import load_tiers
from core.messages import Address
from core.sla.planner import TierPlanner
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketStatus


async def _seed() -> None:
    settings = load_settings(None)
    stores, engine = await open_stores(settings)
    try:
        stores.timers.use_planner(TierPlanner(load_tiers(settings.support.tiers_file)))
        opened = datetime.now(UTC) - timedelta(hours=3)
        address = Address("slack", "T1", "C1", "1.1")
        draft = NewTicket("acme", "enterprise", address, "U1", "Ada", "down", None, Priority.HIGH, opened, None, None)
        ticket = await stores.tickets.open_ticket(draft, "slack:U1")
        replied = TicketEvent(ticket.number, opened + timedelta(hours=1), "slack:UMO", "replied")
        await stores.tickets.update(ticket.number, TicketChange(status=TicketStatus.WAITING), replied)
    finally:
        await engine.dispose()


def test_sla_explain_shows_each_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    asyncio.run(_seed())
    assert run(["sla", "explain", "1"]) == 0
    out = capsys.readouterr().out
    assert "Ticket #1: Enterprise · high · waiting_on_customer" in out
    assert "Calendar: 24x7" in out
    assert "First response: target 4 hours · met" in out
    assert "Resolution: target 72 hours · paused" in out and "spent 1h 00m of 72 hours" in out
    assert "escalation chain: 1. L1 first contact → console" in out
    assert run(["sla", "explain", "9"]) == 2
    assert "no ticket #9" in capsys.readouterr().err
    assert run(["sla", "replan"]) == 0
    assert "planned 1 active ticket(s) again" in capsys.readouterr().out
