"""The local console: a whole support conversation in the terminal, against the real core."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import TextIO

from bots.bootstrap import System
from bots.console.translate import BadInput, Identity, Quit, Wait, as_json, as_text, read_line
from core.clock import ShiftedClock
from core.messages import Address, Choice, Outbound, Reply, ReplyKind

Emit = Callable[[Reply, Address | None], None]


class ConsoleNotifier:
    """Prints what the core sends on its own (escalations, agent replies) wherever it is addressed.

    The console stands in for every platform, so a notice for ``slack:C123`` is shown too.
    """

    def __init__(self) -> None:
        self.emit: Emit | None = None

    async def send(self, outbound: Outbound) -> None:
        """Show the message, labelled with its address."""
        if self.emit is None:
            raise RuntimeError("the console is not running")
        self.emit(outbound.reply, outbound.address)


class ConsoleChat:
    """Reads lines, hands them to the desk, prints replies and runs the escalation worker as time moves."""

    def __init__(
        self,
        system: System,
        notifier: ConsoleNotifier,
        clock: ShiftedClock,
        identity: Identity,
        out: TextIO,
        *,
        json_mode: bool = False,
    ) -> None:
        self._system = system
        self._clock = clock
        self._identity = identity
        self._out = out
        self._json = json_mode
        self._pending: list[Choice] = []
        notifier.emit = self._emit

    def _emit(self, reply: Reply, to: Address | None = None) -> None:
        first = len(self._pending) + 1
        self._pending.extend(reply.choices)
        if self._json:
            self._out.write(json.dumps(as_json(reply, to, first), ensure_ascii=False) + "\n")
        else:
            self._out.write(as_text(reply, to, first) + "\n")
        self._out.flush()

    def info(self, text: str, kind: ReplyKind = ReplyKind.INFO) -> None:
        """Print a console message that is not from the desk."""
        self._emit(Reply(kind, text))

    async def step(self, line: str, number: int) -> bool:
        """Handle one typed line; False when the user wants to leave."""
        pending = tuple(self._pending)
        parsed = read_line(line, self._identity, pending, number)
        if isinstance(parsed, Quit):
            return False
        if isinstance(parsed, BadInput):
            self.info(parsed.problem, ReplyKind.ERROR)
            return True
        if isinstance(parsed, Wait):
            try:
                self._clock.advance(parsed.delta)
            except ValueError as exc:
                self.info(f"{exc}. Usage: /wait DURATION, e.g. /wait 3h", ReplyKind.ERROR)
                return True
            self._pending = []
            self.info(f"(time passes: it is now {self._clock.now():%Y-%m-%d %H:%M} UTC)")
        else:
            self._pending = []
            replies: Sequence[Reply] = await self._system.desk.handle(parsed)
            for reply in replies:
                self._emit(reply)
        await self._system.worker.run_once()
        return True

    async def run(self, read: Callable[[], str]) -> None:
        """Hold the conversation until end of input or ``quit``."""
        await self._system.worker.run_once()  # anything that fell due while nobody was watching
        number = 0
        while True:
            if not self._json and sys.stdin.isatty():
                self._out.write("you> ")
                self._out.flush()
            line = await asyncio.to_thread(read)
            if not line:
                return
            number += 1
            if line.strip() and not await self.step(line, number):
                return


def new_identity(user: str, roles: frozenset[str]) -> Identity:
    """A console identity in a fresh thread, so every session is its own conversation."""
    return Identity(user, roles, f"{user}-{uuid.uuid4().hex[:8]}")
