"""One world for the Discord bot tests: a desk on fakes, the bot on it, and the fake Discord around it."""

from __future__ import annotations

import dataclasses
from typing import Any

from bots.discord.app import DiscordNotifier, DiscordOptions, HelplineBot, create_bot
from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.customers.journeys import JourneySettings
from core.desk.context import Moderators
from core.desk.pipeline import SupportDesk
from core.messages import DISCORD
from core.notify import RoutingNotifier
from core.ports import Embedder
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tiers import TierDirectory, TierRule
from tests.adapters.discord_fake import FORUM, GUILD, HELP, ON_CALL_ROLE, STAFF, FakeDiscord
from tests.desk_fakes import START, fake_system
from tests.fakes import memory_stores

NO_PINGS: dict[str, Any] = {"parse": []}  # AllowedMentions.none(): no one, no role, no @everyone


@dataclasses.dataclass
class World:
    """A desk on fakes, a Discord bot on it, and the fake Discord around the bot."""

    discord: FakeDiscord
    bot: HelplineBot
    store: Stores
    clock: ManualClock
    worker: EscalationWorker
    desk: SupportDesk
    notifier: DiscordNotifier


def _tiers() -> TierDirectory:
    shipped = load_tiers(DEFAULT_TIERS_FILE)
    # Enterprise escalations go to the staff channel ("discord" alone means discord.staff_channel).
    tiers = [
        dataclasses.replace(t, escalation_target="discord") if t.name == "enterprise" else t for t in shipped.tiers
    ]
    rules = [TierRule("enterprise", platform=DISCORD, workspace=str(GUILD), role="Enterprise")]
    return TierDirectory(tiers, rules)


def _options(**changes: Any) -> DiscordOptions:
    base = DiscordOptions(
        support_channels=frozenset({HELP, FORUM}),
        staff_channel=STAFF,
        on_call_role=ON_CALL_ROLE,
        command_guilds=(GUILD,),
    )
    return dataclasses.replace(base, **changes)


async def make_world(
    store: Stores | None = None,
    embedder: Embedder | None = None,
    journeys: JourneySettings | None = None,
    settings: Settings | None = None,
    **changes: Any,
) -> World:
    """A world on a fresh (or the given) store and ``settings``; ``changes`` adjust the bot's options."""
    tiers = _tiers()
    store = store or memory_stores()
    clock = ManualClock(START)
    notifier = DiscordNotifier()
    system = fake_system(
        settings or Settings(),
        tiers=tiers,
        stores=store,
        notifier=RoutingNotifier({DISCORD: notifier}),
        clock=clock,
        moderators=Moderators(frozenset({"moderator"})),
        embedder=embedder,
        journeys=journeys,
    )
    desk, worker = system.desk, system.worker
    bot = create_bot(desk, _options(**changes))
    notifier.bot = bot
    fake = FakeDiscord(bot)
    await fake.start()
    return World(fake, bot, store, clock, worker, desk, notifier)


def buttons(body: dict[str, Any]) -> list[tuple[str, str]]:
    """The (label, custom id) of every button in a message body."""
    return [(b["label"], b["custom_id"]) for row in body.get("components", []) for b in row["components"]]
