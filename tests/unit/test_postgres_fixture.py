"""The PostgreSQL test fixtures fail loudly, never quietly skip, when there is no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import postgres


def test_a_server_that_cannot_start_is_an_error_naming_the_folder(tmp_path: Path) -> None:
    nowhere = tmp_path / "missing" / "pgdata"  # pgserver needs the parent folder to exist
    with pytest.raises(RuntimeError, match=f"pgserver could not start PostgreSQL in {nowhere}"):
        next(postgres.started_server(nowhere))


@pytest.mark.asyncio
async def test_an_unreachable_server_is_an_error() -> None:
    with pytest.raises(OSError, match=r"(?i)refused|connect"):
        await postgres.create_database("postgresql://nobody@127.0.0.1:9/postgres")


def test_urls_get_the_asyncpg_driver_and_the_test_database() -> None:
    url = postgres.async_url("postgresql://postgres:@/postgres?host=/tmp/pg", "helpline_test_1")
    assert postgres.render(url) == "postgresql+asyncpg://postgres:@/helpline_test_1?host=%2Ftmp%2Fpg"
