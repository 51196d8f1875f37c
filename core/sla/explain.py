"""``sla explain``: a ticket's targets, deadlines, time spent, pauses and calendar, in words a lead can check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.sla.clocks import Clock, SlaState, sla_state
from core.sla.deadlines import describe_duration
from core.sla.events import clock_events
from core.sla.planner import clock_targets
from core.sla.records import TimerRecord
from core.stores import Stores
from core.tickets.records import Ticket
from core.tiers import Tier, TierDirectory
from core.wording import span

_NAMES = {"first_response": "First response", "next_response": "Next response", "resolution": "Resolution"}


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "—"


def _clock_lines(clock: Clock, now: datetime) -> list[str]:
    name = _NAMES[clock.name.value] + (f" #{clock.instance}" if clock.name.value == "next_response" else "")
    lines = [
        f"{name}: target {describe_duration(clock.target)} · {clock.status} · started {_when(clock.started_at)}",
        f"  deadline {_when(clock.breach_at)} · spent {span(clock.spent)} of {describe_duration(clock.target)}"
        + (f" · met {_when(clock.met_at)}" if clock.met_at else ""),
    ]
    for start, end in clock.pauses:
        length = span((end or now) - start)
        lines.append(f"  paused {_when(start)} → {_when(end) if end else 'now'} ({length})")
    return lines


def explain(ticket: Ticket, tier: Tier, state: SlaState, calendar: str, timers: Sequence[TimerRecord]) -> str:
    """The explanation of one ticket's SLA at ``state.now``."""
    lines = [
        f"Ticket #{ticket.number}: {tier.label} · {ticket.priority} · {ticket.status} · customer {ticket.customer}",
        f"Calendar: {calendar}",
        f"Warning at {tier.sla.warning_share:.0%} of a target; escalation chain: "
        + (", ".join(f"{i}. {lv.name} → {tier.level_target(i)}" for i, lv in enumerate(tier.sla.chain, 1)) or "none"),
    ]
    if not state.clocks:
        lines.append("No SLA targets apply to this ticket.")
    for clock in state.clocks:
        lines += _clock_lines(clock, state.now)
    if state.acknowledged:
        lines.append("Acknowledged: " + ", ".join(_when(at) for at in state.acknowledged))
    if timers:
        lines.append("Actions:")
        for timer in timers:
            what = f"{timer.action.value} {timer.clock}".strip()
            what += f" level {timer.level}" if timer.level else ""
            what += f" #{timer.instance}" if timer.instance > 1 else ""
            done = f"fired {_when(timer.fired_at)}" if timer.fired_at else f"due {_when(timer.due)}"
            lines.append(f"  {what}: {done}")
    return "\n".join(lines)


async def explain_ticket(stores: Stores, tiers: TierDirectory, ticket: Ticket, now: datetime) -> str:
    """Load what ``explain`` needs for ``ticket`` and explain it."""
    try:
        tier = tiers.get(ticket.tier)
    except KeyError:
        return f"Ticket #{ticket.number} has tier {ticket.tier!r}, which is no longer configured."
    calendar = tiers.calendar_for(tier, ticket.customer)
    state = sla_state(
        clock_events(await stores.tickets.events(ticket.number)), clock_targets(tier, ticket), calendar, now
    )
    return explain(ticket, tier, state, calendar.describe(), await stores.timers.timers(ticket.number))
