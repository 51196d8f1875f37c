"""The customer health score: five parts, each a value from 0 to 100 with the reason behind it, weighted into one.

Pure arithmetic over ``HealthFigures`` (``core.customers.health_figures`` gathers them from the stores). The
weights are usage 0.30, engagement 0.25, support 0.20, satisfaction 0.15 and growth 0.10. A part without data
is left out and the others are re-weighted in proportion (their weights divided by the weights present); the
score's reason names the missing parts. The rules of every part are in docs/customers.md, "Health score".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS = {"usage": 0.30, "engagement": 0.25, "support": 0.20, "satisfaction": 0.15, "growth": 0.10}
CATEGORIES = ((85, "Healthy"), (70, "Good"), (50, "At risk"), (0, "Critical"))  # the lowest score of each
NO_DATA = "No data"  # the category of a score without a single part
TICKETS_PER_SEAT_FULL = 1.0  # this many tickets per seat in the window take the ticket term's whole 40 points
GROWTH_FLAT = 70  # the growth score of an account whose seats did not change
GROWTH_PER_PERCENT = 1.5  # points per percent of seat growth (+20 % is 100, -46.7 % is 0)


@dataclass(frozen=True)
class HealthFigures:
    """What the score is computed from; ``None`` where nothing is known."""

    days: int  # the window the support, satisfaction and engagement figures cover
    licensed_seats: int | None = None  # the account's seats
    # usage: the latest figures reported
    active_users: int | None = None
    feature_adoption: float | None = None  # 0 to 1
    plan_usage: float | None = None  # 0 to 1
    # growth: seats in use at the start and at the end of the reported figures
    seats_before: int | None = None
    seats_now: int | None = None
    # support, over the window (unresolved critical tickets: however old)
    tickets: int = 0
    sla_misses: int = 0
    escalations: int = 0
    unresolved_critical: int = 0
    # satisfaction, answers in the window
    csat_answers: int = 0
    csat_satisfied: int = 0  # answers of 4 or 5
    nps_answers: int = 0
    nps_promoters: int = 0  # 9 or 10
    nps_detractors: int = 0  # 0 to 6
    # engagement, in the window
    people: int = 0
    active_people: int = 0  # people who wrote a message, opened a ticket, or filed or voted for a request
    messages: int = 0
    voters: int = 0  # identities that filed or voted for a feature request


@dataclass(frozen=True)
class Part:
    """One part of the score: its value (None when it has no data), its weight and why."""

    name: str
    score: int | None
    weight: float
    reason: str


@dataclass(frozen=True)
class Health:
    """The score, its category, its five parts and the parts it had no data for."""

    score: int
    category: str
    parts: tuple[Part, ...]
    missing: tuple[str, ...]
    reason: str


def category(score: int) -> str:
    """Healthy (85-100), Good (70-84), At risk (50-69) or Critical (0-49)."""
    return next(name for lowest, name in CATEGORIES if score >= lowest)


def health(figures: HealthFigures) -> Health:
    """The health score of ``figures``."""
    parts = (
        usage_part(figures),
        engagement_part(figures),
        support_part(figures),
        satisfaction_part(figures),
        growth_part(figures),
    )
    present = [p for p in parts if p.score is not None]
    missing = tuple(p.name for p in parts if p.score is None)
    total = sum(p.weight for p in present)
    score = _round(sum(p.weight * (p.score or 0) for p in present) / total) if present else 0
    if not missing:
        reason = "all five parts, at their weights"
    elif present:
        shares = ", ".join(f"{p.name} {p.weight / total:.0%}" for p in present)
        reason = f"no data for {', '.join(missing)}; the other parts re-weighted: {shares}"
    else:  # an account nobody knows anything about yet is not Critical: it has no category
        return Health(0, NO_DATA, parts, missing, "no data for any part")
    return Health(score, category(score), parts, missing, reason)


def usage_part(f: HealthFigures) -> Part:
    """The mean of active users per licensed seat (at most 1), feature adoption and plan usage, times 100."""
    shares: list[float] = []
    said: list[str] = []
    if f.active_users is not None and f.licensed_seats:
        shares.append(min(1.0, f.active_users / f.licensed_seats))
        said.append(f"{f.active_users} active users of {f.licensed_seats} seats")
    if f.feature_adoption is not None:
        shares.append(_share(f.feature_adoption))
        said.append(f"feature adoption {f.feature_adoption:.0%}")
    if f.plan_usage is not None:
        shares.append(_share(f.plan_usage))
        said.append(f"plan usage {f.plan_usage:.0%}")
    if not shares:
        return Part("usage", None, WEIGHTS["usage"], "no usage figures reported (POST /api/usage)")
    return Part("usage", _round(100 * sum(shares) / len(shares)), WEIGHTS["usage"], "; ".join(said))


def engagement_part(f: HealthFigures) -> Part:
    """The share of the account's people who wrote, opened a ticket or voted for a request in the window, × 100."""
    if f.people == 0:
        return Part("engagement", None, WEIGHTS["engagement"], "the account has no people")
    reason = (
        f"{f.active_people} of {f.people} people active in the last {f.days} days "
        f"({f.messages} messages, {f.tickets} tickets{_votes(f.voters)})"
    )
    return Part("engagement", _round(100 * f.active_people / f.people), WEIGHTS["engagement"], reason)


def _votes(count: int) -> str:
    return "" if not count else f", {count} feature-request vote{'' if count == 1 else 's'}"


def support_part(f: HealthFigures) -> Part:
    """100, less up to 40 for tickets per seat, 10 per SLA miss, 5 per escalation, 15 per unresolved critical.

    Seats are the licensed ones, or the account's people when it has no seats on record.
    """
    if f.people == 0:
        return Part("support", None, WEIGHTS["support"], "the account has no people, so no tickets are theirs")
    seats = f.licensed_seats or f.people
    per_seat = f.tickets / seats
    penalty = 40 * min(1.0, per_seat / TICKETS_PER_SEAT_FULL)
    penalty += 10 * f.sla_misses + 5 * f.escalations + 15 * f.unresolved_critical
    said = [f"{f.tickets} tickets in {f.days} days ({per_seat:.2f} per seat)"]
    said += [f"{f.sla_misses} SLA misses", f"{f.escalations} escalations"]
    said.append(f"{f.unresolved_critical} unresolved critical")
    return Part("support", max(0, _round(100 - penalty)), WEIGHTS["support"], ", ".join(said))


def satisfaction_part(f: HealthFigures) -> Part:
    """The mean of CSAT (satisfied answers, times 100) and NPS moved to 0-100 ((NPS + 100) / 2), as answered."""
    values: list[float] = []
    said: list[str] = []
    if f.csat_answers:
        values.append(100 * f.csat_satisfied / f.csat_answers)
        said.append(f"CSAT {f.csat_satisfied} of {f.csat_answers} satisfied")
    if f.nps_answers:
        nps = 100 * (f.nps_promoters - f.nps_detractors) / f.nps_answers
        values.append((nps + 100) / 2)
        said.append(f"NPS {nps:+.0f} from {f.nps_answers} answers")
    if not values:
        reason = f"no CSAT or NPS answers in the last {f.days} days"
        return Part("satisfaction", None, WEIGHTS["satisfaction"], reason)
    return Part("satisfaction", _round(sum(values) / len(values)), WEIGHTS["satisfaction"], "; ".join(said))


def growth_part(f: HealthFigures) -> Part:
    """70 for unchanged seats in use, 1.5 points more (or less) per percent they grew (or shrank), 0 to 100."""
    if f.seats_before is None or f.seats_now is None or f.seats_before == 0:
        return Part("growth", None, WEIGHTS["growth"], "fewer than two usage reports with seats in use")
    change = 100 * (f.seats_now - f.seats_before) / f.seats_before
    score = min(100, max(0, _round(GROWTH_FLAT + GROWTH_PER_PERCENT * change)))
    reason = f"seats in use {f.seats_before} → {f.seats_now} ({change:+.0f} %)"
    return Part("growth", score, WEIGHTS["growth"], reason)


def _share(value: float) -> float:
    return min(1.0, max(0.0, value))


def _round(value: float) -> int:
    """Half up, so 84.5 is 85 (Healthy) on every platform."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
