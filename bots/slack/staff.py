"""Who is on the support team in Slack: listed user ids and the members of one user group."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("helpline.slack")


class StaffDirectory:
    """Answers "is this user staff?"; the group's member list is asked for at most once per ``ttl`` seconds."""

    def __init__(
        self,
        client: AsyncWebClient,
        users: frozenset[str] = frozenset(),
        group: str | None = None,
        ttl: float = 60.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._users = users
        self._group = group
        self._ttl = ttl
        self._now = now
        self._members: frozenset[str] | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def is_staff(self, user: str) -> bool:
        """True for a listed user or a member of the staff group."""
        if user in self._users:
            return True
        if self._group is None:
            return False
        return user in await self._group_members(self._group)

    async def _group_members(self, group: str) -> frozenset[str]:
        # One lookup at a time: a burst of messages must not become a burst of usergroups.users.list calls.
        async with self._lock:
            if self._members is not None and self._now() < self._expires:
                return self._members
            try:
                response = await self._client.usergroups_users_list(usergroup=group)
            except SlackApiError as exc:
                # Fail closed for newcomers, keep the last known list for the rest; ask again next time.
                log.warning("cannot read the members of user group %s: %s", group, exc.response.get("error"))
                return self._members or frozenset()
            users = response.get("users")
            members = frozenset(u for u in users if isinstance(u, str)) if isinstance(users, list) else frozenset()
            self._members, self._expires = members, self._now() + self._ttl
            return members
