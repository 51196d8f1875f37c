"""Onboarding journeys: the steps a tier's new people are sent, each person's progress, and the pure planning.

A journey starts when a person first appears (joins a Discord server or a shared Slack channel, opens a first
GitHub issue, is imported). Step ``n`` is due ``day`` days after the start, moved to the next open moment of the
tier's business calendar; steps go one at a time and in order. A journey stops when the person replies after a
step, asks to stop (``/helpline stop``), or has been sent every step (completed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from core.errors import HelplineError

if TYPE_CHECKING:
    from core.messages import Address
    from core.sla.deadlines import Calendar

PERSON_LENGTH = 320  # an identity, platform:id


class JourneyError(HelplineError):
    """A journey or step that cannot be used as given; the message says why."""


class JourneyState(StrEnum):
    """Where a person's journey is."""

    ACTIVE = "active"
    STOPPED = "stopped"  # the person replied or asked to stop
    COMPLETED = "completed"  # every step was sent


class StopReason(StrEnum):
    """Why a journey stopped."""

    REPLIED = "replied"
    ASKED = "asked"


@dataclass(frozen=True)
class JourneyStep:
    """One message of a journey: its name, its day (counted from the start) and its template."""

    name: str
    day: int
    template: str


@dataclass(frozen=True)
class Journey:
    """A tier's onboarding journey: its steps in the order they go out, days never decreasing."""

    tier: str
    steps: tuple[JourneyStep, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise JourneyError(f"the {self.tier} journey has no steps")
        days = [step.day for step in self.steps]
        if days != sorted(days) or days[0] < 0:
            raise JourneyError(f"the {self.tier} journey's days must start at 0 or later and never go back")


@dataclass(frozen=True)
class JourneyStart:
    """A person appearing for the first time: who (``platform:id``), where to reach them, their tier, when."""

    person: str
    address: Address  # where their direct messages go (platform, and its workspace if any)
    tier: str
    at: datetime
    source: str  # "discord_join", "slack_join", "github_issue", "import"
    name: str = ""  # how to greet them


@dataclass(frozen=True)
class Progress:
    """A person's journey as stored: the next step to send (its index), its state and when things happened."""

    person: str
    address: Address
    tier: str
    name: str
    source: str
    started_at: datetime
    step: int  # the index of the next step; equal to the number of steps sent
    state: JourneyState
    updated_at: datetime
    last_sent_at: datetime | None = None
    stop_reason: StopReason | None = None


def progress_of(start: JourneyStart) -> Progress:
    """The new progress a start makes: nothing sent yet."""
    return Progress(
        start.person,
        start.address,
        start.tier,
        start.name,
        start.source,
        start.at,
        0,
        JourneyState.ACTIVE,
        start.at,
    )


def due_at(journey: Journey, progress: Progress, calendar: Calendar) -> datetime | None:
    """When the person's next step is due (the next open moment from its day); None when nothing is left."""
    if progress.state is not JourneyState.ACTIVE or progress.step >= len(journey.steps):
        return None
    step = journey.steps[progress.step]
    return calendar.add(progress.started_at + timedelta(days=step.day), timedelta())


def due_step(journey: Journey, progress: Progress, calendar: Calendar, now: datetime) -> JourneyStep | None:
    """The step to send now, if its time has come; the caller sends it and advances the progress past it."""
    due = due_at(journey, progress, calendar)
    return journey.steps[progress.step] if due is not None and due <= now else None


def stops_on_reply(progress: Progress, at: datetime) -> bool:
    """True when a message the person wrote at ``at`` ends their journey: it is active and came after a step."""
    sent = progress.last_sent_at
    return progress.state is JourneyState.ACTIVE and sent is not None and at >= sent


def after_send(journey: Journey, progress: Progress) -> JourneyState:
    """The state once the next step is sent: completed when it was the last."""
    return JourneyState.COMPLETED if progress.step + 1 >= len(journey.steps) else JourneyState.ACTIVE


@dataclass(frozen=True)
class PlannedStep:
    """A step a person would be sent, and when: what ``helpline journeys preview`` lists."""

    person: str
    tier: str
    step: str
    index: int
    due: datetime


def plan_ahead(
    journey: Journey, progress: Progress, calendar: Calendar, now: datetime, until: datetime
) -> list[PlannedStep]:
    """Every step the person would be sent until ``until`` if nothing stops them (an overdue one goes ``now``)."""
    planned: list[PlannedStep] = []
    if progress.state is not JourneyState.ACTIVE:
        return planned
    for index in range(progress.step, len(journey.steps)):
        step = journey.steps[index]
        due = max(calendar.add(progress.started_at + timedelta(days=step.day), timedelta()), now)
        if due > until:
            break
        planned.append(PlannedStep(progress.person, progress.tier, step.name, index, due))
    return planned


def preview(
    journeys: Mapping[str, Journey],
    people: Sequence[Progress],
    calendars: Mapping[str, Calendar],
    now: datetime,
    days: int,
) -> list[PlannedStep]:
    """Who would get which step when in the next ``days`` days, by time then person; nothing is sent."""
    until = now + timedelta(days=days)
    planned = [
        step
        for progress in people
        if progress.tier in journeys
        for step in plan_ahead(journeys[progress.tier], progress, calendars[progress.tier], now, until)
    ]
    return sorted(planned, key=lambda p: (p.due, p.person, p.index))


def render_step(step: JourneyStep, progress: Progress, articles: Sequence[str]) -> str:
    """The step's message: its template with ``{name}`` and ``{articles}`` (one per line) filled in."""
    listed = "\n".join(f"• {article}" for article in articles)
    text = step.template.replace("{name}", progress.name or "there").replace("{articles}", listed)
    return "\n".join(line for line in text.splitlines() if line.strip()).strip()


@dataclass(frozen=True)
class JourneySettings:
    """Every tier's journey, and which knowledge-base articles the welcome lists (``config/journeys.yaml``)."""

    journeys: Mapping[str, Journey]
    article_query: str = "getting started"
    article_count: int = 3
