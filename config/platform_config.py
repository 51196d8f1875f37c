"""The platform sections of the settings: ``discord:``, ``github:`` and ``slack:``, with the id shapes they take."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

SlackId = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,40}$")]
SlackGroupId = Annotated[str, Field(pattern=r"^S[A-Z0-9]{1,40}$")]  # user groups' ids start with S
DiscordId = Annotated[int, Field(ge=1, lt=2**64)]  # Discord's ids ("snowflakes") are 64-bit


class _Platform(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordSettings(_Platform):
    """The Discord bot (it runs when ``DISCORD_TOKEN`` is set)."""

    # Text or forum channels where every new message is a question; ids, as Discord shows them.
    support_channels: tuple[DiscordId, ...] = ()
    # Where escalations addressed to plain "discord" in tiers.yaml are posted.
    staff_channel: DiscordId | None = None
    # The only role an escalation pings; nothing else the bot sends pings anyone.
    on_call_role: DiscordId | None = None
    # Needs Message Content Intent in the Developer Portal; without it the bot answers mentions only.
    message_content: bool = True
    # Servers to publish slash commands to at once; empty publishes globally (Discord takes up to an hour).
    command_guilds: tuple[DiscordId, ...] = ()

    @field_validator("support_channels", "command_guilds", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        # Environment variables carry lists as "123,456".
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


class GitHubLabels(_Platform):
    """Label names the GitHub bot puts on issues it triages."""

    bug: str = Field("bug", min_length=1, max_length=50)
    enhancement: str = Field("enhancement", min_length=1, max_length=50)
    question: str = Field("question", min_length=1, max_length=50)
    documentation: str = Field("documentation", min_length=1, max_length=50)
    critical: str = Field("P0-critical", min_length=1, max_length=50)
    high: str = Field("P1-high", min_length=1, max_length=50)
    medium: str = Field("P2-medium", min_length=1, max_length=50)
    low: str = Field("P3-low", min_length=1, max_length=50)
    needs_triage: str = Field("needs-triage", min_length=1, max_length=50)
    escalated: str = Field("escalated", min_length=1, max_length=50)


class GitHubSettings(_Platform):
    """The GitHub bot (it runs when ``GITHUB_WEBHOOK_SECRET`` is set; it acts when ``GITHUB_TOKEN`` is too)."""

    labels: GitHubLabels = GitHubLabels()
    # Close the issue (with a comment) when its ticket is resolved in Helpline.
    close_on_resolve: bool = True
    # The bot's own login, e.g. "helpline-bot[bot]": its comments are never read back as messages.
    bot_login: str = ""
    # How long a collaborator's permission is trusted before GitHub is asked again.
    permission_cache_seconds: float = Field(300.0, ge=0.0, le=86_400.0)
    # Per-call timeout, and pauses between calls as GitHub asks integrations to keep.
    timeout: int = Field(10, ge=1, le=120)
    seconds_between_requests: float = Field(0.25, ge=0.0, le=10.0)
    seconds_between_writes: float = Field(1.0, ge=0.0, le=10.0)
    # A job that keeps failing (not rate limits: those are waited out) is given up after this many tries.
    max_attempts: int = Field(8, ge=1, le=100)


class SlackSettings(_Platform):
    """The Slack bot (it runs when ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` or ``SLACK_APP_TOKEN`` are set)."""

    # Channels where every message is a question (mentions and direct messages are answered anywhere).
    support_channels: tuple[SlackId, ...] = ()
    # Where escalations addressed to plain "slack" in tiers.yaml are posted.
    escalation_channel: SlackId | None = None
    # The user group (S…) escalations mention and whose members are staff; nothing else mentions anyone.
    staff_group: SlackGroupId | None = None
    # Staff by user id (U…), besides the group's members.
    staff_users: tuple[SlackId, ...] = ()
    # Seconds the group's member list is trusted before it is asked for again.
    staff_cache_seconds: float = Field(60.0, ge=0.0, le=86_400.0)
    # Seconds between two messages to one channel (Slack allows about one per second).
    pace_seconds: float = Field(1.0, ge=0.0, le=60.0)

    @field_validator("support_channels", "staff_users", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        # Environment variables carry lists as "C0123,C0456".
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value
