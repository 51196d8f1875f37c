"""The desk's side of onboarding journeys: a person appearing starts theirs, a reply or ``stop`` ends it.

Adapters report a join (a Discord member, a Slack channel member) through ``SupportDesk.person_joined``; a
first GitHub issue and an import start one too. Only a tier ``config/journeys.yaml`` has a journey for gets one,
and each person gets at most one, ever (linked identities count as the same person).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.customers.journeys import JourneyStart, StopReason, progress_of, stops_on_reply
from core.desk.context import actor_of
from core.desk.people import linked_identities, membership
from core.messages import GITHUB, Address, IncomingMessage, Reply, ReplyKind

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Author, Inbound

STOPPED = "Done: you will get no more onboarding messages from us. You can still ask me anything."
NOTHING_TO_STOP = "You have no onboarding messages coming, so there was nothing to stop."


def direct_address(address: Address) -> Address:
    """Where a person's steps go: their platform's direct messages (in the same workspace), a GitHub issue itself."""
    return address if address.platform == GITHUB else Address(address.platform, address.workspace)


class JourneyDesk:
    """Starts and stops people's journeys; does nothing when no journeys are configured."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def joined(self, address: Address, author: Author, source: str) -> bool:
        """Start the journey of someone who just appeared at ``address``; True if one started."""
        settings = self.desk.journeys
        if settings is None:
            return False
        message = IncomingMessage(address, author, "")
        tier = await membership(self.desk, message)
        name = (tier.elsewhere or tier.tier).name
        if name not in settings.journeys:
            return False
        people = await linked_identities(self.desk, message)
        if await self.desk.stores.journeys.of_people(people):
            return False  # they appeared before, perhaps on another platform: one journey per person
        now = self.desk.clock.now()
        start = JourneyStart(actor_of(message), direct_address(address), name, now, source, author.name)
        return await self.desk.stores.journeys.start(progress_of(start))

    async def stop(self, message: Inbound) -> Reply:
        """``/helpline stop``: end the author's journey (under any linked identity) and say so."""
        now = self.desk.clock.now()
        stopped = False
        for person in await linked_identities(self.desk, message):
            stopped = await self.desk.stores.journeys.stop(person, StopReason.ASKED, now) or stopped
        return Reply(ReplyKind.INFO, STOPPED if stopped else NOTHING_TO_STOP)

    async def replied(self, message: IncomingMessage) -> None:
        """A message from someone whose journey has sent a step ends it: they are talking to us now."""
        if self.desk.journeys is None:
            return
        progress = await self.desk.stores.journeys.get(actor_of(message))
        now = self.desk.clock.now()
        if progress is not None and stops_on_reply(progress, now):
            await self.desk.stores.journeys.stop(progress.person, StopReason.REPLIED, now)
