"""Translation between Slack's payloads (events, button presses, slash commands) and the core's messages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bots.slack.translate import (
    SECTION_LIMIT,
    SLACK,
    button_incoming,
    channel_of,
    command_incoming,
    escape,
    incoming,
    read_button,
    read_command,
    read_event,
    render,
    settled,
    split_text,
    strip_mention,
    thread_ts_of,
    unescape,
)
from core.desk.commands import Claim, parse_command
from core.messages import Action, Address, Choice, Citation, Mention, Reply, ReplyKind
from core.tiers import home_of

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads" / "slack"
BOT = "U0HELPLINE"
TEAM = "T0VENDOR"
HELP = "C0HELPDESK"
QUESTION_TS = "1732350000.000100"
STAFF = frozenset({"S0STAFF"})
ENTITY_OR_AMPERSAND = re.compile(r"&(?:amp|lt|gt);|&")


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a payload fixture."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _event(name: str, **changes: Any) -> dict[str, Any]:
    envelope = payload(name)
    envelope["event"].update(changes)
    return envelope


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn text in sections and context blocks, in order."""
    found: list[str] = []
    for block in blocks:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        elif block["type"] == "context":
            found.extend(element["text"] for element in block["elements"])
    return found


def test_a_channel_question_is_a_conversation_in_its_own_thread() -> None:
    event = read_event(payload("event_message"))
    assert event is not None
    message = incoming(event, BOT, STAFF)
    assert message.address == Address(SLACK, TEAM, HELP, QUESTION_TS)
    assert message.message_id == f"{HELP}:{QUESTION_TS}"
    assert (message.author.id, message.author.team, message.author.roles) == ("U0ANA", TEAM, STAFF)
    assert message.text == "My deploy fails with exit code 137 right after the build step. What does that mean?"
    assert message.received_at == datetime.fromtimestamp(1732350000.0001, tz=UTC)


def test_a_thread_reply_joins_the_conversation_of_the_question_it_answers() -> None:
    question, reply = read_event(payload("event_message")), read_event(payload("event_thread_reply"))
    assert question is not None and reply is not None
    assert incoming(reply, BOT, frozenset()).address == incoming(question, BOT, frozenset()).address
    assert incoming(reply, BOT, frozenset()).message_id != incoming(question, BOT, frozenset()).message_id


def test_what_the_user_typed_reaches_the_core_without_slacks_entities() -> None:
    reply = read_event(payload("event_thread_reply"))
    assert reply is not None
    assert incoming(reply, BOT, frozenset()).text == (
        "It happens on every deploy since yesterday, on the starter plan & the build needs > 512 MB."
    )
    assert unescape("a &amp;lt; b &lt;&gt; c") == "a &lt; b <> c"


def test_a_message_delivered_as_a_message_and_an_app_mention_has_one_id_and_loses_the_mention() -> None:
    as_message, as_mention = read_event(payload("event_mention_message")), read_event(payload("event_app_mention"))
    assert as_message is not None and as_mention is not None
    assert (as_message.type, as_mention.type) == ("message", "app_mention")
    first, second = incoming(as_message, BOT, frozenset()), incoming(as_mention, BOT, frozenset())
    assert first.message_id == second.message_id and first.address == second.address
    assert first.text == second.text == "how do I rotate my API key?"


def test_a_direct_message_is_answered_in_a_thread_too() -> None:
    event = read_event(payload("event_dm"))
    assert event is not None and event.channel_type == "im"
    assert incoming(event, BOT, frozenset()).address == Address(SLACK, TEAM, "D0ANA", "1732350180.000400")


def test_a_slack_connect_customer_writes_in_the_vendors_channel_but_belongs_to_their_own_team() -> None:
    event = read_event(payload("event_connect_message"))
    assert event is not None
    message = incoming(event, BOT, frozenset())
    assert message.address.workspace == TEAM  # the channel's home, the same for every writer
    assert message.author.team == "T0ACME" and home_of(message) == "T0ACME"


@pytest.mark.parametrize("name", ["event_bot_message", "event_message_changed", "event_channel_join"])
def test_bot_posts_edits_and_joins_are_ignored(name: str) -> None:
    assert read_event(payload(name)) is None


def test_messages_from_apps_are_ignored_even_without_a_subtype() -> None:
    assert read_event(_event("event_message", bot_id="B0OTHERAPP")) is None


def test_thread_broadcasts_and_file_shares_are_still_questions() -> None:
    assert read_event(_event("event_thread_reply", subtype="thread_broadcast")) is not None
    assert read_event(_event("event_message", subtype="file_share", text="")) is not None


def _without_event() -> dict[str, Any]:
    envelope = payload("event_message")
    del envelope["event"]
    return envelope


def _without_user() -> dict[str, Any]:
    envelope = payload("event_message")
    del envelope["event"]["user"]
    return envelope


@pytest.mark.parametrize(
    "envelope",
    [
        _without_event(),
        _without_user(),
        {**payload("event_message"), "event": ["not", "an", "object"]},
        {**payload("event_message"), "type": "url_verification"},
        _event("event_message", text=["a", "list"]),
        _event("event_message", subtype=["unhashable"]),
        _event("event_message", ts=1732350000.0001),
        _event("event_message", ts="yesterday"),
        _event("event_message", thread_ts={"ts": QUESTION_TS}),
        _event("event_message", channel="C1/../C2"),
        _event("event_message", channel_type=7),
        _event("event_message", type="reaction_added"),
        {**payload("event_message"), "event_id": None},
        {**payload("event_message"), "team_id": None, "context_team_id": None},
    ],
)
def test_malformed_envelopes_are_ignored_without_an_exception(envelope: Any) -> None:
    assert read_event(envelope) is None


@pytest.mark.parametrize("envelope", [[], "event_callback", None, 42])
def test_envelopes_that_are_not_objects_are_ignored(envelope: Any) -> None:
    assert read_event(envelope) is None


def test_odd_text_reaches_the_core_as_written_and_comes_back_harmless() -> None:
    # As Slack sends it: typed "<", ">" and "&" arrive as entities, real mentions as markup.
    tricky = "pay\u202e&lt;!channel&gt;\x00\ufffd\u200b <@U0EVE> &amp;lt; done"
    event = read_event(_event("event_message", text=tricky))
    assert event is not None
    message = incoming(event, BOT, frozenset())
    assert message.text == "pay\u202e<!channel>\x00\ufffd\u200b <@U0EVE> &lt; done"  # the core cleans its own copy
    rendered = render(Reply(ReplyKind.INFO, f'You wrote: "{message.text}"'))
    for text in [rendered.text, *_texts(rendered.blocks)]:
        assert "<" not in text and "\u202e" not in text
        assert "&lt;!channel&gt;" in text and "&amp;lt; done" in text  # shown exactly as typed


def test_the_bot_mention_is_removed_in_every_form_and_other_mentions_stay() -> None:
    assert strip_mention(f"<@{BOT}> hello", BOT) == "hello"
    assert strip_mention(f"<@{BOT}|helpline>: my app <@U0ANA> is down", BOT) == "my app <@U0ANA> is down"
    assert strip_mention(f"is my <@{BOT}>  app down?", BOT) == "is my app down?"
    assert strip_mention(f"<@{BOT}>", BOT) == ""
    assert strip_mention(f"<@{BOT}X> hi", BOT) == f"<@{BOT}X> hi"  # a different user


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<!channel> look", "&lt;!channel&gt; look"),
        ("<!here>", "&lt;!here&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("<!subteam^S1>", "&lt;!subteam^S1&gt;"),
        ("<https://evil.example|docs>", "&lt;https://evil.example|docs&gt;"),
        ("R&D &amp; QA", "R&amp;D &amp;amp; QA"),
        ("\u202eevil\u2066 \u202atext\u2069\u202c", "evil text"),
    ],
)
def test_user_text_is_escaped_so_it_shows_literally(text: str, shown: str) -> None:
    assert escape(text) == shown


def _answer(url: str = "https://docs.example.com/deploys/oom") -> Reply:
    choices = (
        Choice("Helpful", Action.HELPFUL),
        Choice("Not helpful", Action.NOT_HELPFUL),
        Choice("Talk to a human", Action.HUMAN),
    )
    text = "Why it happens\nThe build used more memory than the plan allows. See https://status.example.com."
    return Reply(ReplyKind.ANSWER, text, Citation("Exit code 137 & OOM", url), choices)


def test_an_answer_links_its_article_and_offers_three_buttons() -> None:
    rendered = render(_answer())
    section, actions = rendered.blocks
    assert section["text"]["text"] == (
        "*<https://docs.example.com/deploys/oom|Exit code 137 &amp; OOM>*\n*Why it happens*\n"
        "The build used more memory than the plan allows. See <https://status.example.com>."
    )
    assert actions["type"] == "actions" and actions["block_id"] == "helpline_choices"
    buttons = actions["elements"]
    assert [b["action_id"] for b in buttons] == ["helpline:helpful", "helpline:not_helpful", "helpline:human"]
    assert [b["value"] for b in buttons] == ["helpful", "not_helpful", "human"]
    assert [b["text"] for b in buttons][2] == {"type": "plain_text", "text": "Talk to a human"}
    assert [b.get("style") for b in buttons] == ["primary", None, None]
    assert rendered.text.startswith("Why it happens") and len(rendered.text) <= 3000


def test_an_article_without_a_web_address_names_its_file_instead() -> None:
    rendered = render(_answer(url="docs/deploys/oom.md"))
    assert rendered.blocks[0]["text"]["text"].startswith("*Exit code 137 &amp; OOM* (source: docs/deploys/oom.md)")
    rendered = render(_answer(url="javascript:alert(1)"))
    assert "<javascript" not in rendered.blocks[0]["text"]["text"]


def test_a_claim_button_is_the_primary_one_and_carries_its_ticket() -> None:
    reply = Reply(ReplyKind.ESCALATION, "Ticket #7", choices=(Choice("Claim", Action.CLAIM, 7),))
    [button] = render(reply).blocks[-1]["elements"]
    assert (button["action_id"], button["value"], button["style"]) == ("helpline:claim:7", "claim:7", "primary")


def test_an_escalation_mentions_the_staff_group_and_links_the_conversation() -> None:
    origin = Address(SLACK, TEAM, HELP, QUESTION_TS)
    reply = Reply(ReplyKind.ESCALATION, "Escalation: ticket #4 <!here>", ticket=4, origin=origin)
    link = "https://vendor.slack.com/archives/C0HELPDESK/p1732350000000100"
    rendered = render(reply, mention_group="S0ONCALL", origin_link=link)
    assert _texts(rendered.blocks) == [
        "<!subteam^S0ONCALL> Escalation: ticket #4 &lt;!here&gt;",
        f"Conversation: <{link}|thread>",
    ]
    assert rendered.text.startswith("<!subteam^S0ONCALL> ")
    unlinked = render(reply, mention_group="S0ONCALL")
    assert _texts(unlinked.blocks)[-1] == f"Conversation: slack:{TEAM}/{HELP}/{QUESTION_TS}"


@pytest.mark.parametrize("kind", [kind for kind in ReplyKind if kind is not ReplyKind.ESCALATION])
def test_only_escalations_mention_anyone(kind: ReplyKind) -> None:
    rendered = render(Reply(kind, "<!channel> hello @here"), mention_group="S0ONCALL")
    for text in [rendered.text, *_texts(rendered.blocks)]:
        assert "<!" not in text and "subteam" not in text
    assert all(block["text"]["verbatim"] for block in rendered.blocks)  # no automatic "@here" parsing


ON_CALL = (Mention(SLACK, "group", "S0EMEA"), Mention(SLACK, "user", "U0LEAD"), Mention("discord", "group", "81234"))


def test_an_escalation_mentions_exactly_the_slack_people_it_names_instead_of_the_staff_group() -> None:
    reply = Reply(ReplyKind.ESCALATION, "Escalation (level 2): ticket #4", ticket=4, mentions=ON_CALL)
    rendered = render(reply, mention_group="S0STAFF")
    assert rendered.text == "<!subteam^S0EMEA> <@U0LEAD> Escalation (level 2): ticket #4"
    assert _texts(rendered.blocks)[0] == rendered.text
    assert "S0STAFF" not in rendered.text and "81234" not in rendered.text  # the fallback and Discord's role


def test_an_escalation_naming_nobody_on_slack_falls_back_to_the_staff_group() -> None:
    reply = Reply(ReplyKind.ESCALATION, "Escalation", mentions=(Mention("console", "group", "engineering"),))
    assert render(reply, mention_group="S0STAFF").text == "<!subteam^S0STAFF> Escalation"
    assert render(reply).text == "Escalation"  # no staff group configured: nobody


def test_a_warning_mentions_the_assignee_it_names_and_nobody_else() -> None:
    origin = Address(SLACK, TEAM, HELP, QUESTION_TS)
    reply = Reply(
        ReplyKind.WARNING, "SLA warning: ticket #4", origin=origin, mentions=(Mention(SLACK, "user", "U0MO"),)
    )
    rendered = render(reply, mention_group="S0STAFF")
    assert rendered.text == "<@U0MO> SLA warning: ticket #4"
    assert _texts(rendered.blocks)[-1] == f"Conversation: slack:{TEAM}/{HELP}/{QUESTION_TS}"
    unassigned = render(Reply(ReplyKind.WARNING, "SLA warning: ticket #4"), mention_group="S0STAFF")
    assert unassigned.text == "SLA warning: ticket #4"  # a warning never falls back to the group


@pytest.mark.parametrize(
    "ident", ["U0MO> <!channel", "here", "u0mo", "C0CHANNEL", "U0MO|evil", "", "U" + "0" * 60, "S0GROUP\u202e"]
)
def test_a_mention_whose_id_is_not_a_slack_id_is_left_out(ident: str) -> None:
    bad = (Mention(SLACK, "user", ident), Mention(SLACK, "group", ident))
    rendered = render(Reply(ReplyKind.ESCALATION, "Escalation", mentions=bad), mention_group="S0STAFF")
    assert rendered.text == "<!subteam^S0STAFF> Escalation"


@pytest.mark.parametrize("kind", [kind for kind in ReplyKind if kind not in (ReplyKind.ESCALATION, ReplyKind.WARNING)])
def test_replies_that_are_not_notices_mention_nobody_even_when_they_name_someone(kind: ReplyKind) -> None:
    rendered = render(Reply(kind, "hello", mentions=ON_CALL), mention_group="S0STAFF")
    for text in [rendered.text, *_texts(rendered.blocks)]:
        assert "<!" not in text and "<@" not in text


def test_a_staff_group_that_is_not_a_group_id_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Slack user group id"):
        render(Reply(ReplyKind.ESCALATION, "Escalation"), mention_group="S1> <!channel")


def test_errors_carry_a_warning_sign() -> None:
    rendered = render(Reply(ReplyKind.ERROR, "Something went wrong."))
    assert _texts(rendered.blocks) == [":warning: Something went wrong."]


def test_web_addresses_in_text_are_linked_but_cannot_wear_a_false_label() -> None:
    [text] = _texts(render(Reply(ReplyKind.INFO, "see https://evil.example|https://bank.example now")).blocks)
    assert text == "see <https://evil.example>|<https://bank.example> now"


def test_long_text_is_split_into_sections_slack_accepts_without_breaking_entities() -> None:
    words = " ".join(f"R&D<{n}>" for n in range(800))
    unbroken = "&" * 3500  # no space or line end anywhere: the cut has to fall between entities
    text = f"{words}\n\n{unbroken}"
    rendered = render(Reply(ReplyKind.INFO, text, choices=(Choice("Open a ticket", Action.OPEN_TICKET),)))
    sections = _texts(rendered.blocks)
    assert len(sections) > 2 and all(0 < len(section) <= SECTION_LIMIT for section in sections)
    for section in sections:
        assert all(match[0] != "&" for match in ENTITY_OR_AMPERSAND.finditer(section))
    assert "".join(sections).replace(" ", "").replace("\n", "") == escape(text).replace(" ", "").replace("\n", "")
    assert rendered.blocks[-1]["type"] == "actions"
    assert len(rendered.text) <= 3000


def test_a_link_is_never_cut_in_two() -> None:
    text = "x" * 2990 + " <https://docs.example.com/a|a long title>"
    first, second = split_text(text)
    assert first == "x" * 2990 and second == "<https://docs.example.com/a|a long title>"


def test_a_huge_reply_is_truncated_to_fifty_blocks_with_a_note() -> None:
    rendered = render(Reply(ReplyKind.INFO, "word " * 200_000, choices=(Choice("Helpful", Action.HELPFUL),)))
    assert len(rendered.blocks) == 50
    assert rendered.blocks[-2]["text"]["text"] == "… (truncated)" and rendered.blocks[-1]["type"] == "actions"


def test_a_button_press_is_a_choice_in_the_conversation_of_the_thread_it_sits_in() -> None:
    press = read_button(payload("block_actions"))
    assert press is not None
    message = button_incoming(press, STAFF)
    question = read_event(payload("event_message"))
    assert question is not None
    assert message.address == incoming(question, BOT, frozenset()).address
    assert (message.choice, message.text, message.command) == ("not_helpful", "not_helpful", False)
    assert message.message_id == f"action:{HELP}:1732350002.000150:U0ANA:1732350030.112233"
    assert (message.author.id, message.author.team, message.author.roles) == ("U0ANA", TEAM, STAFF)
    assert press.response_url.startswith("https://hooks.slack.com/actions/")


def test_a_button_press_without_a_container_thread_uses_the_message_thread_then_the_message() -> None:
    data = payload("block_actions")
    del data["container"]["thread_ts"]
    press = read_button(data)
    assert press is not None and press.thread_ts == QUESTION_TS
    del data["message"]["thread_ts"]
    press = read_button(data)
    assert press is not None and button_incoming(press, frozenset()).address.thread == "1732350002.000150"


def test_a_slack_connect_customer_pressing_keeps_the_channels_workspace() -> None:
    data = payload("block_actions")
    data["user"]["team_id"] = "T0ACME"
    press = read_button(data)
    assert press is not None
    message = button_incoming(press, frozenset())
    assert message.address.workspace == TEAM and home_of(message) == "T0ACME"


def _button(**changes: Any) -> dict[str, Any]:
    data = payload("block_actions")
    data["actions"][0].update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        _button(action_id="approve_deploy"),
        _button(value="drop_tables"),
        _button(value="claim:x"),
        _button(action_ts=None),
        {**payload("block_actions"), "type": "view_submission"},
        {**payload("block_actions"), "actions": "helpline:helpful"},
        {**payload("block_actions"), "container": None},
        {**payload("block_actions"), "user": ["U0ANA"]},
        [],
    ],
)
def test_other_or_malformed_button_payloads_are_ignored(data: Any) -> None:
    assert read_button(data) is None


def test_the_slash_command_becomes_the_cores_command_text() -> None:
    command = read_command(payload("slash_command"))
    assert command is not None
    message = command_incoming(command, STAFF)
    assert message.command and message.text == "claim 1"
    assert parse_command(str(message.text)) == Claim(1)
    assert message.address == Address(SLACK, TEAM, "C0STAFF")
    assert message.message_id == "command:7312345678904.7000000000001.9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
    assert (message.author.id, message.author.team, message.author.roles) == ("U0MO", TEAM, STAFF)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_bare_slash_command_asks_for_help(text: str) -> None:
    command = read_command({**payload("slash_command"), "text": text})
    assert command is not None and command_incoming(command, frozenset()).text == "help"


@pytest.mark.parametrize(
    "form",
    [
        {**payload("slash_command"), "command": "/deploy"},
        {**payload("slash_command"), "user_id": ""},
        {**payload("slash_command"), "text": ["claim", "1"]},
        {**payload("slash_command"), "trigger_id": None},
        "command=/helpline",
    ],
)
def test_other_or_malformed_slash_commands_are_ignored(form: Any) -> None:
    assert read_command(form) is None


def test_messages_go_to_their_channel_and_thread_or_the_escalation_channel() -> None:
    conversation, channel = Address(SLACK, TEAM, HELP, QUESTION_TS), Address.parse("slack:C0STAFF")
    assert (channel_of(conversation, None), thread_ts_of(conversation)) == (HELP, QUESTION_TS)
    assert (channel_of(channel, "C0ESC"), thread_ts_of(channel)) == ("C0STAFF", None)
    assert channel_of(Address(SLACK), "C0ESC") == "C0ESC"
    with pytest.raises(ValueError, match="escalation_channel is not set"):
        channel_of(Address(SLACK), None)


def test_a_settled_answer_keeps_its_text_and_blocks_and_says_who_chose_what_instead_of_buttons() -> None:
    press = payload("block_actions")
    press["actions"][0]["text"]["text"] = "Not\u202e helpful"
    again = settled(press, "<!channel> Ana & co")
    assert again is not None
    assert again.text == press["message"]["text"]
    assert again.blocks[:-1] == press["message"]["blocks"][:1]  # the section, without the buttons
    note = again.blocks[-1]["elements"][0]["text"]
    assert note == "&lt;!channel&gt; Ana &amp; co chose “Not helpful”."
    broken: list[dict[str, Any]] = [{"message": {"text": "x"}}, {"actions": []}, {"message": {"blocks": [], "text": 5}}]
    for change in broken:
        assert settled({**press, **change}, "Ana") is None
