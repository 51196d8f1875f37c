"""``/wait`` in the console: any number a person types is refused with a message, and the console goes on."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from bots.bootstrap import compose_system
from bots.console.app import ConsoleChat, ConsoleNotifier, new_identity
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ShiftedClock
from core.desk.context import Moderators
from tests.desk_fakes import RULES, KeywordUnderstander
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio


class Console:
    """The console's chat loop on fakes, reading ``--json`` lines back."""

    def __init__(self) -> None:
        catalog = load_intents(DEFAULT_INTENTS_FILE)
        notifier, self.clock = ConsoleNotifier(), ShiftedClock()
        system = compose_system(
            Settings(),
            understander=KeywordUnderstander(catalog, RULES),
            catalog=catalog,
            tiers=load_tiers(DEFAULT_TIERS_FILE),
            stores=memory_stores(),
            notifier=notifier,
            clock=self.clock,
            moderators=Moderators(frozenset({"moderator"})),
        )
        self.out = io.StringIO()
        self.chat = ConsoleChat(system, notifier, self.clock, new_identity("ana", frozenset()), self.out)
        self.lines = 0

    async def type(self, line: str) -> list[dict[str, Any]]:
        """Type one line; the JSON lines it printed."""
        start = self.out.tell()
        self.lines += 1
        assert await self.chat.step(line, self.lines), "the console ended"
        self.out.seek(start)
        printed = [json.loads(text) for text in self.out.read().splitlines()]
        self.out.seek(0, io.SEEK_END)
        return printed


@pytest.mark.parametrize(
    "line", ["/wait 3000000d", "/wait 10000000d", "/wait 99999999999999d", "/wait " + "9" * 500 + "w"]
)
async def test_a_wait_too_long_for_any_calendar_is_refused_and_the_console_goes_on(line: str) -> None:
    console = Console()
    [refusal] = await console.type(line)
    assert refusal["kind"] == "error"
    assert "durations are at most 3650d (ten years)" in refusal["text"]
    assert "Usage: /wait DURATION" in refusal["text"]
    [moved] = await console.type("/wait 3h")
    assert moved["text"].startswith("(time passes: it is now ")
    [answer] = await console.type("hello")
    assert answer["kind"] != "error"


async def test_waits_add_up_to_at_most_a_hundred_years_and_a_refused_one_moves_nothing() -> None:
    console = Console()
    for _ in range(10):
        [moved] = await console.type("/wait 3650d")
        assert moved["kind"] == "info"
    before = console.clock.now()
    [refusal] = await console.type("/wait 1d")
    assert refusal["kind"] == "error"
    assert "the clock can move at most 36500d ahead in all (0d left)" in refusal["text"]
    assert console.clock.offset.days == 36_500 and console.clock.now() - before < console.clock.offset / 1000
    [answer] = await console.type("hello")
    assert answer["kind"] != "error"


@pytest.mark.parametrize("line", ["²", "9" * 5000, "٣"])
async def test_a_choice_number_out_of_any_range_is_refused_and_the_choices_stay(line: str) -> None:
    console = Console()
    [answer] = await console.type("my app exits with 137")
    assert len(answer["choices"]) == 3
    [refusal] = await console.type(line)
    assert (refusal["kind"], refusal["text"]) == ("error", "choose a number from 1 to 3, or type a message")
    [picked] = await console.type("1")
    assert picked["kind"] != "error"
