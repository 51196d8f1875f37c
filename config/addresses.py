"""Checking the addresses and mentions a config file names, so a typo is refused at start-up, not at 3 a.m.

An address or mention is read by the core (``Address.parse``, ``Mention.parse``); this module adds what
the config knows: which platforms exist and what their ids look like, the same shapes the adapters render.
"""

from __future__ import annotations

import difflib
import re

from core.messages import CONSOLE, DISCORD, GITHUB, SLACK, Address, Mention

EMAIL = "email"  # bots/email: the platform name is the adapter's, the config only needs to accept it
PLATFORMS = (CONSOLE, DISCORD, SLACK, GITHUB, EMAIL)
_ANY = re.compile(r"\S{1,200}")
_SLACK_ID = re.compile(r"[A-Z0-9]{2,40}")
_SLACK_TS = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,10})?")
_SNOWFLAKE = re.compile(r"[0-9]{1,20}")
_GITHUB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
# What each part of a posting address (workspace, channel, thread) looks like on each platform.
_PARTS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    CONSOLE: ((_ANY, "a name"),) * 3,
    DISCORD: ((_SNOWFLAKE, "a server id (digits)"), (_SNOWFLAKE, "a channel id (digits)"), (_SNOWFLAKE, "a thread id")),
    SLACK: (
        (_SLACK_ID, "a team id like T0123ABC"),
        (_SLACK_ID, "a channel id like C0123ABC (not #name)"),
        (_SLACK_TS, "a message timestamp like 1712345678.000100"),
    ),
    GITHUB: ((_GITHUB_NAME, "an owner"), (_GITHUB_NAME, "a repository"), (_SNOWFLAKE, "an issue number")),
    # A mail conversation: the sender's verified domain, the mailbox, "<customer> <first Message-ID>".
    EMAIL: (
        (re.compile(r"[a-z0-9.-]{1,253}"), "a domain like bigcorp.example"),
        (re.compile(r"[a-z0-9._-]+@[a-z0-9.-]+"), "a mailbox like support@example.com"),
        (_ANY, "a customer address and Message-ID"),
    ),
}
# Whom a mention may name on each platform, by kind: the shapes the adapters render (others they drop).
_MENTIONS: dict[tuple[str, str], tuple[re.Pattern[str], str]] = {
    (CONSOLE, "user"): (_ANY, "a name"),
    (CONSOLE, "group"): (_ANY, "a name"),
    (DISCORD, "user"): (_SNOWFLAKE, "a user id (digits)"),
    (DISCORD, "group"): (_SNOWFLAKE, "a role id (digits)"),
    (SLACK, "user"): (re.compile(r"[UW][A-Z0-9]{1,40}"), "a user id like U0123ABC"),
    (SLACK, "group"): (re.compile(r"S[A-Z0-9]{1,40}"), "a user-group id like S0123ABC"),
    (GITHUB, "user"): (_GITHUB_NAME, "a login"),
    (GITHUB, "group"): (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/[A-Za-z0-9_.-]{1,100}"), "a team like org/team"),
}


def _unknown_platform(text: str, platform: str) -> str:
    close = difflib.get_close_matches(platform, PLATFORMS, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"{text!r} names the unknown platform {platform!r}{hint}; platforms are {', '.join(PLATFORMS)}"


def check_address(text: str) -> Address:
    """The address ``text`` names, or ``ValueError`` saying which platform or part is wrong."""
    address = Address.parse(text)
    if address.platform not in PLATFORMS:
        raise ValueError(_unknown_platform(text, address.platform))
    parts = (address.workspace, address.channel, address.thread)
    for part, (pattern, shape) in zip(parts, _PARTS[address.platform], strict=True):
        if part and not pattern.fullmatch(part):
            raise ValueError(f"{text!r}: {part!r} is not {shape}")
    return address


def check_mention(text: str) -> Mention:
    """The mention ``text`` names, or ``ValueError`` saying which platform or id is wrong."""
    mention = Mention.parse(text)
    if mention.platform not in PLATFORMS:
        raise ValueError(_unknown_platform(text, mention.platform))
    known = _MENTIONS.get((mention.platform, mention.kind))
    if known is None:
        raise ValueError(f"{text!r}: {mention.platform} has no {mention.kind} mentions, so nobody would be notified")
    pattern, shape = known
    if not pattern.fullmatch(mention.id):
        raise ValueError(f"{text!r}: {mention.id!r} is not {shape}, so nobody would be notified")
    return mention
