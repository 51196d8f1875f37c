"""The call reminders: on the escalation worker's pass, each call starting within the lead gets one reminder.

The reminder is queued in the outbox in the transaction that marks the call reminded (a conditional update), so of
two workers one sends it, once, and a crash before the send does not lose it. A call already started gets none.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.calls.records import BookedCall, CallSettings
from core.messages import Address, Mention, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from core.ports import Clock
    from core.stores import Stores
    from core.tiers import TierDirectory

log = logging.getLogger("helpline.calls")


class CallReminders:
    """Sends each booked call's reminder once, ``settings.reminder`` before it starts."""

    def __init__(self, stores: Stores, clock: Clock, tiers: TierDirectory, settings: CallSettings) -> None:
        self._stores, self._clock, self._tiers, self._settings = stores, clock, tiers, settings

    async def run_once(self) -> int:
        """Queue the due reminders; how many this worker queued."""
        now, sent = self._clock.now(), 0
        for call in await self._stores.calls.due_reminders(now + self._settings.reminder, now):
            sent += await self._stores.calls.remind(call.call_id, self.notices(call), now)
        if sent:
            log.info("%d video call reminder(s) queued", sent)
        return sent

    def notices(self, call: BookedCall) -> list[Outbound]:
        """The customer's reminder in their conversation, and the team's (mentioning the agent)."""
        minutes = max(1, round((call.start - self._clock.now()).total_seconds() / 60))
        when = f"{call.start:%H:%M} UTC"
        about = f" about ticket #{call.ticket}" if call.ticket is not None else ""
        customer = Reply(ReplyKind.INFO, f"Your video call{about} starts in {minutes} minutes ({when}). Join here: "
                         f"{call.link}", ticket=call.ticket)  # fmt: skip
        notices = [Outbound(call.address, customer)]
        mentions: tuple[Mention, ...] = ()
        if call.agent is not None and ":" in call.agent:
            platform, _, user = call.agent.partition(":")
            mentions = (Mention(platform, "user", user),)
        team = Reply(ReplyKind.WARNING, f"Video call with {call.person}{about} in {minutes} minutes ({when}): "
                     f"{call.link}", mentions=mentions, origin=call.address, ticket=call.ticket)  # fmt: skip
        try:
            place = Address.parse(self._tiers.get(call.tier).team_channel)
        except (KeyError, ValueError):  # the tier left the tiers file: the customer is still reminded
            return notices
        return [*notices, Outbound(place, team)]
