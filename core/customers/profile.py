"""An account as the dashboard's account page shows it: ``helpline customer show``'s view, with its SLA
record, CSAT and NPS (the figures its health score was computed from) and its timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.customers.health_figures import missed_deadline
from core.customers.timeline import SOURCES, TimelineEntry, TimelineSource, timeline
from core.customers.view import customer_view

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from core.customers.health import HealthFigures
    from core.customers.view import CustomerView
    from core.stores import Stores
    from core.tickets.records import Ticket


@dataclass(frozen=True)
class SlaRecord:
    """The account's tickets of the last ``days`` and how many missed a deadline (the health score's support)."""

    days: int
    tickets: int
    missed: int
    escalations: int
    unresolved_critical: int  # however old

    @property
    def met(self) -> int:
        """Tickets of the window that kept every deadline so far."""
        return self.tickets - self.missed


@dataclass(frozen=True)
class Satisfaction:
    """The CSAT and NPS answers of the account's people in the last ``days``."""

    days: int
    csat_answers: int
    csat_satisfied: int
    nps_answers: int
    promoters: int
    detractors: int

    @property
    def csat_share(self) -> float | None:
        """The share of CSAT answers of 4 or 5; None without answers."""
        return self.csat_satisfied / self.csat_answers if self.csat_answers else None

    @property
    def nps(self) -> int | None:
        """Promoters' share less detractors' share, times 100 (-100 to 100); None without answers."""
        return round(100 * (self.promoters - self.detractors) / self.nps_answers) if self.nps_answers else None


@dataclass(frozen=True)
class Profile:
    """Everything the account page shows."""

    view: CustomerView
    sla: SlaRecord
    satisfaction: Satisfaction
    timeline: tuple[TimelineEntry, ...]
    missed: frozenset[int]  # the listed tickets that missed a deadline

    def sla_word(self, ticket: Ticket) -> str:
        """``missed`` when the ticket missed a deadline (or is past one), else ``kept``."""
        return "missed" if ticket.number in self.missed else "kept"


async def account_profile(
    stores: Stores, account_id: str, now: datetime, sources: Sequence[TimelineSource] = SOURCES
) -> Profile | None:
    """The account's page at ``now``; None if there is no such account."""
    view = await customer_view(stores, account_id, now=now)
    if view is None or view.figures is None:
        return None
    f = view.figures
    listed = (*view.open_tickets, *view.recent_tickets)
    return Profile(
        view=view,
        sla=sla_record(f),
        satisfaction=Satisfaction(
            f.days, f.csat_answers, f.csat_satisfied, f.nps_answers, f.nps_promoters, f.nps_detractors
        ),
        timeline=await timeline(stores, view, now, sources),
        missed=frozenset(t.number for t in listed if missed_deadline(t, now)),
    )


def sla_record(f: HealthFigures) -> SlaRecord:
    """The SLA record of the figures a score is computed from."""
    return SlaRecord(f.days, f.tickets, f.sla_misses, f.escalations, f.unresolved_critical)
