"""The console on the in-memory desk: type lines, read what a person at the terminal would see."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterator

from bots.console.app import ConsoleChat, ConsoleNotifier, line_reader, new_identity
from bots.console.render import terminal
from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import KnowledgeEditor, MessageUnderstander, Moderators
from core.messages import CONSOLE
from core.ports import Embedder
from core.stores import Stores
from core.tiers import Customer
from tests.desk_fakes import START, fake_system
from tests.fakes import memory_stores

WIDTH = 100


class ConsoleWorld:
    """One console session as ``user`` (a moderator with ``moderator``), its tier from ``tier``."""

    def __init__(
        self,
        *,
        user: str = "ana",
        tier: str | None = None,
        moderator: bool = False,
        understander: MessageUnderstander | None = None,
        knowledge: KnowledgeEditor | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.identity = new_identity(user, frozenset({"moderator"}) if moderator else frozenset())
        tiers = load_tiers(DEFAULT_TIERS_FILE)
        if tier is not None:
            tiers = tiers.with_customer(Customer("acme", "Acme", tier, (f"{CONSOLE}:{user}",)))
        self.stores: Stores = memory_stores()
        self.clock = ManualClock(START)
        notifier = ConsoleNotifier()
        self.system = fake_system(
            Settings(),
            tiers=tiers,
            stores=self.stores,
            notifier=notifier,
            clock=self.clock,
            moderators=Moderators(frozenset({"moderator"})),
            understander=understander,
            embedder=embedder,
        )
        self.system.desk.desk.knowledge = self.system.knowledge = knowledge
        self.notifier = notifier

    def talk(self, lines: list[str], *, json_mode: bool = False) -> str:
        """Type ``lines`` one after another; everything the console printed."""
        out = io.StringIO()
        target = out if json_mode else terminal(out, colour=False, width=WIDTH)
        chat = ConsoleChat(self.system, self.notifier, self.clock, self.identity, target)
        typed: Iterator[str] = iter(lines)
        with asyncio.Runner() as runner:
            chat.converse(runner, lambda: next(typed, None))
        return out.getvalue()


def main() -> None:
    """A session on the terminal (``python -m tests.console_world``), for the tests that drive a pty."""
    world = ConsoleWorld()
    chat = ConsoleChat(world.system, world.notifier, world.clock, world.identity, terminal(sys.stdout, colour=False))
    try:
        with asyncio.Runner() as runner:
            chat.converse(runner, line_reader(sys.stdin, prompt="you> "))
    except KeyboardInterrupt:  # as ``helpline`` does
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
