"""Reading the mailboxes over IMAP (aioimaplib): IDLE when the server offers it, polling otherwise.

Each mailbox has its own connection loop. Unseen messages are fetched by UID with ``BODY.PEEK[]`` (which does
not mark them read), handed to ``accept`` (which stores each one durably as a job) and only then flagged
``\\Seen``. A process that dies in between leaves the message unseen, so the next start fetches it again and the
job's key (its Message-ID) makes that second copy a no-op. A connection that fails is logged and tried again
after a wait that doubles up to five minutes; it never stops ``helpline serve``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aioimaplib

if TYPE_CHECKING:
    from bots.email.settings import EmailSettings, Mailbox

log = logging.getLogger("helpline.email")

Accept = Callable[[str, bytes], Awaitable[None]]  # (the mailbox's address, the mail's bytes), stored durably
FOLDER = "INBOX"
IDLE_SECONDS = 29 * 60  # RFC 2177: re-issue IDLE before the server's 30-minute inactivity timeout
COMMAND_SECONDS = 60.0
FIRST_BACKOFF = 1.0
LAST_BACKOFF = 300.0


class ImapError(Exception):
    """The server refused a command (a wrong password, no such folder); the loop reconnects later."""


class MailboxReader:
    """Keeps one mailbox read: connect, log in, fetch what is unseen, wait for more, reconnect on failure."""

    def __init__(
        self,
        settings: EmailSettings,
        mailbox: Mailbox,
        accept: Accept,
        *,
        idle_seconds: float = IDLE_SECONDS,
        first_backoff: float = FIRST_BACKOFF,
        use_idle: bool = True,  # False: poll every ``poll_seconds`` even when the server offers IDLE
    ) -> None:
        self._settings = settings
        self._mailbox = mailbox
        self._accept = accept
        self._idle_seconds = idle_seconds
        self._first_backoff = first_backoff
        self._use_idle = use_idle
        self.failures = 0  # connection attempts failed in a row; 0 once logged in
        self.connected = asyncio.Event()  # set while logged in and reading (tests and the status wait on it)
        self.idling = False  # whether this connection waits in IDLE (else it polls)

    async def run(self, stop: asyncio.Event) -> None:
        """Read the mailbox until ``stop``; every failure is logged and retried with a growing wait."""
        while not stop.is_set():
            try:
                await self._session(stop)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the network, the server, a refused login: never the end of serve
                delay = min(self._first_backoff * 2**self.failures, LAST_BACKOFF)
                self.failures += 1
                log.warning(
                    "mailbox %s: %s; trying again in %.0f s",
                    self._mailbox.address,
                    f"{type(exc).__name__}: {exc}".rstrip(": "),
                    delay,
                )
                await _sleep(stop, delay)
            finally:
                self.connected.clear()

    async def _session(self, stop: asyncio.Event) -> None:
        lost = asyncio.Event()
        client = self._client(lambda _exc: lost.set())
        try:
            await client.wait_hello_from_server()
            box = self._mailbox
            _ok(await client.login(box.user, box.password), "LOGIN")
            _ok(await client.select(FOLDER), f"SELECT {FOLDER}")
            self.failures = 0
            self.connected.set()
            idle = self.idling = self._use_idle and client.has_capability("IDLE")
            log.info("mailbox %s: reading %s (%s)", box.address, FOLDER, "IDLE" if idle else "polling")
            while not stop.is_set():
                await self._fetch_unseen(client)
                if lost.is_set():
                    raise ConnectionError("the server closed the connection")
                if idle:
                    await self._idle(client, stop, lost)
                else:
                    await _sleep(stop, self._settings.poll_seconds)
        finally:
            await _logout(client)

    def _client(self, lost: Callable[[Exception | None], None]) -> Any:
        settings = self._settings
        host, port = settings.imap_host, settings.imap_port
        if settings.tls:  # certificates and host names checked, as the default context does
            context = ssl.create_default_context()
            client = aioimaplib.IMAP4_SSL(host, port, timeout=COMMAND_SECONDS, ssl_context=context)
        else:
            client = aioimaplib.IMAP4(host, port, timeout=COMMAND_SECONDS)
        client.protocol.conn_lost_cb = lost  # IMAP4_SSL takes no callback of its own: set on the protocol
        return client

    async def _fetch_unseen(self, client: Any) -> None:
        """Hand every unseen message to ``accept``, oldest first, flagging each ``\\Seen`` once it is stored."""
        found = _ok(await client.uid_search("UNSEEN"), "UID SEARCH UNSEEN")
        uids = sorted({int(word) for line in found.lines[:1] for word in bytes(line).split() if word.isdigit()})
        for uid in uids:
            fetched = _ok(await client.uid("fetch", str(uid), "(BODY.PEEK[])"), f"UID FETCH {uid}")
            raw = next((bytes(line) for line in fetched.lines if isinstance(line, bytearray)), None)
            if raw is None:  # expunged meanwhile by another client
                continue
            await self._accept(self._mailbox.address, raw)
            _ok(await client.uid("store", str(uid), "+FLAGS.SILENT", "(\\Seen)"), f"UID STORE {uid}")

    async def _idle(self, client: Any, stop: asyncio.Event, lost: asyncio.Event) -> None:
        """Wait in IDLE until the server tells of a change, ``stop``, the connection drops or the IDLE times out."""
        idle = await client.idle_start(timeout=self._idle_seconds)
        waits = [
            asyncio.ensure_future(client.wait_server_push(timeout=self._idle_seconds + COMMAND_SECONDS)),
            asyncio.ensure_future(stop.wait()),
            asyncio.ensure_future(lost.wait()),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waits:
                waiter.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        if lost.is_set():
            raise ConnectionError("the server closed the connection")
        if client.has_pending_idle():
            client.idle_done()
        await asyncio.wait_for(idle, COMMAND_SECONDS)


def _ok(response: Any, what: str) -> Any:
    if getattr(response, "result", "") != "OK":
        said = b" ".join(bytes(line) for line in getattr(response, "lines", [])[:1]).decode("utf-8", "replace")
        raise ImapError(f"{what} refused: {said or 'no answer'}")
    return response


async def _logout(client: Any) -> None:
    with contextlib.suppress(Exception):  # already gone: nothing to tidy
        if client.get_state() in ("AUTH", "SELECTED"):
            await asyncio.wait_for(client.logout(), 5)
    with contextlib.suppress(Exception):
        transport = client.protocol.transport
        if transport is not None:
            transport.close()


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
