"""Display names of Slack users, so tickets and notices say "Bob Stone", not "U0ACMEBOB"."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.text import strip_bidi

log = logging.getLogger("helpline.slack")

NAME_LIMIT = 80


def display_name(user: Mapping[str, Any]) -> str | None:
    """The name Slack shows for a ``users.info`` user: display name, else real name, else handle."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, Mapping) else {}
    for value in (profile.get("display_name"), profile.get("real_name"), user.get("real_name"), user.get("name")):
        if isinstance(value, str) and (name := " ".join(strip_bidi(value).split())[:NAME_LIMIT]):
            return name
    return None


class NameBook:
    """Looks names up with ``users.info`` and keeps them for ``ttl`` seconds (the last ``size`` users)."""

    def __init__(
        self,
        client: AsyncWebClient,
        ttl: float = 3600.0,
        size: int = 10_000,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._size = size
        self._now = now
        self._names: OrderedDict[str, tuple[str, str, float]] = OrderedDict()  # user -> name, zone, until
        self._warned = False

    async def name(self, user: str) -> str:
        """The user's name, or their id when Slack will not say (a missing scope is logged once)."""
        return (await self.person(user))[0]

    async def person(self, user: str) -> tuple[str, str]:
        """The user's name (their id when Slack will not say) and time zone ("" when unknown)."""
        cached = self._names.get(user)
        if cached is not None and self._now() < cached[2]:
            self._names.move_to_end(user)
            return cached[0], cached[1]
        found = await self._look_up(user)
        name, zone = (display_name(found) or user, _zone(found)) if found is not None else (user, "")
        self._names[user] = (name, zone, self._now() + self._ttl)
        self._names.move_to_end(user)
        while len(self._names) > self._size:
            self._names.popitem(last=False)
        return name, zone

    async def _look_up(self, user: str) -> Mapping[str, Any] | None:
        try:
            response = await self._client.users_info(user=user)
        except SlackApiError as exc:
            error = exc.response.get("error")
            # Once: a missing users:read scope would otherwise fill the log.
            if error != "user_not_found" and not self._warned:
                log.warning("cannot read Slack user names (%s); tickets show user ids", error)
                self._warned = True
            return None
        found = response.get("user")
        return found if isinstance(found, Mapping) else None


def _zone(user: Mapping[str, Any]) -> str:
    """The IANA zone of a ``users.info`` user (``tz``), when it is one."""
    zone = user.get("tz")
    return zone if isinstance(zone, str) and 0 < len(zone) <= 64 and " " not in zone else ""
