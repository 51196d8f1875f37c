"""A worker host's clock against the database's: measured on PostgreSQL, warned about when NTP is off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bots.cli import roles
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema

pytestmark = pytest.mark.asyncio


async def test_the_skew_is_measured_against_postgresql_and_not_on_sqlite(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        await upgrade_schema(engine)
        skew = await roles.check_clock(engine)
    finally:
        await engine.dispose()
    if database_url.startswith("sqlite"):
        assert skew is None
    else:
        assert skew is not None and abs(skew) < timedelta(seconds=2)  # same host, same clock


async def test_a_host_clock_off_by_seconds_is_logged_as_a_warning(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def forty_seconds_ahead(engine: object) -> timedelta:
        return timedelta(seconds=40)

    monkeypatch.setattr(roles, "clock_skew", forty_seconds_ahead)
    engine = create_engine_for(postgres_url)
    try:
        with caplog.at_level("WARNING", logger="helpline.serve"):
            await roles.check_clock(engine)
    finally:
        await engine.dispose()
    assert "clock is +40.0 s off the database server's" in caplog.text
    assert "NTP" in caplog.text
