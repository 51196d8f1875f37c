"""The spam guard's records: its rules, what each may do, its policy, a verdict and an audited action."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Rule(StrEnum):
    """A kind of spam the guard knows."""

    FLOOD = "flood"  # too many messages in a short window
    MASS_MENTION = "mass_mention"  # @everyone, @here, or many people at once
    INVITE = "invite"  # another server's invite, from a new member
    LINK = "link"  # links to unknown sites from a new member with few messages
    CROSS_POST = "cross_post"  # the same text in several channels


class Act(StrEnum):
    """What the guard does about a message judged spam; every judged message is hidden (never answered)."""

    HIDE = "hide"  # not answered and no ticket: always done
    DELETE = "delete"  # the platform removes the message
    TIMEOUT = "timeout"  # the platform mutes the member for a while (Discord's timeout)
    NOTIFY = "notify"  # the moderators are told, once per member and incident, with the evidence


@dataclass(frozen=True)
class RuleSettings:
    """One rule: on or off, what it does, and how long a timeout lasts."""

    enabled: bool = True
    acts: frozenset[Act] = frozenset({Act.HIDE, Act.NOTIFY})
    timeout: timedelta = timedelta(minutes=10)


def _rules() -> dict[Rule, RuleSettings]:
    strong = frozenset({Act.HIDE, Act.DELETE, Act.TIMEOUT, Act.NOTIFY})
    return {
        Rule.FLOOD: RuleSettings(acts=strong),
        Rule.MASS_MENTION: RuleSettings(acts=frozenset({Act.HIDE, Act.DELETE, Act.NOTIFY})),
        Rule.INVITE: RuleSettings(acts=frozenset({Act.HIDE, Act.DELETE, Act.NOTIFY})),
        Rule.LINK: RuleSettings(),
        Rule.CROSS_POST: RuleSettings(acts=strong),
    }


# Where people put a repro, a log or a screenshot: allowed unless the settings list other sites.
DEVELOPER_SITES = frozenset(
    {
        "github.com",
        "githubusercontent.com",
        "gitlab.com",
        "bitbucket.org",
        "stackoverflow.com",
        "pastebin.com",
        "codesandbox.io",
        "stackblitz.com",
        "jsfiddle.net",
        "codepen.io",
        "npmjs.com",
        "pypi.org",
        "imgur.com",
        "loom.com",
        "localhost",
        "127.0.0.1",
    }
)


@dataclass(frozen=True)
class SpamPolicy:
    """The guard's thresholds (``community.spam``); the defaults favour letting a question through."""

    enabled: bool = True
    platforms: frozenset[str] = frozenset({"discord"})  # where adapters carry out deletes and timeouts
    flood_messages: int = 5  # more than this many messages ...
    flood_window: timedelta = timedelta(seconds=15)  # ... within this window is a flood
    mention_users: int = 5  # more than this many people mentioned in one message
    new_member: timedelta = timedelta(days=3)  # a member who joined less than this long ago is new
    link_messages: int = 3  # a new member's first messages: links to unknown sites in them are spam
    allowed_domains: frozenset[str] = DEVELOPER_SITES  # sites anyone may link to (and their subdomains)
    cross_channels: int = 3  # the same text in this many channels ...
    cross_window: timedelta = timedelta(minutes=10)  # ... within this window is cross-posting
    cross_chars: int = 20  # shorter texts ("thanks!") are never cross-posting
    incident_gap: timedelta = timedelta(minutes=30)  # verdicts this close together are one incident
    notify_channel: str = ""  # where moderators are told; empty: the member's tier's team channel
    rules: dict[Rule, RuleSettings] = field(default_factory=_rules)

    def of(self, rule: Rule) -> RuleSettings:
        """The settings of ``rule``."""
        return self.rules.get(rule, RuleSettings())


@dataclass(frozen=True)
class Verdict:
    """A message judged spam: the rule it broke, what is done and the evidence moderators see."""

    rule: Rule
    acts: frozenset[Act]
    evidence: str
    timeout: timedelta | None = None  # with ``Act.TIMEOUT``


@dataclass(frozen=True)
class Enforcement:
    """What a platform adapter is asked to do about a message (with a reply of kind ``guard``)."""

    rule: str
    delete: bool = False
    timeout: timedelta | None = None  # mute the member this long; None: no timeout


@dataclass(frozen=True)
class GuardAction:
    """One audited guard decision: who, where, which rule, what was done, the evidence and its incident."""

    at: datetime
    member: str  # platform:id
    place: str  # the address, as text
    message_id: str
    rule: str
    acts: tuple[str, ...]
    evidence: str
    incident: str  # one key per member and burst of spam; the moderators hear of each once
    notified: bool = False
