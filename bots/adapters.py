"""Which platform adapters ``helpline serve`` can start, judged by the credentials in the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class AdapterSpec:
    """A platform adapter and the environment variables it needs."""

    platform: str
    needs: tuple[str, ...]
    available: bool  # False until the adapter is part of this build


@dataclass(frozen=True)
class AdapterStatus:
    """Whether an adapter runs, and why (not)."""

    platform: str
    on: bool
    reason: str


ADAPTERS = (
    AdapterSpec("discord", ("DISCORD_TOKEN",), available=True),
    AdapterSpec("slack", ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"), available=False),
    AdapterSpec("github", ("GITHUB_TOKEN", "GITHUB_WEBHOOK_SECRET"), available=False),
)


def adapter_status(env: Mapping[str, str], specs: tuple[AdapterSpec, ...] = ADAPTERS) -> list[AdapterStatus]:
    """For each adapter: on when all its credentials are set and it is built, else off with the reason."""
    statuses = []
    for spec in specs:
        missing = [name for name in spec.needs if not env.get(name, "").strip()]
        if missing:
            statuses.append(AdapterStatus(spec.platform, False, f"{', '.join(missing)} not set"))
        elif not spec.available:
            statuses.append(AdapterStatus(spec.platform, False, "credentials found, but this build has no adapter yet"))
        else:
            statuses.append(AdapterStatus(spec.platform, True, "credentials found"))
    return statuses
