"""The e-mail adapter as ``helpline serve`` runs it, on SQLite, reading a real IMAP server, sending to a real SMTP one.

The IMAP server is pymap (its in-memory ``dict`` backend, as a child process on a free port); mail reaches it by
APPEND, as a mail server's delivery would. The SMTP server is aiosmtpd in process, keeping what it receives.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import aioimaplib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from sqlalchemy.ext.asyncio import AsyncEngine

from bots.adapters import AdapterContext
from bots.cli.roles import ALL
from bots.email.runner import EmailRunner
from config.settings import Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.desk.pipeline import SupportDesk
from core.jobs import JobStatus
from core.messages import CONSOLE, DISCORD, Address, Author, CommandText, Reply
from core.notify import RoutingNotifier
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from tests.desk_fakes import START, RecordingNotifier, fake_system

SECRET = "a-test-secret-of-enough-length"
SUPPORT = "support@helpline.example"
PASSWORD = "imap-test-password"
TIERS = """\
version: 1
default_tier: community
tiers:
  community:
    label: Community
    hours: best effort
    first_response: {critical: null, high: null, medium: 72h, low: 1w}
    resolution: {critical: null, high: null, medium: null, low: null}
    escalation: null
    channels: [email, console, discord]
  enterprise:
    label: Enterprise
    hours: 24x7
    first_response: {critical: 2h, high: 4h, medium: 8h, low: 24h}
    resolution: {critical: 1d, high: 3d, medium: 5d, low: 10d}
    escalation: {target: console}
    channels: [email, console, discord]
rules:
  - {platform: email, workspace: bigcorp.example, tier: enterprise}
"""


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """What the SMTP server received, as parsed mails."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        mail = message_from_bytes(content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.mails.append(mail)
        return "250 OK"

    async def wait_for(self, count: int, seconds: float = 60.0) -> list[EmailMessage]:
        """The mails once there are ``count`` of them; fails when they do not come in time."""
        deadline = time.monotonic() + seconds
        while len(self.mails) < count:
            assert time.monotonic() < deadline, f"expected {count} mails, got {len(self.mails)}"
            await asyncio.sleep(0.05)
        return self.mails


def _login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object) -> AuthResult:
    """The mailbox's own login, as a provider's submission server asks for it."""
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (SUPPORT.encode(), PASSWORD.encode())
    return AuthResult(success=ok)


def start_smtp() -> tuple[Inbox, Controller, int]:
    """aiosmtpd on a free port taking support@'s login (over plain text: a local test), keeping what it gets."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_require_tls=False)
    controller.start()
    return inbox, controller, port


def start_pymap(port: int) -> subprocess.Popen[bytes]:
    """pymap's in-memory IMAP server with the one mailbox ``support@``, waited for until it answers."""
    command = [sys.executable, "-c", "from pymap.main import main; main()", "--port", str(port), "--no-tls", "dict"]
    command += ["--demo-user", SUPPORT, "--demo-password", PASSWORD]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("pymap did not start") from None
            time.sleep(0.1)


def imap_server() -> Iterator[int]:
    """A fixture body: pymap on a free port for one test, stopped after it."""
    port = free_port()
    server = start_pymap(port)
    try:
        yield port
    finally:
        server.terminate()
        server.wait(10)


async def append(port: int, raw: bytes) -> None:
    """Put ``raw`` in support@'s INBOX, as the mail server delivering it would."""
    client = aioimaplib.IMAP4("127.0.0.1", port, timeout=10)
    await client.wait_hello_from_server()
    await client.login(SUPPORT, PASSWORD)
    response = await client.append(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), mailbox="INBOX")
    assert response.result == "OK", response
    await client.logout()


async def mark_unseen(port: int) -> None:
    """Take ``\\Seen`` off every message, as if the reader had died between storing them and flagging them."""
    client = aioimaplib.IMAP4("127.0.0.1", port, timeout=10)
    await client.wait_hello_from_server()
    await client.login(SUPPORT, PASSWORD)
    await client.select("INBOX")
    response = await client.uid("store", "1:*", "-FLAGS.SILENT", "(\\Seen)")
    assert response.result == "OK", response
    await client.logout()


async def unseen(port: int) -> list[bytes]:
    """The UIDs still unseen in support@'s INBOX."""
    client = aioimaplib.IMAP4("127.0.0.1", port, timeout=10)
    await client.wait_hello_from_server()
    await client.login(SUPPORT, PASSWORD)
    await client.select("INBOX")
    response = await client.uid_search("UNSEEN")
    await client.logout()
    return [word for word in bytes(response.lines[0]).split() if word.isdigit()]


@dataclass
class World:
    """The running e-mail adapter and what a test looks at."""

    runner: EmailRunner
    desk: SupportDesk
    store: Stores
    engine: AsyncEngine
    inbox: Inbox
    console: RecordingNotifier
    imap_port: int
    clock: ManualClock

    async def moderator(self, text: str) -> Reply:
        """A moderator's command from Discord (the staff side); its one reply."""
        message = CommandText(Address(DISCORD, "g1", "staff"), Author("mo", "Mo", frozenset({"moderator"})), text)
        [reply] = await self.desk.handle(message)
        return reply

    async def settled(self, seconds: float = 60.0) -> None:
        """Wait until the IMAP reader has nothing unseen left and the job queue has nothing pending."""
        deadline = time.monotonic() + seconds
        while await unseen(self.imap_port) or (await self.runner.jobs.counts()).get(JobStatus.PENDING, 0):
            assert time.monotonic() < deadline, "the mail was not handled in time"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # the job taken last finishes

    async def close(self) -> None:
        """Stop the adapter and the database."""
        await self.runner.close()
        await self.engine.dispose()


async def make_world(db: Path, imap_port: int, smtp_port: int, inbox: Inbox, *, poll: str = "") -> World:
    """The e-mail adapter on the SQLite file ``db``, reading pymap at ``imap_port``, started."""
    engine = create_engine_for(sqlite_url(db))
    await upgrade_schema(engine)
    store = sql_stores(engine)
    tiers_file = db.with_suffix(".tiers.yaml")
    tiers_file.write_text(TIERS, "utf-8")
    console = RecordingNotifier()
    notifier = RoutingNotifier({CONSOLE: console})
    clock = ManualClock(START)
    system = fake_system(
        Settings(), tiers=load_tiers(tiers_file), stores=store, notifier=notifier, clock=clock, moderators=Moderators()
    )
    env = {
        "HELPLINE_EMAIL_MAILBOXES": SUPPORT,
        "HELPLINE_EMAIL_SECRET": SECRET,
        "HELPLINE_EMAIL_SMTP_HOST": "127.0.0.1",
        "HELPLINE_EMAIL_SMTP_PORT": str(smtp_port),
        "HELPLINE_EMAIL_IMAP_HOST": "127.0.0.1",
        "HELPLINE_EMAIL_IMAP_PORT": str(imap_port),
        "HELPLINE_EMAIL_PASSWORD_SUPPORT": PASSWORD,
        "HELPLINE_EMAIL_PLAIN": "1",
        **({"HELPLINE_EMAIL_POLL_SECONDS": poll} if poll else {}),
    }
    context = AdapterContext(system.desk, Settings(), env, ALL, system.drains(), notifier, clock)
    runner = EmailRunner(context)
    notifier.add(runner.name, runner.notifier)
    await runner.start()
    return World(runner, system.desk, store, engine, inbox, console, imap_port, clock)
