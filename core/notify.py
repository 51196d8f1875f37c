"""Routing core-initiated messages to the adapter of the platform they are addressed to."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from core.errors import HelplineError
from core.messages import Outbound
from core.ports import Notifier

log = logging.getLogger("helpline.notify")


class UndeliverableError(HelplineError):
    """No adapter is running for the platform a message is addressed to."""


class RoutingNotifier:
    """Sends each message through the notifier of its address's platform."""

    def __init__(self, routes: Mapping[str, Notifier]) -> None:
        self._routes = dict(routes)
        self._observers: list[Notifier] = []

    def add(self, platform: str, notifier: Notifier) -> None:
        """Deliver ``platform``'s messages through ``notifier`` from now on (an adapter that just started)."""
        self._routes[platform] = notifier

    def observe(self, observer: Notifier) -> None:
        """Also show every delivered message to ``observer`` (e.g. to label an escalated GitHub issue)."""
        self._observers.append(observer)

    @property
    def platforms(self) -> tuple[str, ...]:
        """Platforms messages can be delivered to."""
        return tuple(sorted(self._routes))

    async def send(self, outbound: Outbound) -> None:
        """Deliver through the platform's notifier; ``UndeliverableError`` if none is running."""
        notifier = self._routes.get(outbound.address.platform)
        if notifier is None:
            running = ", ".join(self.platforms) or "none"
            raise UndeliverableError(
                f"cannot deliver to {outbound.address}: no {outbound.address.platform} adapter is running "
                f"(running: {running})"
            )
        await notifier.send(outbound)
        for observer in self._observers:
            try:
                await observer.send(outbound)
            except Exception:  # the message was delivered; an observer's trouble must not undo that
                log.exception("an observer of %s failed", outbound.address)
