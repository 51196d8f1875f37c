"""Replies as the terminal shows them: Markdown rendered, wrapped under the label, colour only where it fits."""

from __future__ import annotations

import io

from bots.console.render import show, terminal, wants_colour
from core.messages import Action, Address, Choice, Citation, Mention, Reply, ReplyKind
from core.wording import extract

PLANS = """There is no separate "cancel" button. Cancelling means downgrading to **Free**.

- Apps beyond the Free plan's limit of 2 are **stopped**, not deleted. You choose which 2 stay running.
- Instances are resized to `nano`.

| | Free | Team |
|---|---|---|
| Apps | 2 | unlimited |
"""
ANSWER = Reply(
    ReplyKind.ANSWER,
    "Plans › Cancelling\n" + extract(PLANS, 1000),
    citation=Citation("Changing your plan", "https://docs.example/plans"),
    choices=(Choice("Helpful", Action.HELPFUL), Choice("Not helpful", Action.NOT_HELPFUL)),
)


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def shown(reply: Reply, to: Address | None = None, *, width: int = 60, first: int = 1) -> str:
    out = io.StringIO()
    show(terminal(out, colour=False, width=width), reply, to, first)
    return out.getvalue()


def test_markdown_is_rendered_not_printed_raw() -> None:
    text = shown(ANSWER)
    assert "**" not in text and "downgrading to Free." in text
    assert "`nano`" not in text and "nano" in text
    assert "|---" not in text and "Free" in text


def test_list_items_keep_their_own_lines() -> None:
    lines = shown(ANSWER, width=100).splitlines()
    items = [line for line in lines if "•" in line]
    assert len(items) == 2
    assert items[0].strip().startswith("• Apps beyond")
    assert items[1].strip().startswith("• Instances are resized")


def test_a_table_keeps_its_rows_and_columns() -> None:
    lines = shown(ANSWER, width=100).splitlines()
    [apps] = [line for line in lines if "Apps " in line and "unlimited" in line]
    assert apps.split() == ["Apps", "2", "unlimited"]


def test_the_heading_stays_on_its_own_line() -> None:
    assert shown(ANSWER).splitlines()[0] == "helpline> Plans › Cancelling"


def test_long_lines_wrap_to_the_width_and_keep_the_indent() -> None:
    lines = shown(ANSWER, width=50).splitlines()
    assert all(len(line) <= 50 for line in lines)
    assert lines[0].startswith("helpline> ")
    assert all(line.startswith(" " * 10) or not line.strip() for line in lines[1:])
    assert not any(line != line.rstrip() for line in lines)


def test_source_and_choices_numbered_from_the_first_pending() -> None:
    text = shown(ANSWER, width=100, first=3)
    assert "source: Changing your plan <https://docs.example/plans>" in text
    assert "[3] Helpful   [4] Not helpful" in text and "[1]" not in text


def test_a_notice_says_where_it_goes_and_whom_it_notifies_in_words() -> None:
    people = (Mention("console", "group", "emea"), Mention("slack", "user", "U0MO"))
    notice = Reply(ReplyKind.ESCALATION, "Escalation (level 1): ticket #4", ticket=4, mentions=people)
    text = shown(notice, Address("slack", channel="C9"), width=100)
    assert text.startswith("helpline> Notice for the Slack channel C9, notifying the emea group and Slack user U0MO:")
    assert "console:group:emea" not in text and "[to " not in text
    assert "\n          Escalation (level 1): ticket #4" in text


def test_errors_are_marked() -> None:
    assert shown(Reply(ReplyKind.ERROR, "that did not work")) == "helpline> error: that did not work\n"


def test_colour_on_a_terminal() -> None:
    out = io.StringIO()
    show(terminal(out, colour=True, width=60), ANSWER)
    assert "\x1b[" in out.getvalue()


def test_no_colour_in_a_pipe_or_with_no_color() -> None:
    assert wants_colour(Tty(), {}) is True
    assert wants_colour(io.StringIO(), {}) is False
    assert wants_colour(Tty(), {"NO_COLOR": "1"}) is False
    assert "\x1b" not in shown(ANSWER)


def test_an_extract_keeps_list_items_and_table_rows_on_their_own_lines() -> None:
    text = extract(PLANS, 1000)
    assert "\n- Apps beyond the Free plan's limit" in text and "\n- Instances are resized" in text
    assert "| | Free | Team |\n|---|---|---|\n| Apps | 2 | unlimited |" in text


def test_a_cut_table_keeps_its_header_and_ends_on_a_line_of_its_own() -> None:
    table = "| a | b |\n|---|---|\n" + "".join(f"| row {n} | {'x' * 20} |\n" for n in range(30))
    text = extract(table, 120)
    lines = text.splitlines()
    assert lines[:3] == ["| a | b |", "|---|---|", "| row 0 | xxxxxxxxxxxxxxxxxxxx |"]
    assert lines[-1] == "…" and all(line.startswith("|") for line in lines[:-1])


def test_a_long_paragraph_is_still_cut_at_a_sentence_end() -> None:
    text = extract("One two three. " * 40, 60)
    assert text == " ".join(["One two three."] * 4) + " …"


def test_a_notice_to_the_customers_console_conversation_names_no_internal_thread() -> None:
    reply = Reply(ReplyKind.TICKET, "Ticket #1 is resolved.", ticket=1)
    text = shown(reply, Address("console", "local", "terminal", "you-08013ead"), width=100)
    assert text.startswith("helpline> Notice for the customer's conversation:")
    assert "you-08013ead" not in text and "the the" not in text


def test_a_code_block_shows_its_lines_as_they_are() -> None:
    text = "Limits › Rate limit headers\nEvery response says:\n\n```\nRateLimit-Limit: 5000\nRateLimit-Reset: 1\n```\n"
    text += "Then prose."
    shown_text = shown(Reply(ReplyKind.ANSWER, text), width=100)
    assert "RateLimit-Limit: 5000\n" in shown_text.replace(" \n", "\n") and "\\" not in shown_text
    assert "RateLimit-Reset: 1" in shown_text
