"""The permission matrix: every moderator command, run by a customer and by a moderator, at the desk of every
platform and through the Slack and Discord adapters: customers refused with nothing changed, moderators let in.
"""

from __future__ import annotations

from typing import Any

from benchmarks.reliability import worlds
from benchmarks.reliability.figures import Figure, Tally
from core.command_params import CommandSpec, ParamKind
from core.commands import COMMANDS
from core.desk.moderation import REFUSAL
from core.messages import CONSOLE, DISCORD, GITHUB, SLACK
from core.stores import Stores
from tests.adapters import discord_world, slack_world
from tests.adapters.discord_fake import ANA, MODERATOR_ROLE
from tests.desk_fakes import make_harness

SAMPLES = {
    ParamKind.TICKET: "1",
    ParamKind.TEXT: "checked by the permission probe",
    ParamKind.SCORE: "5",
    ParamKind.PERSON: "@mo",
    ParamKind.IDENTITY: "discord:123",
}
PLATFORMS = (CONSOLE, DISCORD, SLACK, GITHUB)
MODERATOR = frozenset({"moderator"})
OPENING = "the site is down for everyone"  # a customer's outage: ticket #1, for the commands to act on


def moderator_commands() -> list[CommandSpec]:
    """Every command only a moderator may run, each once."""
    unique = {spec.words: spec for spec in COMMANDS if spec.moderator}
    return list(unique.values())


def _value(spec: CommandSpec, name: str) -> str:
    param = next(p for p in spec.params if p.name == name)
    return param.values[0] if param.values else SAMPLES[param.kind]


def typed(spec: CommandSpec) -> str:
    """The command as a moderator would type it, with a plausible value for every parameter."""
    return " ".join([spec.words, *(_value(spec, p.name) for p in spec.params if p.required)])


async def _fingerprint(stores: Stores) -> list[tuple[Any, ...]]:
    """What a refused command must leave as it was: every ticket's state, owner, priority and tier."""
    tickets = await stores.tickets.list_tickets(active_only=False)
    return [(t.number, t.status, t.assignee, t.priority, t.tier) for t in tickets]


async def _desk(specs: list[CommandSpec], tally: Tally) -> None:
    """Each command as typed text at the desk, by a customer then by a moderator, on every platform."""
    for platform in PLATFORMS:
        harness = make_harness()
        await harness.say(OPENING, platform=platform)
        for spec in specs:
            text = typed(spec)
            before = await _fingerprint(harness.store)
            replies = await harness.say(text, command=True, platform=platform, user="cara", thread="c")
            changed = await _fingerprint(harness.store) != before
            refused = [r.text for r in replies] == [REFUSAL]
            tally.check(refused and not changed, f"{platform} customer ran {text!r}: {replies[:1]}, changed {changed}")
            try:
                said = [
                    r.text for r in await harness.say(text, command=True, platform=platform, user="mo", roles=MODERATOR)
                ]
            except Exception as exc:
                said = [f"raised {exc!r}"]
            let_in = bool(said) and REFUSAL not in said and not said[0].startswith("raised")
            tally.check(let_in, f"{platform} moderator ran {text!r}: {said[:1]}")


async def _slack(specs: list[CommandSpec], tally: Tally) -> None:
    """``/helpline COMMAND`` from a customer, then from a member of the staff list."""
    async with worlds.slack() as world:
        await slack_world.outage(world)
        for n, spec in enumerate(specs):
            for user, customer in ((slack_world.ANA, True), (slack_world.STAFF, False)):
                seen = len(world.slack.responses())
                before = await _fingerprint(world.store)
                await world.command(slack_world.slash(user, typed(spec), world, f"74{n}{int(customer)}.1"))
                said = [slack_world.shown(r) for r in world.slack.responses()[seen:]]
                refused = bool(said) and all("Only moderators" in s for s in said)
                unchanged = await _fingerprint(world.store) == before
                ok = refused and unchanged if customer else bool(said) and not any("Only moderators" in s for s in said)
                who = "customer" if customer else "staff"
                tally.check(ok, f"Slack {who} ran /helpline {typed(spec)}: {said[:1]}, unchanged {unchanged}")


def _options(spec: CommandSpec) -> dict[str, Any]:
    kinds = {p.name: p.kind for p in spec.params if p.required}
    values = {name: _value(spec, name) for name in kinds}
    return {name: int(value) if kinds[name] is ParamKind.TICKET else value for name, value in values.items()}


async def _discord(specs: list[CommandSpec], tally: Tally) -> None:
    """The slash command of each, by a member without roles, then by one with the moderator role."""
    world = await discord_world.make_world()
    try:
        await world.discord.message(OPENING)
        for spec in (s for s in specs if s.slash):
            group, sub = spec.slash[0], spec.slash[1] if len(spec.slash) > 1 else None
            for roles in ((), (MODERATOR_ROLE,)):
                seen = len(world.discord.api.followups())
                before = await _fingerprint(world.store)
                await world.discord.slash(group, sub, _options(spec), user=ANA, roles=roles)
                said = [str(f.get("content", "")) for f in world.discord.api.followups()[seen:]]
                refused = bool(said) and all("Only moderators" in s for s in said)
                unchanged = await _fingerprint(world.store) == before
                ok = bool(said) and not any("Only moderators" in s for s in said) if roles else refused and unchanged
                who = "moderator" if roles else "member"
                tally.check(ok, f"Discord {who} ran /{' '.join(spec.slash)}: {said[:1]}, unchanged {unchanged}")
    finally:
        await world.discord.close()


async def permission_matrix(size: int) -> Figure:
    """Probe 5: the first ``size`` moderator commands (all of them at full size) × role × platform."""
    specs = moderator_commands()[:size]
    tally = Tally()
    await _desk(specs, tally)
    await _slack(specs, tally)
    await _discord(specs, tally)
    return tally.figure(
        "Permission matrix",
        f"{len(specs)} moderator-only commands (every one in core/commands.py and the feature packages' tables), "
        f"each typed by a customer and by a moderator at the desk of {len(PLATFORMS)} platforms, as `/helpline …` "
        "on Slack (a customer, a staff-list member) and as Discord slash commands (no role, the moderator role): "
        "customers get the refusal and change no ticket, moderators get past the check.",
    )
