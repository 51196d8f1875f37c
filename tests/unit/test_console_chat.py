"""The console as a person uses it, on the in-memory desk: choices, help, notices and the ticket view."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from core.tickets.records import Role
from tests.console_world import ConsoleWorld
from tests.desk_fakes import make_harness


def test_a_command_between_an_answer_and_its_choice_keeps_the_choice() -> None:
    world = ConsoleWorld()
    shown = world.talk(["my container exits with 137", "/help", "2"])
    assert "Ticket #1" in shown  # "2" still meant "Not helpful"
    assert "not sure I can help" not in shown


def test_a_picked_number_is_not_kept_as_a_customer_message() -> None:
    world = ConsoleWorld()
    world.talk(["my container exits with 137", "/wait 1m", "2"])
    kept = asyncio.run(world.stores.conversations.messages(1))
    assert [m.text for m in kept if m.role is Role.CUSTOMER] == ["my container exits with 137"]


def test_a_new_message_ends_the_last_answers_choices() -> None:
    shown = ConsoleWorld().talk(["my container exits with 137", "hello", "2"])
    assert "Ticket #1" not in shown


def test_help_for_a_customer_lists_what_they_may_type_with_slashes() -> None:
    shown = ConsoleWorld().talk(["/help"])
    assert "/help" in shown and "/wait DURATION" in shown and "quit" in shown
    assert "claim" not in shown and "tickets" not in shown


def test_help_for_a_moderator_lists_every_command_as_typed() -> None:
    shown = ConsoleWorld(moderator=True).talk(["/help"])
    assert "  /claim N — take ticket N" in shown
    assert "  /kb search TEXT" in shown and "/wait DURATION" in shown
    assert "\n            claim N" not in shown  # never without its slash


def test_the_ticket_view_tells_the_history_in_words() -> None:
    world = ConsoleWorld(moderator=True, user="mo")
    shown = world.talk(["my container exits with 137", "2", "/claim 1", "/tickets", "/ticket 1"])
    assert "mo said the suggested answer did not help" in shown
    assert "mo claimed it" in shown and "assignee mo" in shown and " · mo · first response" in shown
    assert "mo opened the ticket" in shown
    assert "answer_not_helpful" not in shown and "console:mo answer" not in shown


def test_an_escalation_notice_names_its_people_in_words_on_short_lines() -> None:
    world = ConsoleWorld(tier="enterprise")
    shown = world.talk(["production is down", "/wait 3h"])
    assert "Notice for the console, notifying the " in shown
    assert "[to console" not in shown and "console:group:" not in shown
    escalation = shown[shown.index("Escalation (level 1") :]
    assert "\n          Assigned to: nobody has claimed it\n" in escalation
    assert all(len(line) <= 100 for line in shown.splitlines())


def test_a_business_hours_promise_says_when_the_hours_count() -> None:
    shown = " ".join(ConsoleWorld(tier="professional").talk(["production is down"]).split())
    assert "counting only business hours (Mon–Fri 08:00–18:00, Europe/London time" in shown
    assert "business-hours" not in shown


def test_json_lines_carry_no_terminal_formatting() -> None:
    out = ConsoleWorld().talk(["my container exits with 137"], json_mode=True)
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["kind"] == "answer" and "\x1b" not in out
    assert [c["number"] for c in record["choices"]] == [1, 2, 3]


def test_time_passes_with_wait() -> None:
    world = ConsoleWorld()
    before = world.clock.now()
    world.talk(["/wait 3h"])
    assert world.clock.now() - before == timedelta(hours=3)


def test_help_on_a_platform_shows_a_customer_only_what_they_may_run() -> None:
    harness = make_harness()
    [customer] = asyncio.run(harness.say("help", command=True))
    assert "help — this list" in customer.text and "claim N" not in customer.text
    assert "claim N — take ticket N" in asyncio.run(harness.mod("help")).text
