"""A desk with onboarding journeys on in-memory fakes: Discord people in the professional tier (business hours)."""

from __future__ import annotations

from dataclasses import dataclass

from config.journeys_config import load_journeys
from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.desk.pipeline import SupportDesk
from core.messages import DISCORD, Address, Author, CommandText, IncomingMessage, Outbound
from core.notify import RoutingNotifier
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tiers import TierDirectory, TierRule
from tests.desk_fakes import START, RecordingNotifier, fake_system
from tests.fakes import memory_stores

GUILD = "900"
HELP = Address(DISCORD, GUILD, "100")


@dataclass
class JourneyWorld:
    """The desk, its worker, the stores and what the notifier was handed."""

    desk: SupportDesk
    worker: EscalationWorker
    stores: Stores
    clock: ManualClock
    notifier: RecordingNotifier

    async def join(self, user: str = "501", name: str = "Ana") -> bool:
        """A Discord member joins the server."""
        return await self.desk.person_joined(Address(DISCORD, GUILD), Author(user, name), "discord_join")

    async def say(self, text: str, user: str = "501") -> None:
        """The member writes in the help channel."""
        await self.desk.handle(IncomingMessage(HELP, Author(user, "Ana"), text, f"m-{self.clock.now()}"))

    async def command(self, text: str, user: str = "501") -> str:
        """The member types a command; the desk's answer."""
        replies = await self.desk.handle(CommandText(HELP, Author(user, "Ana"), text))
        return "\n".join(reply.text for reply in replies)

    def dms(self) -> list[Outbound]:
        """The journey messages delivered so far."""
        return [o for o in self.notifier.sent if o.reply.mentions and o.address.channel == ""]


def tiers() -> TierDirectory:
    """The shipped tiers, with every Discord member in the professional tier."""
    shipped = load_tiers(DEFAULT_TIERS_FILE)
    return TierDirectory(shipped.tiers, [TierRule("professional", platform=DISCORD)])


def journey_world(stores: Stores | None = None, clock: ManualClock | None = None) -> JourneyWorld:
    """A fresh world at ``START`` (Monday 09:00 UTC) with the shipped journeys."""
    directory = tiers()
    stores = stores or memory_stores()
    clock = clock or ManualClock(START)
    notifier = RecordingNotifier()
    system = fake_system(
        Settings(),
        tiers=directory,
        stores=stores,
        notifier=RoutingNotifier({DISCORD: notifier}),
        clock=clock,
        moderators=Moderators(frozenset({"moderator"})),
        journeys=load_journeys(tiers=[t.name for t in directory.tiers]),
    )
    return JourneyWorld(system.desk, system.worker, stores, clock, notifier)
