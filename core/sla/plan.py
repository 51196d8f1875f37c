"""What the SLA worker must do and when: warnings, escalation levels, reminders and stale-ticket actions."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.sla.clocks import SlaState
from core.sla.deadlines import WALL_CLOCK, Calendar

ON_CALL = "on-call"  # a mention that means "whoever's shift it is when the notice goes out"


class ActionKind(StrEnum):
    """Kinds of due work."""

    WARNING = "warning"
    ESCALATION = "escalation"  # level 1 is the breach notice itself
    REMINDER = "reminder"
    STALE_REMINDER = "stale_reminder"
    STALE_CLOSE = "stale_close"


ActionKey = tuple[ActionKind, str, int, int]


@dataclass(frozen=True)
class DueAction:
    """One piece of due work: unique per ticket by ``(action, clock, instance, level)``."""

    action: ActionKind
    clock: str  # the clock it is about ("" for reminders and stale actions)
    instance: int  # which deadline instance (the n-th next-response clock, the n-th waiting period, ...)
    level: int
    due: datetime

    @property
    def key(self) -> ActionKey:
        """What makes the action unique within its ticket."""
        return (self.action, self.clock, self.instance, self.level)


@dataclass(frozen=True)
class EscalationLevel:
    """One level of an escalation chain: where it goes, whom it mentions, and how long until the next level."""

    name: str
    target: str | None = None  # an address, e.g. slack:C0123ABC; None: the tier's escalation target
    mentions: tuple[str, ...] = ()  # platform:user:ID, platform:group:ID or on-call
    wait: timedelta = timedelta(hours=1)
    engineering: bool = False  # reaching this level also hands the ticket to engineering (routing.engineering_repo)


@dataclass(frozen=True)
class TierSla:
    """How a tier's clocks are counted and what happens as they run out."""

    calendar: Calendar = WALL_CLOCK
    warning_share: float = 0.75
    chain: tuple[EscalationLevel, ...] = ()
    team_channel: str | None = None  # where warnings and reminders go; default: the first level's target
    reminder_every: timedelta | None = timedelta(minutes=30)  # critical tickets, 24×7 calendars only
    stale_after: timedelta | None = None  # waiting on the customer this long: reminder; twice as long: closed

    @property
    def warns(self) -> bool:
        """True if there is anywhere to send warnings: a team channel or an escalation chain."""
        return self.team_channel is not None or bool(self.chain)


def plan(state: SlaState, sla: TierSla, fired: Collection[ActionKey], now: datetime) -> list[DueAction]:
    """The due work of a ticket in ``state``, minus what already fired; pure, so it can be checked exhaustively."""
    found = [*_clock_actions(state, sla), *_reminders(state, sla, fired, now), *_stale(state, sla)]
    return sorted((a for a in found if a.key not in fired), key=lambda a: (a.due, a.key))


def _clock_actions(state: SlaState, sla: TierSla) -> list[DueAction]:
    found = []
    for clock in state.clocks:
        if not clock.running:  # met, paused or stopped: nothing is due about it
            continue
        if clock.warn_at is not None and sla.warns:
            found.append(DueAction(ActionKind.WARNING, clock.name, clock.instance, 0, clock.warn_at))
        breach = clock.breach_at
        if breach is None or any(at >= breach for at in state.acknowledged):
            continue  # an acknowledgement after the breach stops its chain
        due = breach
        for level, step in enumerate(sla.chain, start=1):
            found.append(DueAction(ActionKind.ESCALATION, clock.name, clock.instance, level, due))
            due += step.wait
    return found


def _reminders(state: SlaState, sla: TierSla, fired: Collection[ActionKey], now: datetime) -> list[DueAction]:
    every, since = sla.reminder_every, state.critical_since
    if every is None or since is None or not sla.calendar.always_open or state.status != "active":
        return []  # paused while waiting on the customer; they resume when the customer writes
    # The next reminder after the last one sent; after an outage only the latest missed one is sent.
    last = max((k[2] for k in fired if k[0] is ActionKind.REMINDER), default=0)
    latest_due = int((now - since) / every)
    number = max(last + 1, latest_due, 1)
    if state.resumed_at is not None and state.resumed_at > since:
        # Back from waiting on the customer: the rhythm goes on from the next slot, none for the pause.
        number = max(number, math.ceil((state.resumed_at - since) / every))
    return [DueAction(ActionKind.REMINDER, "", number, 0, since + number * every)]


def _stale(state: SlaState, sla: TierSla) -> list[DueAction]:
    after, since = sla.stale_after, state.waiting_since
    if after is None or since is None or state.status != "waiting":
        return []
    period = state.waiting_periods
    return [
        DueAction(ActionKind.STALE_REMINDER, "", period, 0, since + after),
        DueAction(ActionKind.STALE_CLOSE, "", period, 0, since + 2 * after),
    ]
