"""Database URLs in settings: the async driver is filled in, and anything else is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import load_settings
from core.errors import ConfigError
from core.store.engine import DatabaseUrlError, async_database_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgresql+asyncpg://helpline:s3cret@db:5432/helpline",
            "postgresql+asyncpg://helpline:s3cret@db:5432/helpline",
        ),
        ("postgresql://helpline:s3cret@db/helpline", "postgresql+asyncpg://helpline:s3cret@db/helpline"),
        ("postgres://helpline@db/helpline", "postgresql+asyncpg://helpline@db/helpline"),
        ("sqlite:////var/lib/helpline/helpline.sqlite3", "sqlite+aiosqlite:////var/lib/helpline/helpline.sqlite3"),
        ("sqlite+aiosqlite:///helpline.sqlite3", "sqlite+aiosqlite:///helpline.sqlite3"),
    ],
)
def test_urls_get_the_async_driver(given: str, used: str) -> None:
    assert async_database_url(given) == used


@pytest.mark.parametrize("url", ["mysql+aiomysql://db/helpline", "postgresql+psycopg2://db/x", "not a url"])
def test_other_databases_and_drivers_are_refused_with_the_forms_that_work(url: str) -> None:
    with pytest.raises(DatabaseUrlError, match=r"postgresql\+asyncpg://|not a database URL"):
        async_database_url(url)


def test_a_bad_url_in_settings_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("support:\n  database_url: mysql://db/helpline\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"helpline\.yaml: support\.database_url: unsupported database 'mysql'"):
        load_settings(path, env={})


def test_settings_keep_the_url_with_its_driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={"HELPLINE_SUPPORT__DATABASE_URL": "postgresql://helpline@db/helpline"})
    assert settings.database_url() == "postgresql+asyncpg://helpline@db/helpline"
