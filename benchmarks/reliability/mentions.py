"""Mention and link injection: what a customer writes never becomes a live mention or link in what the bot sends.

Each case is one customer message, on Slack, Discord and GitHub, carrying every platform's mention markup (the
ids unique to the case) and a disguised link; the bot's replies, the ticket shown to staff and the escalations
are then searched for any of it still live.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from benchmarks.reliability import worlds
from benchmarks.reliability.figures import Figure, Tally
from benchmarks.reliability.sampling import SEED
from tests.adapters import discord_world, github_world, slack_world
from tests.adapters.discord_fake import ANA, MODERATOR_ROLE, ON_CALL_ROLE

DISCORD_ID = 910_000_000_000_000_000


def live_markup(n: int) -> dict[str, tuple[str, ...]]:
    """Per platform, the markup that would notify someone or hide a link if sent as written (case ``n``)."""
    someone, link = DISCORD_ID + n, f"https://evil{n}.example"
    return {
        "slack": ("<!channel>", "<!here>", "<!everyone>", f"<@U0EVIL{n}>", f"<!subteam^S0EVIL{n}>", f"<{link}|docs>"),
        "discord": ("@everyone", "@here", f"<@{someone}>", f"<@!{someone}>", f"<@&{someone}>", f"[docs]({link})"),
        "github": (f"@evil{n}", f"@evil-org/team{n}", f"[docs]({link})"),
    }


def injected(n: int) -> str:
    """A customer's outage report carrying every platform's markup of case ``n``, in a shuffled order."""
    parts = [markup for group in live_markup(n).values() for markup in group]
    random.Random(SEED + n).shuffle(parts)
    return f"the site is down for everyone {' '.join(parts)} please look"


def _leaks(texts: list[str], markup: tuple[str, ...]) -> list[str]:
    return sorted({m for m in markup if any(m in text for text in texts)})


async def _slack(size: int, tally: Tally) -> None:
    """Each case an outage in its own thread, then ``ticket N`` as staff; the escalations at the end."""
    async with worlds.slack() as world:
        for n in range(size):
            seen = len(world.slack.posts()) + len(world.slack.responses())
            envelope = slack_world.connect_message(injected(n), f"EvInject{n:06d}")
            envelope["event"].update(ts=f"{1_700_100_000 + n}.000300", user=f"U0CUST{n}")
            await world.event(envelope)
            number = max(t.number for t in await world.store.tickets.list_tickets(active_only=False))
            await world.command(slack_world.slash(slack_world.STAFF, f"ticket {number}", world, f"73{n}.1"))
            sent = [slack_world.shown(m) for m in world.slack.posts() + world.slack.responses()][seen:]
            leaked = _leaks(sent, live_markup(n)["slack"])
            tally.check(bool(sent) and not leaked, f"Slack, case {n}: {len(sent)} sent, live {leaked}")
        seen = len(world.slack.posts())
        world.clock.advance(timedelta(hours=3))
        await world.worker.run_once()
        await world.settle()
        escalations = [slack_world.shown(m) for m in world.slack.posts()[seen:]]
        for n in range(size):
            leaked = _leaks(escalations, live_markup(n)["slack"])
            tally.check(bool(escalations) and not leaked, f"Slack escalations, case {n}: live {leaked}")


def _discord_live(body: dict[str, Any], n: int) -> list[str]:
    """What in one Discord message body would ping or link: its text's markup, or mentions it allows."""
    leaked = _leaks([str(body.get("content", ""))], live_markup(n)["discord"])
    allowed = body.get("allowed_mentions", {})
    if set(allowed.get("parse", [])) & {"everyone", "users", "roles"}:
        leaked.append(f"allowed_mentions parse {allowed['parse']}")
    if set(allowed.get("roles", [])) - {ON_CALL_ROLE} or str(DISCORD_ID + n) in map(str, allowed.get("users", [])):
        leaked.append(f"allowed_mentions {allowed}")
    return leaked


async def _discord(size: int, tally: Tally) -> None:
    """Each case a member's message in the help channel, then ``/ticket show`` by a moderator."""
    world = await discord_world.make_world()
    try:
        for n in range(size):
            api = world.discord.api
            seen = len(api.sent()) + len(api.followups())
            await world.discord.message(injected(n), author=ANA + 1000 + n)
            number = max(t.number for t in await world.store.tickets.list_tickets(active_only=False))
            await world.discord.slash("ticket", "show", {"number": number}, roles=(MODERATOR_ROLE,))
            bodies = (api.sent() + api.followups())[seen:]
            leaked = [live for body in bodies for live in _discord_live(body, n)]
            tally.check(bool(bodies) and not leaked, f"Discord, case {n}: {len(bodies)} sent, live {leaked}")
    finally:
        await world.discord.close()


async def _github(size: int, tally: Tally) -> None:
    """Each case an issue opened with the markup in its title and body; every comment the bot writes."""
    async with worlds.github() as world:
        for n in range(size):
            seen = len(world.fake.writes())
            data = github_world.opened(title=f"Deploy is down {live_markup(n)['github'][0]}", body=injected(n))
            data["issue"]["number"] = 100 + n
            await world.deliver("issues", data, delivery=f"inject-{n}")
            await world.drain()
            sent = [str(c.body) for c in world.fake.writes()[seen:]]
            leaked = _leaks(sent, live_markup(n)["github"])
            tally.check(bool(sent) and not leaked, f"GitHub, case {n}: {len(sent)} written, live {leaked}")


async def mention_injection(size: int) -> Figure:
    """Probe 4: ``size`` injected messages on each of Slack, Discord and GitHub."""
    tally = Tally()
    await _slack(size, tally)
    await _discord(size, tally)
    await _github(size, tally)
    return tally.figure(
        "Mention and link injection",
        "Customer messages carrying @everyone, @here, <!channel>, <@U…>, <!subteam^…>, Discord user and role "
        "mentions, GitHub @logins and team mentions and disguised links (`<url|docs>`, `[docs](url)`), ids unique to "
        "each case: the bot's replies, the ticket shown to staff and the escalations (Slack), the replies and "
        "`/ticket show` with their allowed_mentions (Discord) and the comments written (GitHub) may carry none live.",
    )
