"""Block Kit for the core's replies: escaping, links, mentions only in notices, sections Slack accepts."""

from __future__ import annotations

import re

import pytest

from bots.slack.translate import SLACK
from bots.slack.translate_blocks import SECTION_LIMIT, escape, render, split_text
from core.messages import Action, Address, Choice, Citation, Mention, Reply, ReplyKind
from tests.adapters.slack_fake import block_texts

BOT = "U0HELPLINE"
TEAM = "T0VENDOR"
HELP = "C0HELPDESK"
QUESTION_TS = "1732350000.000100"
STAFF = frozenset({"S0STAFF"})
ENTITY_OR_AMPERSAND = re.compile(r"&(?:amp|lt|gt);|&")


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
    assert block_texts(rendered.blocks) == [
        "<!subteam^S0ONCALL> Escalation: ticket #4 &lt;!here&gt;",
        f"Conversation: <{link}|thread>",
    ]
    assert rendered.text.startswith("<!subteam^S0ONCALL> ")
    unlinked = render(reply, mention_group="S0ONCALL")
    assert block_texts(unlinked.blocks)[-1] == f"Conversation: slack:{TEAM}/{HELP}/{QUESTION_TS}"


@pytest.mark.parametrize("kind", [kind for kind in ReplyKind if kind is not ReplyKind.ESCALATION])
def test_only_escalations_mention_anyone(kind: ReplyKind) -> None:
    rendered = render(Reply(kind, "<!channel> hello @here"), mention_group="S0ONCALL")
    for text in [rendered.text, *block_texts(rendered.blocks)]:
        assert "<!" not in text and "subteam" not in text
    assert all(block["text"]["verbatim"] for block in rendered.blocks)  # no automatic "@here" parsing


ON_CALL = (Mention(SLACK, "group", "S0EMEA"), Mention(SLACK, "user", "U0LEAD"), Mention("discord", "group", "81234"))


def test_an_escalation_mentions_exactly_the_slack_people_it_names_instead_of_the_staff_group() -> None:
    reply = Reply(ReplyKind.ESCALATION, "Escalation (level 2): ticket #4", ticket=4, mentions=ON_CALL)
    rendered = render(reply, mention_group="S0STAFF")
    assert rendered.text == "<!subteam^S0EMEA> <@U0LEAD> Escalation (level 2): ticket #4"
    assert block_texts(rendered.blocks)[0] == rendered.text
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
    assert block_texts(rendered.blocks)[-1] == f"Conversation: slack:{TEAM}/{HELP}/{QUESTION_TS}"
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
    for text in [rendered.text, *block_texts(rendered.blocks)]:
        assert "<!" not in text and "<@" not in text


def test_a_staff_group_that_is_not_a_group_id_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Slack user group id"):
        render(Reply(ReplyKind.ESCALATION, "Escalation"), mention_group="S1> <!channel")


def test_errors_carry_a_warning_sign() -> None:
    rendered = render(Reply(ReplyKind.ERROR, "Something went wrong."))
    assert block_texts(rendered.blocks) == [":warning: Something went wrong."]


def test_web_addresses_in_text_are_linked_but_cannot_wear_a_false_label() -> None:
    [text] = block_texts(render(Reply(ReplyKind.INFO, "see https://evil.example|https://bank.example now")).blocks)
    assert text == "see <https://evil.example>|<https://bank.example> now"


def test_long_text_is_split_into_sections_slack_accepts_without_breaking_entities() -> None:
    words = " ".join(f"R&D<{n}>" for n in range(800))
    unbroken = "&" * 3500  # no space or line end anywhere: the cut has to fall between entities
    text = f"{words}\n\n{unbroken}"
    rendered = render(Reply(ReplyKind.INFO, text, choices=(Choice("Open a ticket", Action.OPEN_TICKET),)))
    sections = block_texts(rendered.blocks)
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
