from __future__ import annotations

import re

import pytest

from core.commands import (
    COMMAND_USAGE,
    COMMANDS,
    MAX_TICKET_NUMBER,
    Assign,
    Claim,
    Command,
    CommandError,
    Escalate,
    Help,
    KbAdd,
    KbSearch,
    Link,
    LinkIdentities,
    ListTickets,
    Note,
    Rate,
    Reopen,
    ReplyTo,
    Resolve,
    SetPriority,
    SetTier,
    ShowTicket,
    Stats,
    UnlinkIdentity,
    help_text,
    needs_moderator,
)
from core.desk.commands import parse_command
from core.errors import HelplineError
from core.tickets.records import Priority


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tickets", ListTickets("open")),
        ("tickets open", ListTickets("open")),
        ("tickets mine", ListTickets("mine")),
        ("tickets BREACHING", ListTickets("breaching")),
        ("ticket 12", ShowTicket(12)),
        ("ticket #12", ShowTicket(12)),
        ("claim 7", Claim(7)),
        ("CLAIM #007", Claim(7)),
        ("/claim 7", Claim(7)),
        ("!claim 7", Claim(7)),
        ("  Claim   7  ", Claim(7)),
        (f"claim {MAX_TICKET_NUMBER}", Claim(MAX_TICKET_NUMBER)),
        ("reply 3 On it, Sam.", ReplyTo(3, "On it, Sam.")),
        ("reply #3 Restart the Worker\n\n  then retry   ", ReplyTo(3, "Restart the Worker\n\n  then retry")),
        ("reply 3\nÇa marche 👍 — merci", ReplyTo(3, "Ça marche 👍 — merci")),
        ("note 4 Customer is on the EU cluster", Note(4, "Customer is on the EU cluster")),
        ("assign 4 <@81234>", Assign(4, "81234")),
        ("assign #4 <@!81234>", Assign(4, "81234")),
        ("assign 4 <@U0LEE|lee>", Assign(4, "U0LEE")),
        ("assign 4 @octo-cat", Assign(4, "octo-cat")),
        ("Assign 4 bob", Assign(4, "bob")),
        ("tier 4 Enterprise", SetTier(4, "enterprise")),
        ("tier #4 white-glove", SetTier(4, "white-glove")),
        ("priority 5 critical", SetPriority(5, Priority.CRITICAL)),
        ("priority #5 High", SetPriority(5, Priority.HIGH)),
        ("priority 5 medium", SetPriority(5, Priority.MEDIUM)),
        ("priority 5 LOW", SetPriority(5, Priority.LOW)),
        ("escalate 6", Escalate(6)),
        ("resolve 8", Resolve(8)),
        ("reopen #9", Reopen(9)),
        ("kb search How do I Roll Back?", KbSearch("How do I Roll Back?")),
        ("KB Search  deploy   keys ", KbSearch("deploy   keys")),
        ("kb add Rolling back | Run `tideline rollback`.", KbAdd("Rolling back", "Run `tideline rollback`.")),
        ("kb add  A | B | C\nD ", KbAdd("A", "B | C\nD")),
        ("stats", Stats()),
        ("rate 4", Rate(4, "")),
        ("/rate 5  quick, and Kind ", Rate(5, "quick, and Kind")),
        ("help", Help()),
        ("/HELP", Help()),
    ],
)
def test_commands_parse_to_their_dataclass(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["no command given", "Commands: tickets, ticket, claim"]),
        ("   ", ["no command given"]),
        ("/", ["no command given"]),
        ("frobnicate 12", ['unknown command "frobnicate"', "Commands: tickets, ticket, claim, assign, reply", "help"]),
        ("claim", ['"claim" needs a ticket number', "Usage: claim N"]),
        ("claim abc", ['"abc" is not a ticket number', "12 or #12", "Usage: claim N"]),
        ("claim -3", ['"-3" is not a ticket number']),
        ("claim 1.5", ['"1.5" is not a ticket number']),
        ("claim ١٢", ['"١٢" is not a ticket number']),
        ("claim 0", ['"0" is not a ticket number', "start at 1"]),
        (f"claim {MAX_TICKET_NUMBER + 1}", ["too large to be a ticket number"]),
        ("claim " + "9" * 5000, ["too large to be a ticket number", "…"]),
        ("claim 12 please", ['unexpected "please"', "Usage: claim N"]),
        ("ticket", ['"ticket" needs a ticket number', "Usage: ticket N"]),
        ("resolve 1 2", ['unexpected "2"', "Usage: resolve N"]),
        ("stats now", ['unexpected "now"', "Usage: stats"]),
        ("help me", ['unexpected "me"', "Usage: help"]),
        ("rate", ['"rate" needs a rating', "Usage: rate SCORE [comment]"]),
        ("rate five", ['"five" is not a rating; give a whole number from 0 to 10']),
        ("rate 11 wow", ['"11" is not a rating']),
        ("tickets closed", ['"closed" is not a ticket list', "open, mine or breaching"]),
        ("tickets open now", ['unexpected "now"', "Usage: tickets [open|mine|breaching]"]),
        ("reply", ['"reply" needs a ticket number and a message', "Usage: reply N TEXT"]),
        ("reply 12", ['"reply" needs a message after the ticket number']),
        ("reply 12   \n  ", ['"reply" needs a message']),
        ("note hello there", ['"hello" is not a ticket number', "Usage: note N TEXT"]),
        ("priority 12 urgent", ['"urgent" is not a priority; use critical, high, medium or low', "priority N LEVEL"]),
        ("priority 12", ['"priority" needs a ticket number and a priority']),
        ("priority high 12", ['"high" is not a ticket number']),
        ("priority 12 high now", ['unexpected "now"']),
        (
            "kb",
            [
                '"kb" needs search, add, drafts, show, edit, approve, reject or archive',
                "kb search TEXT",
                "kb add TITLE | BODY",
            ],
        ),
        ("kb find x", ['"find" is not a kb command']),
        ("assign", ['"assign" needs a ticket number and someone to assign', "Usage: assign N WHO"]),
        ("assign 4", ['"assign" needs someone to assign after the ticket number']),
        ("assign 4 <#C0GENERAL>", ['"<#C0GENERAL>" is not a person', "Usage: assign N WHO"]),
        ("assign 4 <@&900>", ['"<@&900>" is not a person']),
        ("assign 4 bob now", ['unexpected "now" after "bob"']),
        ("assign bob 4", ['"bob" is not a ticket number']),
        ("tier 4", ['"tier" needs a tier after the ticket number', "Usage: tier N TIER"]),
        ("kb search   ", ['"kb search" needs something to search for']),
        ("kb add Just a title", ['needs a title and a body separated by "|"', "Usage: kb add TITLE | BODY"]),
        ("kb add  | body", ['"kb add" needs a title before the "|"']),
        ("kb add title |  ", ['"kb add" needs a body after the "|"']),
    ],
)
def test_malformed_commands_say_what_is_wrong(text: str, expected: list[str]) -> None:
    with pytest.raises(CommandError) as info:
        parse_command(text)
    for part in expected:
        assert part in str(info.value)


def test_command_errors_are_safe_to_show_and_quote_only_a_little() -> None:
    with pytest.raises(HelplineError) as info:
        parse_command("x" * 1000 + " 12")
    # What was typed is quoted at most 40 characters long; the rest is the list of commands, which grows.
    listed = ", ".join(dict.fromkeys(spec.words.split()[0] for spec in COMMANDS))
    assert len(str(info.value)) <= 80 + len(listed)
    assert "x" * 41 not in str(info.value)


def test_help_lists_every_command_with_a_description() -> None:
    text = help_text()
    assert set(COMMAND_USAGE) == {
        *("tickets", "ticket", "claim", "assign", "reply", "note", "priority", "tier", "intent", "escalate"),
        "resolve",
        "reopen",
        *("ack", "sla", "kb search", "kb add", "stats", "rate", "login", "stop", "forget me", "help"),
        *("link", "customer link", "customer unlink"),
        *("kb drafts", "kb show", "kb edit", "kb approve", "kb reject", "kb archive"),
        *("feature", "vote", "unvote", "roadmap", "request show", "request status", "request merge"),
        *("request unmerge", "request github", "call"),
        *("incident open", "incident link", "incident update", "incident resolve", "incident severity", "status"),
        *("away", "back", "agents", "agent"),
        "review",
    }
    for word, usage in COMMAND_USAGE.items():
        assert usage.startswith(word) and " — " in usage
        assert usage in text


def test_every_command_but_help_and_rate_needs_a_moderator() -> None:
    assert not needs_moderator(parse_command("help"))
    assert not needs_moderator(parse_command("rate 4 kind and quick"))
    for text in ("tickets", "ticket 1", "claim 1", "reply 1 x", "note 1 x", "priority 1 low", "escalate 1"):
        assert needs_moderator(parse_command(text))
    assert needs_moderator(parse_command("tier 1 enterprise"))
    for text in ("resolve 1", "reopen 1", "ack 1", "sla 1", "kb search x", "kb add a | b", "stats", "assign 1 b"):
        assert needs_moderator(parse_command(text))


def test_link_is_everyones_and_takes_an_optional_code() -> None:
    assert parse_command("link") == Link("")
    assert parse_command("/link abcde-fghjk") == Link("abcde-fghjk")
    assert not needs_moderator(Link(""))


def test_customer_link_reads_mentions_and_identities_and_refuses_bad_ones() -> None:
    assert parse_command("customer link <@U0ANA|ana> github:ana") == LinkIdentities("@U0ANA", "github:ana")
    assert parse_command("customer link @octo EMAIL:Ada@Acme.test") == LinkIdentities("@octo", "email:ada@acme.test")
    assert parse_command("customer unlink discord:81234") == UnlinkIdentity("discord:81234")
    assert needs_moderator(UnlinkIdentity("discord:81234"))
    for text, problem in (
        ("customer link @a", '"customer link" needs another identity'),
        ("customer link fax:1 @b", "'fax:1' is not an identity; write platform:id"),
        ("customer link slack: @b", "the id after slack: is empty"),
        ("customer link @a @b @c", 'unexpected "@c"'),
        ("customer unlink", '"customer unlink" needs an identity'),
    ):
        with pytest.raises(CommandError, match=re.escape(problem)):
            parse_command(text)
