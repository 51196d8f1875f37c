"""The ``community:`` settings: the spam guard's rules (``community.spam``), their thresholds and actions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from config.durations import checked_duration
from core.community.records import DEVELOPER_SITES, Act, Rule, RuleSettings, SpamPolicy
from core.messages import Address
from core.sla.deadlines import parse_duration

ActName = Literal["hide", "delete", "timeout", "notify"]
MAX_TIMEOUT = timedelta(days=28)  # Discord refuses a longer one
_SECONDS = re.compile(r"^\s*(\d{1,5})\s*s\s*$", re.IGNORECASE)


def short_duration(text: str) -> timedelta:
    """A window written in seconds (``30s``) or as any other duration (``2m``); ``ValueError`` with the reason."""
    seconds = _SECONDS.match(text)
    if seconds is None:
        return parse_duration(text)
    if int(seconds.group(1)) == 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return timedelta(seconds=int(seconds.group(1)))


def _checked_window(value: str) -> str:
    try:
        short_duration(value)
    except ValueError as exc:
        raise PydanticCustomError("duration", f"{exc} (or seconds, like 30s)") from None
    return value


class _RuleConfig(BaseModel):
    """What every rule has: on or off, its actions, and the length of a timeout."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # hide: not answered, no ticket (always done); delete; timeout (Discord's); notify: tell the moderators once.
    actions: tuple[ActName, ...] = ("hide", "notify")
    timeout: str = "10m"

    @field_validator("timeout")
    @classmethod
    def _duration(cls, value: str) -> str:
        if parse_duration(checked_duration(value)) > MAX_TIMEOUT:
            raise PydanticCustomError("timeout", f"{value!r} is longer than Discord's longest timeout, 28d")
        return value

    def rule(self) -> RuleSettings:
        """The rule's settings as the core reads them."""
        acts = frozenset(Act(name) for name in (*self.actions, "hide"))
        return RuleSettings(self.enabled, acts, parse_duration(self.timeout))


_STRONG: tuple[ActName, ...] = ("delete", "timeout", "notify")
_REMOVE: tuple[ActName, ...] = ("delete", "notify")


class FloodConfig(_RuleConfig):
    """``community.spam.flood``: more than ``messages`` messages within ``window`` from one member."""

    actions: tuple[ActName, ...] = _STRONG
    messages: int = Field(5, ge=1, le=1000)
    window: str = "15s"

    @field_validator("window")
    @classmethod
    def _window(cls, value: str) -> str:
        return _checked_window(value)


class MentionConfig(_RuleConfig):
    """``community.spam.mass_mention``: @everyone, @here, or more than ``users`` people in one message."""

    actions: tuple[ActName, ...] = _REMOVE
    users: int = Field(5, ge=1, le=100)


class InviteConfig(_RuleConfig):
    """``community.spam.invite``: a Discord invite from a member newer than ``new_member``."""

    actions: tuple[ActName, ...] = _REMOVE


class LinkConfig(_RuleConfig):
    """``community.spam.link``: links to sites not allowed, in a new member's first ``messages`` messages."""

    messages: int = Field(3, ge=1, le=1000)


class CrossPostConfig(_RuleConfig):
    """``community.spam.cross_post``: one text (``min_chars`` or longer) in ``channels`` channels within ``window``."""

    actions: tuple[ActName, ...] = _STRONG
    channels: int = Field(3, ge=2, le=100)
    window: str = "10m"
    min_chars: int = Field(20, ge=1, le=10_000)

    @field_validator("window")
    @classmethod
    def _window(cls, value: str) -> str:
        return _checked_window(value)


class SpamSettings(BaseModel):
    """``community.spam`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Where the guard judges messages: platforms whose adapter carries out deletes and timeouts.
    platforms: tuple[Literal["discord"], ...] = ("discord",)
    # A member who joined less than this long ago is new (the invite and link rules judge only new members).
    new_member: str = "3d"
    # Sites anyone may link to, with their subdomains; the knowledge base's own sites always may be.
    allowed_domains: tuple[str, ...] = tuple(sorted(DEVELOPER_SITES))
    # Where the moderators are told, e.g. discord:123456; empty: the member's tier's team channel.
    notify_channel: str = ""
    # Verdicts on one member this close together are one incident: the moderators hear of it once.
    incident_gap: str = "30m"
    flood: FloodConfig = FloodConfig()
    mass_mention: MentionConfig = MentionConfig()
    invite: InviteConfig = InviteConfig()
    link: LinkConfig = LinkConfig()
    cross_post: CrossPostConfig = CrossPostConfig()

    @field_validator("new_member", "incident_gap")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    @field_validator("notify_channel")
    @classmethod
    def _address(cls, value: str) -> str:
        if value:
            Address.parse(value)
        return value

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(site.strip().casefold().strip(".") for site in value)
        for site in cleaned:
            if not site or "/" in site or " " in site:
                raise ValueError(f"{site!r} is not a domain like docs.example.com")
        return cleaned

    def policy(self) -> SpamPolicy:
        """The settings as the core's policy."""
        return SpamPolicy(
            enabled=self.enabled,
            platforms=frozenset(self.platforms),
            flood_messages=self.flood.messages,
            flood_window=short_duration(self.flood.window),
            mention_users=self.mass_mention.users,
            new_member=parse_duration(self.new_member),
            link_messages=self.link.messages,
            allowed_domains=frozenset(self.allowed_domains),
            cross_channels=self.cross_post.channels,
            cross_window=short_duration(self.cross_post.window),
            cross_chars=self.cross_post.min_chars,
            incident_gap=parse_duration(self.incident_gap),
            notify_channel=self.notify_channel,
            rules=self._rules(),
        )

    def _rules(self) -> dict[Rule, RuleSettings]:
        return {
            Rule.FLOOD: self.flood.rule(),
            Rule.MASS_MENTION: self.mass_mention.rule(),
            Rule.INVITE: self.invite.rule(),
            Rule.LINK: self.link.rule(),
            Rule.CROSS_POST: self.cross_post.rule(),
        }


class CommunitySettings(BaseModel):
    """``community:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spam: SpamSettings = SpamSettings()
