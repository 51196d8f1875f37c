"""``helpline staff add/list/disable/enable`` on a real SQLite database in a temporary data folder."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from bots.web.passwords import Passwords
from config.settings import load_settings
from core.staff.records import Identity, StaffAccount, StaffRole, StaffSession
from core.staff.tokens import new_token, token_hash

PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test on its own empty database, with the shipped settings."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _piped(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """A terminal on standard input, where getpass gets ``answers`` in turn; the prompts are returned."""
    prompts: list[str] = []
    queue = list(answers)

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return queue.pop(0)

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    return prompts


async def _account(name: str) -> StaffAccount | None:
    stores, engine = await open_stores(load_settings(None))
    try:
        return await stores.staff.get(name)
    finally:
        await engine.dispose()


def test_an_account_added_with_a_piped_password_signs_in_with_that_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _piped(monkeypatch, PASSWORD + "\nignored second line\n")
    assert run(["staff", "add", "ana", "--role", "lead"]) == 0
    assert "added ana (lead)" in capsys.readouterr().out
    account = asyncio.run(_account("ana"))
    assert account is not None and account.password_hash is not None
    assert (account.role, account.disabled) == (StaffRole.LEAD, False)
    # It acts as dashboard:ana with the moderator roles of the settings, so the desk lets it run commands.
    assert account.identity == Identity("dashboard", "ana", "ana", frozenset({"moderator", "support"}))
    assert Passwords().verify(account.password_hash, PASSWORD)
    assert not Passwords().verify(account.password_hash, PASSWORD + "\n")
    assert PASSWORD not in account.password_hash


def test_on_a_terminal_the_password_is_asked_twice_and_must_match(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = _typed(monkeypatch, PASSWORD, PASSWORD + "!")
    assert run(["staff", "add", "bo", "--role", "agent"]) == 2
    assert "the two passwords differ; nothing was changed" in capsys.readouterr().err
    assert len(prompts) == 2 and asyncio.run(_account("bo")) is None
    _typed(monkeypatch, PASSWORD, PASSWORD)
    assert run(["staff", "add", "bo", "--role", "AGENT"]) == 0
    account = asyncio.run(_account("bo"))
    assert account is not None and account.password_hash is not None and account.role is StaffRole.AGENT
    assert Passwords().verify(account.password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("args", "stdin", "error"),
    [
        (["ana", "--role", "boss"], PASSWORD, "'boss' is not a staff role; use agent or lead"),
        (["ana", "--role", "lead"], "\n", "the password is empty"),
        (["ana", "--role", "lead"], "", "the password is empty"),
        (["ana", "--role", "lead"], "hunter2\n", "7 characters long; it needs at least 12"),
        (["discord:42", "--role", "lead"], PASSWORD, "'discord:42' cannot name an account"),
        (["", "--role", "lead"], PASSWORD, "'' cannot name an account"),
    ],
)
def test_a_bad_role_name_or_password_is_refused_saying_why_and_adds_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], stdin: str, error: str
) -> None:
    _piped(monkeypatch, stdin)
    assert run(["staff", "add", *args]) == 2
    assert error in capsys.readouterr().err
    assert asyncio.run(_account("ana")) is None


def test_a_taken_name_is_refused_before_a_password_is_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _piped(monkeypatch, PASSWORD)
    assert run(["staff", "add", "ana", "--role", "lead"]) == 0
    prompts = _typed(monkeypatch)  # getpass would fail: nothing to answer
    assert run(["staff", "add", "ana", "--role", "agent"]) == 2
    assert "the name 'ana' is taken" in capsys.readouterr().err
    assert prompts == []
    account = asyncio.run(_account("ana"))
    assert account is not None and account.role is StaffRole.LEAD


async def _session_is_live(name: str) -> tuple[str, bool]:
    """Start a session for ``name`` now and say whether it is live, with its hash for a later look."""
    stores, engine = await open_stores(load_settings(None))
    try:
        account = await stores.staff.get(name)
        assert account is not None
        now = datetime.now(UTC)
        session = StaffSession(
            token_hash(new_token()), name, account.role, account.identity, new_token(), now, now + timedelta(hours=1)
        )
        await stores.sessions.start(session)
        return session.token_hash, await stores.sessions.get(session.token_hash, now) is not None
    finally:
        await engine.dispose()


async def _live(hashed: str) -> bool:
    stores, engine = await open_stores(load_settings(None))
    try:
        return await stores.sessions.get(hashed, datetime.now(UTC)) is not None
    finally:
        await engine.dispose()


def test_listing_disabling_and_enabling_accounts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["staff", "list"]) == 0
    assert "no staff accounts yet" in capsys.readouterr().out
    for name, role in (("zoe", "agent"), ("ana", "lead")):
        _piped(monkeypatch, PASSWORD)
        assert run(["staff", "add", name, "--role", role]) == 0
    hashed, live = asyncio.run(_session_is_live("zoe"))
    assert live
    capsys.readouterr()
    assert run(["staff", "disable", "zoe"]) == 0
    assert "disabled zoe" in capsys.readouterr().out
    assert not asyncio.run(_live(hashed))  # signed out at once
    assert run(["staff", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "ROLE", "IDENTITY", "DISABLED", "CREATED", "(UTC)"]
    assert [line.split()[:4] for line in lines[1:]] == [
        ["ana", "lead", "dashboard:ana", "no"],
        ["zoe", "agent", "dashboard:zoe", "yes"],
    ]
    assert run(["staff", "enable", "zoe"]) == 0
    assert "enabled zoe" in capsys.readouterr().out
    account = asyncio.run(_account("zoe"))
    assert account is not None and not account.disabled
    assert not asyncio.run(_live(hashed))  # an old session stays ended


def test_disabling_or_enabling_an_unknown_name_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in ("disable", "enable"):
        assert run(["staff", verb, "nobody"]) == 2
        assert "no staff account is named 'nobody'" in capsys.readouterr().err
