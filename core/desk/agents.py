"""Auto-assignment at the desk: a routed tier's new ticket goes to an able, free agent, with the reason on its log.

``away`` hands the agent's automatically assigned tickets to others (a ticket assigned by hand stays: manual
assignment always wins) and ``back`` makes them available again. Routing reads the team's loads from the tickets
themselves (open tickets per assignee), so several processes agree without holding anything in memory.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from core.agents.choose import Pick, Team, pick_agent
from core.agents.commands import EditAgent
from core.agents.records import ROUTER, Agent, Need
from core.desk.context import actor_of
from core.messages import Address, Mention, Outbound, Reply, ReplyKind
from core.retention import Periodic
from core.tickets.records import TicketChange, TicketEvent, TicketStatus

if TYPE_CHECKING:
    from datetime import datetime

    from core.desk.context import Desk
    from core.messages import Inbound
    from core.tickets.records import Ticket

log = logging.getLogger("helpline.routing")

_MOST = 500  # an agent's open tickets read at most when handing them over


class AgentDesk:
    """Assigns new tickets of routed tiers and answers ``away`` and ``back``."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def assign_new(self, ticket: Ticket, customer: str) -> Pick | None:
        """Give ``ticket`` (just opened by ``customer``) to an agent when its tier is routed; the pick, if any."""
        d = self.desk
        if not d.routing.enabled_for(ticket.tier, ticket.address):
            return None
        csm = None
        if ticket.tier in d.routing.csm_first and (account := await d.stores.customers.get(customer)) is not None:
            csm = account.csm
        pick = pick_agent(self._need(ticket), await self._team(), csm)
        if pick is None:
            event = TicketEvent(ticket.number, d.clock.now(), ROUTER, "not_assigned", "no able agent is free")
            await d.stores.tickets.add_event(event)
            return None
        await self._give(ticket, pick)
        return pick

    async def presence(self, message: Inbound, away: bool) -> Reply:
        """``away`` or ``back`` for the message's author."""
        d = self.desk
        me = actor_of(message)
        agent = d.routing.agent(me)
        if agent is None:
            text = f"{me} is not one of the agents in the routing settings, so no tickets come to you automatically."
            return Reply(ReplyKind.INFO, text)
        changed = await d.stores.agents.set_away(me, away, d.clock.now())
        if not away:
            said = "Welcome back" if changed else "You were not away"
            return Reply(ReplyKind.INFO, f"{said}: new tickets can be assigned to you again.")
        moved, kept = await self._hand_over(agent)
        text = "You are away: no new tickets are assigned to you." if changed else "You were already away."
        if moved:
            text += " " + ", ".join(f"#{n} to {name}" for n, name in moved) + "."
        if kept:
            text += f" Still yours: {', '.join(f'#{n}' for n in kept)} (assigned by hand, or nobody else is free)."
        return Reply(ReplyKind.INFO, text)

    async def _hand_over(self, agent: Agent) -> tuple[list[tuple[int, str]], list[int]]:
        """Move the agent's automatically assigned open tickets to others; (moved with whom, kept)."""
        d = self.desk
        moved: list[tuple[int, str]] = []
        kept: list[int] = []
        for ticket in await d.stores.tickets.list_tickets(assignee=agent.identity, limit=_MOST):
            if not await self._assigned_by_routing(ticket):
                kept.append(ticket.number)
                continue
            pick = pick_agent(self._need(ticket), await self._team(), exclude=frozenset({agent.identity}))
            if pick is None:
                kept.append(ticket.number)
                continue
            await self._give(ticket, pick, f"{agent.name} is away")
            moved.append((ticket.number, pick.agent.name))
        return moved, kept

    async def rescue(self) -> int:
        """Assign routed tiers' waiting tickets to agents free now; hand over an automatic assignee's unanswered
        tickets when they are away or off shift, or when the SLA warning finds one unattended; how many moved."""
        d = self.desk
        moved = await self._waiting()
        team = await self._team()
        for agent in d.routing.agents:
            gone = "away" if agent.identity in team.away else "" if team.on_shift(agent) else "off shift"
            for ticket in await d.stores.tickets.list_tickets(assignee=agent.identity, limit=_MOST):
                if ticket.first_response_at is not None or not await self._assigned_by_routing(ticket):
                    continue
                if gone:
                    why = f"{agent.name} {gone}"
                elif self._past_warning(ticket):
                    why = f"the SLA warning found it unattended with {agent.name}"
                else:
                    continue
                pick = pick_agent(self._need(ticket), await self._team(), exclude=frozenset({agent.identity}))
                if pick is not None:
                    await self._give(ticket, pick, why)
                    moved += 1
        return moved

    async def _waiting(self) -> int:
        """Give the routed tiers' unassigned open tickets (nobody was free when they came) to agents free now."""
        d, done = self.desk, 0
        waiting = [t for t in await d.stores.tickets.list_tickets(limit=_MOST)
                   if t.assignee is None and d.routing.enabled_for(t.tier, t.address)]  # fmt: skip
        for ticket in waiting:  # most urgent first
            pick = pick_agent(self._need(ticket), await self._team())
            if pick is not None:
                await self._give(ticket, pick, "an agent is free now")
                done += 1
        return done

    def _past_warning(self, ticket: Ticket) -> bool:
        """Past the share of its first-response target at which its tier warns."""
        if ticket.first_response_due is None:
            return False
        try:
            tier = self.desk.tiers.get(ticket.tier)
        except KeyError:
            return False
        calendar = self.desk.tiers.calendar_for(tier, ticket.customer)
        target = calendar.elapsed(ticket.created_at, ticket.first_response_due)
        return calendar.elapsed(ticket.created_at, self.desk.clock.now()) >= target * tier.sla.warning_share

    async def _assigned_by_routing(self, ticket: Ticket) -> bool:
        """Whether the ticket's last assignment was routing's (a person's assignment always wins)."""
        assigned = [e for e in await self.desk.stores.tickets.events(ticket.number) if e.kind == "assigned"]
        return bool(assigned) and assigned[-1].actor == ROUTER

    async def agents(self) -> list[Agent]:
        """The routed agents as the settings name them, with the changes leads made in chat."""
        changes = await self.desk.stores.agents.changes()
        agents = []
        for agent in self.desk.routing.agents:
            capacity, skills = changes.get(agent.identity, (None, None))
            agents.append(replace(agent, capacity=capacity or agent.capacity,
                                  skills=agent.skills if skills is None else frozenset(skills)))  # fmt: skip
        return agents

    async def roster(self) -> Reply:
        """``agents``: each agent's open tickets against capacity, skills, hours and presence."""
        team = await self._team()
        if not team.agents:
            return Reply(ReplyKind.INFO, "No agents are set up for routing (routing.agents in the settings).")
        lines = []
        for a in team.agents:
            state = "away" if a.identity in team.away else "on shift" if team.on_shift(a) else "off shift"
            skills = ", ".join(sorted(a.skills)) or "any"
            lines.append(f"{a.name} ({a.identity}): {team.loads.get(a.identity, 0)} of {a.capacity} open, {state}; "
                         f"skills {skills}")  # fmt: skip
        return Reply(ReplyKind.INFO, "\n".join(lines))

    async def edit(self, message: Inbound, change: EditAgent) -> Reply:
        """``agent NAME capacity N`` / ``agent NAME skills …``: kept until changed again."""
        d = self.desk
        wanted = change.name.lstrip("@").lower()
        agent = next((a for a in await self.agents() if wanted in (a.name.lower(), a.identity.lower())), None)
        if agent is None:
            names = ", ".join(a.name for a in d.routing.agents) or "none are set up"
            return Reply(ReplyKind.ERROR, f"No routed agent is called {change.name!r}; the agents: {names}.")
        await d.stores.agents.change(agent.identity, capacity=change.capacity, skills=change.skills)
        log.info("%s changed agent %s: capacity %s, skills %s", actor_of(message), agent.identity,
                 change.capacity, change.skills)  # fmt: skip
        if change.capacity is not None:
            return Reply(ReplyKind.INFO, f"{agent.name} now takes at most {change.capacity} open tickets.")
        skills = ", ".join(change.skills or ()) or "any ticket"
        return Reply(ReplyKind.INFO, f"{agent.name} now takes {skills}.")

    async def _team(self) -> Team:
        d = self.desk
        agents = await self.agents()
        loads = {
            a.identity: len(await d.stores.tickets.list_tickets(assignee=a.identity, limit=a.capacity + 1))
            for a in agents
        }
        now = d.clock.now()
        away = await d.stores.agents.away()
        return Team(
            agents, loads, away, lambda agent: self._on_shift(agent, now), await d.stores.agents.last_assigned()
        )

    def _on_shift(self, agent: Agent, now: datetime) -> bool:
        """Whether ``agent`` works at ``now``: in their on-call shift, or in their calendar's open hours."""
        tiers = self.desk.tiers
        if agent.shift:
            duty = tiers.on_call.on_duty(now)
            return duty is not None and duty.name == agent.shift
        if not agent.hours:
            return True
        calendar = next((t.sla.calendar for t in tiers.tiers if t.sla.calendar.name == agent.hours), None)
        return calendar is not None and calendar.elapsed(now, now + timedelta(seconds=1)) > timedelta()

    def _need(self, ticket: Ticket) -> Need:
        category = None
        if ticket.intent is not None:
            try:
                category = self.desk.catalog.get(ticket.intent).category
            except KeyError:  # an intent the catalog no longer has
                category = None
        return Need(ticket.tier, ticket.intent, category, ticket.language)

    async def _give(self, ticket: Ticket, pick: Pick, why: str = "") -> None:
        """Assign ``ticket`` to the pick, log why, and tell the agent in the tier's team channel."""
        d = self.desk
        now, agent = d.clock.now(), pick.agent
        status = TicketStatus.OPEN if ticket.status is TicketStatus.NEW else None
        detail = f"{ticket.assignee or 'nobody'} → {agent.identity}; {why + '; ' if why else ''}{pick.reason}"
        event = TicketEvent(ticket.number, now, ROUTER, "assigned", detail)
        await d.stores.tickets.update(ticket.number, TicketChange(status=status, assignee=agent.identity), event)
        await d.stores.agents.assigned(agent.identity, now)
        platform, _, user = agent.identity.partition(":")
        text = f"Ticket #{ticket.number} ({ticket.priority}, {ticket.subject}) is {pick.reason}."
        notice = Reply(ReplyKind.WARNING, text, ticket=ticket.number, origin=ticket.address,
                       mentions=(Mention(platform, "user", user),))  # fmt: skip
        try:
            await d.notifier.send(Outbound(Address.parse(d.tiers.get(ticket.tier).team_channel), notice))
        except Exception as exc:  # the assignment stands; the log says the agent was not told
            log.warning("could not tell %s about ticket #%d: %s", agent.identity, ticket.number, exc)
            failed = TicketEvent(ticket.number, now, ROUTER, "delivery_failed", str(exc) or type(exc).__name__)
            await d.stores.tickets.add_event(failed)


class UnattendedPass(Periodic):
    """The worker's pass: waiting tickets to free agents, unanswered ones away from agents gone or overrun."""

    def __init__(self, desk: Desk, every: timedelta = timedelta(minutes=5)) -> None:
        super().__init__(desk.clock, every)
        self._agents = AgentDesk(desk)

    async def work(self, now: datetime) -> int:
        """Hand them over; how many moved."""
        return await self._agents.rescue()
