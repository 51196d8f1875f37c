"""Discord's text rules: replies split under the message limit, user text echoed safely, thread titles."""

from __future__ import annotations

import random
import re
import time

import pytest

from bots.discord.text import escape_user_text, split_message, thread_name

ZWSP = "\u200b"
# Fences, with their language tags, are what the splitter may add; whitespace is what it may drop at a cut.
FENCE_OR_SPACE = re.compile(r"```[\w+\-.#]*|\s")
WORDS = ["the", "token", "expires", "after", "an", "hour;", "reset", "your", "password", "**bold**", "café", "🙂"]


def content(text: str) -> str:
    """The text without fences and whitespace: what every split must keep, in order."""
    return FENCE_OR_SPACE.sub("", text)


def assert_well_formed(pieces: list[str], text: str, limit: int) -> None:
    """Every piece fits, says something, opens no code block it does not close, and nothing is lost."""
    for piece in pieces:
        assert 0 < len(piece) <= limit
        assert piece.strip()
        assert piece.count("```") % 2 == 0, piece
    assert content("\n".join(pieces)) == content(text)


# split_message


def test_a_short_reply_is_sent_as_it_is() -> None:
    assert split_message("Restart the agent, then try again.") == ["Restart the agent, then try again."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n"])
def test_nothing_to_say_gives_no_messages(text: str) -> None:
    assert split_message(text) == []


def test_a_long_reply_is_split_between_paragraphs() -> None:
    paragraph = " ".join(["Restart the agent after you change its configuration file."] * 8)
    reply = "\n\n".join([paragraph] * 10)
    assert len(reply) >= 4500

    pieces = split_message(reply)

    assert len(pieces) == 3
    assert all(len(piece) <= 2000 for piece in pieces)
    assert all(piece.startswith("Restart") and piece.endswith("file.") for piece in pieces)
    assert "\n\n".join(pieces) == reply


def test_a_code_block_cut_in_two_is_closed_and_reopened_with_its_language() -> None:
    code = "\n".join(f"    print('step {i}')" for i in range(250))
    reply = f"Run this script:\n\n```python\ndef main():\n{code}\n```\n\nThen restart the agent."

    pieces = split_message(reply)

    assert len(pieces) >= 3
    assert_well_formed(pieces, reply, 2000)
    assert pieces[0].startswith("Run this script:\n\n```python\ndef main():")
    assert all(piece.endswith("\n```") for piece in pieces[:-1])
    # The indentation of the code survives the cut.
    assert all(piece.startswith("```python\n    print(") for piece in pieces[1:])
    assert pieces[-1].endswith("```\n\nThen restart the agent.")


def test_a_short_code_block_after_a_paragraph_moves_whole_to_the_next_message() -> None:
    reply = "Intro words. " * 120 + "\n\n```sh\nhelpline serve --port 8080\n```\n" + "More words here. " * 40

    pieces = split_message(reply)

    assert_well_formed(pieces, reply, 2000)
    assert any("```sh\nhelpline serve --port 8080\n```" in piece for piece in pieces)
    assert sum(piece.count("```") for piece in pieces) == 2


def test_a_code_block_that_fits_in_one_message_is_not_cut() -> None:
    code = "\n".join(f"echo step {i}" for i in range(100))
    reply = "Words before the script. " * 30 + f"\n```sh\n{code}\n```\nWords after."

    pieces = split_message(reply)

    assert_well_formed(pieces, reply, 2000)
    assert pieces[0].endswith("Words before the script.")
    assert pieces[1] == f"```sh\n{code}\n```\nWords after."


def test_a_link_at_the_limit_stays_whole() -> None:
    link = "[the setup guide](https://docs.example.com/setup?step=2)"
    reply = "word " * 395 + f"Read {link} before you start. " + "more " * 100
    assert reply.index(link) < 2000 < reply.index(link) + len(link)

    pieces = split_message(reply)

    assert_well_formed(pieces, reply, 2000)
    assert pieces[1].startswith(link)


def test_a_bare_url_glued_to_a_long_run_of_text_is_not_cut() -> None:
    url = "https://docs.example.com/errors/137"
    reply = "x" * 1990 + url

    assert split_message(reply) == ["x" * 1990, url]


def test_a_link_longer_than_a_message_is_cut_because_it_has_to_be() -> None:
    url = "https://docs.example.com/" + "a" * 2500

    pieces = split_message(url)

    assert [len(piece) for piece in pieces] == [2000, 525]
    assert "".join(pieces) == url


def test_a_single_overlong_token_is_cut_into_full_messages() -> None:
    pieces = split_message("a" * 5000)

    assert pieces == ["a" * 2000, "a" * 2000, "a" * 1000]


def test_a_hard_cut_never_separates_a_backslash_from_the_character_it_escapes() -> None:
    escaped = escape_user_text("*" * 3000)

    pieces = split_message(escaped)

    assert_well_formed(pieces, escaped, 2000)
    assert all(piece.startswith("\\*") for piece in pieces)


def test_limit_must_leave_room_for_text() -> None:
    with pytest.raises(ValueError, match="limit"):
        split_message("hello", 0)


def random_reply(rng: random.Random) -> tuple[str, list[str]]:
    """A reply of prose, links, code blocks and long tokens, with the links it contains."""
    parts: list[str] = []
    links: list[str] = []
    for _ in range(rng.randint(0, 40)):
        roll = rng.random()
        if roll < 0.5:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 80))))
        elif roll < 0.7:
            label = " ".join(rng.choice(WORDS[:9]) for _ in range(rng.randint(1, 3)))
            link = rng.choice([f"[{label}](https://ex.co/{rng.randint(1, 999)})", f"https://ex.co/d/{rng.random()}"])
            links.append(link)
            parts.append(link)
        elif roll < 0.9:
            lines = ("  " * rng.randint(0, 3) + " ".join(rng.choices(WORDS, k=rng.randint(0, 12))) for _ in range(30))
            parts.append(f"```{rng.choice(['', 'python', 'c++', 'sh'])}\n" + "\n".join(lines) + "\n```")
        else:
            parts.append(rng.choice("xyz") * rng.randint(20, 3000))
    text = ""
    for part in parts:
        text += part + rng.choice([" ", "\n", "\n\n", "  \n \n  ", "\t"])
    return text, links


def test_any_reply_splits_into_pieces_that_fit_and_lose_nothing() -> None:
    rng = random.Random(20240601)
    for _ in range(400):
        text, links = random_reply(rng)
        limit = rng.choice([60, 150, 400, 2000])

        pieces = split_message(text, limit)

        assert_well_formed(pieces, text, limit)
        for link in links:
            assert any(link in piece for piece in pieces), link


def test_a_megabyte_reply_splits_quickly() -> None:
    rng = random.Random(7)
    text = ""
    while len(text) < 1_000_000:
        text += random_reply(rng)[0]

    started = time.perf_counter()
    pieces = split_message(text)
    elapsed = time.perf_counter() - started

    assert_well_formed(pieces, text, 2000)
    assert elapsed < 5, f"{elapsed:.1f}s for {len(text):,} characters"


# escape_user_text


@pytest.mark.parametrize("mention", ["@everyone", "@here", "<@123456789012345678>", "<@!123>", "<@&123>", "<#123>"])
def test_mentions_are_shown_as_text_and_cannot_ping(mention: str) -> None:
    escaped = escape_user_text(f"hey {mention} look")

    assert mention not in escaped
    assert escaped.replace(ZWSP, "") == f"hey {mention} look"


def test_markdown_is_shown_as_typed() -> None:
    assert escape_user_text("**bold** and _it_ and `code`") == r"\*\*bold\*\* and \_it\_ and \`code\`"


def test_links_still_work_after_escaping() -> None:
    text = "see https://docs.example.com/some_page_name for details"

    assert escape_user_text(text) == text


def test_bidi_overrides_are_removed_so_they_cannot_disguise_a_mention() -> None:
    escaped = escape_user_text("@\u202eeveryone \u2066hidden\u2069 <\u202d@&42>")

    assert not re.search("[\u202a-\u202e\u2066-\u2069]", escaped)
    assert "@everyone" not in escaped
    assert "<@&" not in escaped


# thread_name


def test_a_thread_is_named_after_the_first_line_of_the_question() -> None:
    question = "\n\n  How do I   reset my\tpassword?  \nI tried the link in the email but it expired."

    assert thread_name(question) == "How do I reset my password?"


def test_mentions_are_left_out_of_the_thread_name() -> None:
    assert thread_name("<@123>: why does the agent exit with 137? <@&9>") == "why does the agent exit with 137?"


def test_a_line_of_mentions_is_skipped_for_the_next_line() -> None:
    assert thread_name("<@123> <@!456>\nThe export hangs") == "The export hangs"


@pytest.mark.parametrize("text", ["", "   \n ", "<@123> <@&456> @everyone"])
def test_a_question_with_no_words_gets_a_generic_thread_name(text: str) -> None:
    assert thread_name(text) == "Question"


def test_a_long_question_is_shortened_at_a_word_with_an_ellipsis() -> None:
    question = "Why does the nightly export to the analytics warehouse " * 5

    name = thread_name(question)

    assert len(name) <= 90
    assert name.endswith("…")
    stem = name.removesuffix("…")
    assert question.startswith(stem)
    assert question[len(stem)] == " "


def test_a_long_word_is_cut_to_fit_the_thread_name() -> None:
    name = thread_name("x" * 300, limit=100)

    assert name == "x" * 99 + "…"


@pytest.mark.parametrize("text", ["[docs](https://evil.example)", "[a] [docs](https://evil.example)",
                                  "[12-01 10:00] pat: [login here](https://evil.example/steal)"])  # fmt: skip
def test_no_masked_link_survives_even_after_another_bracket(text: str) -> None:
    escaped = escape_user_text(text)

    assert "](" not in escaped.replace("\\]", "")  # every closing bracket is escaped, so no [label](url) is live
    assert escaped.replace("\\", "") == text
