"""Platform adapters as plug-ins: what one is, what it needs, and which of them ``helpline serve`` can start.

Adding a platform means one package under ``bots/`` whose ``runner.py`` defines an ``AdapterSpec`` (its name,
the environment it needs and a ``build`` that makes an ``Adapter`` from an ``AdapterContext``) and one line in
``bots/registry.py``. ``serve``, ``/healthz`` and the start-up status lines loop over the registry and name no
platform.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bots.cli.roles import RolePlan
    from config.settings import Settings
    from core.desk.pipeline import SupportDesk
    from core.job_drain import DrainFactory
    from core.notify import RoutingNotifier
    from core.ports import Clock, Notifier


@dataclass(frozen=True)
class AdapterContext:
    """What an adapter is built from: the one door into the core and the process's shared parts."""

    desk: SupportDesk
    settings: Settings
    env: Mapping[str, str]  # tokens and secrets, only ever from here
    plan: RolePlan  # what this process runs: only a web process listens for events
    drains: DrainFactory  # durable job drains on the system's job queue and clock
    notifier: RoutingNotifier  # for observers of every delivered message (the GitHub escalation labeller)
    clock: Clock  # for the adapter's own timing (rate limits), never for its jobs


class Adapter(Protocol):
    """A running platform adapter, as ``serve`` starts and stops it.

    Built for every role (a worker posts escalations through the notifier too); ``start`` listens for the
    platform's events only where the context's role plan says so. A new platform is one package under ``bots/``
    and one line in ``bots/registry.py``.
    """

    @property
    def name(self) -> str:
        """The platform, as in its addresses (``slack``)."""
        ...

    @property
    def notifier(self) -> Notifier | None:
        """Delivers core messages to this platform's addresses; None when it has none."""
        ...

    def routes(self) -> Sequence[BaseRoute]:
        """Its HTTP routes (webhooks, events), mounted in the web app."""
        ...

    async def start(self) -> None:
        """Connect and run in the background, as far as this process's role asks."""
        ...

    async def close(self) -> None:
        """Stop; unfinished durable work stays queued for the next start."""
        ...


@dataclass(frozen=True)
class AdapterSpec:
    """A platform adapter, the environment variables it needs and how to build it."""

    platform: str
    needs: tuple[str, ...]
    available: bool  # False until the adapter is part of this build
    # Variables the adapter runs without but does more with (named in its status when missing).
    optional: tuple[tuple[str, str], ...] = ()
    # (needed, instead): a needed variable may be left unset when ``instead`` is set (another way to connect).
    alternatives: tuple[tuple[str, str], ...] = ()
    build: Callable[[AdapterContext], Adapter] | None = None


@dataclass(frozen=True)
class AdapterStatus:
    """Whether an adapter runs, and why (not)."""

    platform: str
    on: bool
    reason: str


def adapter_status(env: Mapping[str, str], specs: Sequence[AdapterSpec]) -> list[AdapterStatus]:
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


def build_adapters(
    specs: Sequence[AdapterSpec], statuses: Sequence[AdapterStatus], context: AdapterContext
) -> list[Adapter]:
    """The adapters whose status is on, built in the registry's order, each notifier added to the routing one."""
    on = {status.platform for status in statuses if status.on}
    adapters = []
    for spec in specs:
        if spec.platform not in on or spec.build is None:
            continue
        adapter = spec.build(context)
        if adapter.notifier is not None:
            context.notifier.add(adapter.name, adapter.notifier)
        adapters.append(adapter)
    return adapters


def _set(env: Mapping[str, str], name: str) -> bool:
    return bool(name) and bool(env.get(name, "").strip())
