"""Property-based fuzzing: the suite's own hypothesis properties of the translators, the command parser and the
console, each fed many more inputs than the test suite gives them, through hypothesis's ``fuzz_one_input``.

A case is one input the strategy accepted; it held if the property did (no exception, no failed assertion).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from benchmarks.reliability.figures import Figure, Tally
from benchmarks.reliability.sampling import SEED
from tests.adapters.discord import test_translate_fuzz as discord_fuzz
from tests.adapters.github import test_translate_fuzz as github_fuzz
from tests.adapters.slack import test_translate_fuzz as slack_fuzz
from tests.unit import test_config_fuzz as core_fuzz

LONGEST_INPUT = 4096  # bytes of hypothesis's choice sequence per case

PROPERTIES: dict[str, Callable[..., Any]] = {
    "Slack events": slack_fuzz.test_any_event_envelope_reads_as_an_event_or_none,
    "Slack button presses": slack_fuzz.test_any_button_payload_reads_as_a_press_or_none,
    "Slack slash commands": slack_fuzz.test_any_slash_command_form_reads_as_a_command_or_none,
    "Discord messages": discord_fuzz.test_any_message_is_placed_or_ignored_and_reads_without_the_bot_s_mention,
    "Discord replies": discord_fuzz.test_any_reply_renders_to_messages_discord_accepts,
    "Discord addresses": discord_fuzz.test_any_address_names_a_channel_or_says_why_not,
    "GitHub deliveries": github_fuzz.test_any_delivery_reads_as_an_event_none_or_a_payload_error,
    "the command parser": core_fuzz.test_the_command_parser_returns_a_command_or_says_what_is_wrong,
    "console lines": core_fuzz.test_any_console_line_is_read_as_something_without_an_exception,
    "durations": core_fuzz.test_a_duration_is_bounded_or_refused_with_a_reason,
}


def _fuzz(name: str, prop: Callable[..., Any], size: int, tally: Tally, chosen: random.Random) -> int:
    """Feed ``prop`` ``size`` random inputs; how many the strategy accepted."""
    accepted = 0
    for _ in range(size):
        buffer = chosen.randbytes(chosen.randrange(1, LONGEST_INPUT))
        try:
            used = prop.hypothesis.fuzz_one_input(buffer)  # type: ignore[attr-defined]
        except Exception as exc:
            tally.check(False, f"{name}: {type(exc).__name__}: {str(exc)[:160]}")
            accepted += 1
            continue
        if used is not None:  # None: the bytes did not make a valid example, nothing was tried
            tally.check(True, name)
            accepted += 1
    return accepted


async def property_fuzzing(size: int) -> Figure:
    """Probe 6: ``size`` random inputs into each of the suite's properties."""
    tally, chosen, counts = Tally(), random.Random(SEED), []
    for name, prop in PROPERTIES.items():
        counts.append(f"{name} {_fuzz(name, prop, size, tally, chosen)}")
    return tally.figure(
        "Property-based fuzzing",
        f"The suite's hypothesis properties of {len(PROPERTIES)} readers (Slack events, button presses and slash "
        "commands; Discord messages, replies and addresses; GitHub deliveries; the command parser; console lines; "
        "durations), each fed random inputs through hypothesis's `fuzz_one_input`. A case is an input the strategy "
        "accepted; it holds when the property does (no exception, no failed assertion).",
        "Inputs accepted per property: " + ", ".join(counts) + ".",
    )
