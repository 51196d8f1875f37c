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
    # Variables the adapter runs without but does more with (named in its status when missing).
    optional: tuple[tuple[str, str], ...] = ()
    # (needed, instead): a needed variable may be left unset when ``instead`` is set (another way to connect).
    alternatives: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AdapterStatus:
    """Whether an adapter runs, and why (not)."""

    platform: str
    on: bool
    reason: str


ADAPTERS = (
    AdapterSpec("discord", ("DISCORD_TOKEN",), available=True),
    # Socket Mode (SLACK_APP_TOKEN) receives events over a websocket, so it needs no signing secret.
    AdapterSpec(
        "slack",
        ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
        available=True,
        alternatives=(("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"),),
    ),
    AdapterSpec(
        "github",
        ("GITHUB_WEBHOOK_SECRET",),
        available=True,
        optional=(("GITHUB_TOKEN", "to label, comment and check permissions"),),
    ),
)


def adapter_status(env: Mapping[str, str], specs: tuple[AdapterSpec, ...] = ADAPTERS) -> list[AdapterStatus]:
    """For each adapter: on when all its credentials are set and it is built, else off with the reason."""
    statuses = []
    for spec in specs:
        instead = dict(spec.alternatives)
        missing = [name for name in spec.needs if not _set(env, name) and not _set(env, instead.get(name, ""))]
        extras = "".join(f"; {name} not set ({why})" for name, why in spec.optional if not _set(env, name))
        if missing:
            statuses.append(AdapterStatus(spec.platform, False, f"{', '.join(missing)} not set{extras}"))
        elif not spec.available:
            statuses.append(AdapterStatus(spec.platform, False, "credentials found, but this build has no adapter yet"))
        else:
            statuses.append(AdapterStatus(spec.platform, True, f"credentials found{extras}"))
    return statuses


def _set(env: Mapping[str, str], name: str) -> bool:
    return bool(name) and bool(env.get(name, "").strip())
