"""The local console: a whole support conversation in the terminal, against the real core."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol, TextIO

from rich.console import Console

from bots.bootstrap import System
from bots.console.render import show
from bots.console.translate import BadInput, Identity, Quit, Wait, as_json, console_help, is_help, read_line
from core.files import private_file
from core.messages import Address, Attachment, Choice, ChoiceMessage, IncomingMessage, Outbound, Reply, ReplyKind

Emit = Callable[[Reply, Address | None], None]
# Reads one typed line; None at the end of input.
LineReader = Callable[[], str | None]


class MovableClock(Protocol):
    """The console's clock: ``/wait`` moves it forward (``core.clock.ShiftedClock``)."""

    def now(self) -> datetime:
        """The time it is now."""
        ...

    def advance(self, delta: timedelta) -> None:
        """Move time on by ``delta``."""
        ...


class ConsoleNotifier:
    """Prints what the core sends on its own (escalations, agent replies) wherever it is addressed.

    The console stands in for every platform, so a notice for ``slack:C123`` is shown too.
    """

    def __init__(self, files: Path | None = None) -> None:
        self.emit: Emit | None = None
        self.files = files  # where attachments (the digest's chart) are saved, private to the user

    async def send(self, outbound: Outbound) -> None:
        """Show the message, labelled with its address; its files are saved and their paths shown."""
        if self.emit is None:
            raise RuntimeError("the console is not running")
        reply = outbound.reply
        if reply.attachments:
            reply = replace(reply, text="\n".join([reply.text, *map(self._save, reply.attachments)]), attachments=())
        self.emit(reply, outbound.address)

    def _save(self, attachment: Attachment) -> str:
        if self.files is None:
            return f"({attachment.name} not saved: the console has no data folder)"
        # A fresh name each time: a later digest never overwrites an earlier one, and no name from the
        # notice can point outside the folder.
        path = private_file(self.files / f"{uuid.uuid4().hex[:12]}-{Path(attachment.name).name or 'file'}")
        path.write_bytes(attachment.data)
        return f"({attachment.media_type} saved to {path})"


class ConsoleChat:
    """Reads lines, hands them to the desk, prints replies and runs the escalation worker as time moves."""

    def __init__(
        self,
        system: System,
        notifier: ConsoleNotifier,
        clock: MovableClock,
        identity: Identity,
        out: Console | TextIO,
    ) -> None:
        """``out`` is a rich console for people, or a text stream for ``--json`` (one object per line)."""
        self._system = system
        self._clock = clock
        self._identity = identity
        self._out = out
        self._pending: list[Choice] = []
        notifier.emit = self._emit

    def _emit(self, reply: Reply, to: Address | None = None) -> None:
        first = len(self._pending) + 1
        self._pending.extend(reply.choices)
        if isinstance(self._out, Console):
            show(self._out, reply, to, first)
        else:
            self._out.write(json.dumps(as_json(reply, to, first), ensure_ascii=False) + "\n")
            self._out.flush()

    def info(self, text: str, kind: ReplyKind = ReplyKind.INFO) -> None:
        """Print a console message that is not from the desk."""
        self._emit(Reply(kind, text))

    @property
    def moderator(self) -> bool:
        """True if the person at the console may run moderator commands."""
        wanted = {role.casefold() for role in self._system.desk.moderator_roles}
        return any(role.casefold() in wanted for role in self._identity.roles)

    async def step(self, line: str, number: int) -> bool:
        """Handle one typed line; False when the user wants to leave."""
        parsed = read_line(line, self._identity, tuple(self._pending), number)
        if isinstance(parsed, Quit):
            return False
        if isinstance(parsed, BadInput):
            self.info(parsed.problem, ReplyKind.ERROR)
            return True
        if isinstance(parsed, IncomingMessage | ChoiceMessage):
            self._pending = []  # a command or /wait in between leaves the last answer's choices open
        if isinstance(parsed, Wait):
            try:
                self._clock.advance(parsed.delta)
            except ValueError as exc:
                self.info(f"{exc}. Usage: /wait DURATION, e.g. /wait 3h", ReplyKind.ERROR)
                return True
            self.info(f"(time passes: it is now {self._clock.now():%Y-%m-%d %H:%M} UTC)")
        elif is_help(parsed):
            self.info(console_help(moderator=self.moderator))
        else:
            replies: Sequence[Reply] = await self._system.desk.handle(parsed)
            for reply in replies:
                self._emit(reply)
        await self._system.worker.run_once()
        return True

    def converse(self, runner: asyncio.Runner, read: LineReader) -> None:
        """Hold the conversation until end of input or ``quit``.

        Lines are read between turns, while the event loop is idle, so Ctrl-C at the prompt ends the
        session at once instead of waiting on a reading thread.
        """
        runner.run(self._system.worker.run_once())  # anything that fell due while nobody was watching
        number = 0
        while (line := read()) is not None:
            number += 1
            if line.strip() and not runner.run(self.step(line, number)):
                return


def line_reader(stdin: TextIO, *, prompt: str) -> LineReader:
    """Read lines from ``stdin``: with line editing and history on a terminal, plainly from a pipe."""
    if not stdin.isatty():
        return lambda: stdin.readline() or None
    import readline  # noqa: F401 - importing it gives input() line editing and history

    def read() -> str | None:
        try:
            return input(prompt)
        except EOFError:  # Ctrl-D
            print()
            return None

    return read


def new_identity(user: str, roles: frozenset[str]) -> Identity:
    """A console identity in a fresh thread, so every session is its own conversation."""
    return Identity(user, roles, f"{user}-{uuid.uuid4().hex[:8]}")
