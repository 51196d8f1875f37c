"""The escalation worker and the passes that ride on it, assembled for the composition root.

Each pass is one thing the worker does on every tick, once across all workers (its own lease or unique
row decides): the weekly digest, every account's health score of the day, the expiry of old conversation
text, the intent head's retraining.
A new scheduled duty is one more pass here, not a new process.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from bots.heads import scheduled_retrain
from core.analytics.digest import DigestPoster
from core.analytics.weekly import WeekReport
from core.calls.reminders import CallReminders
from core.customers.health_pass import HealthPass
from core.customers.journeys_pass import JourneyPass, no_articles
from core.desk.agents import UnattendedPass
from core.desk.engineering import EngineeringDesk
from core.errors import IndexNotBuiltError
from core.incidents.proposals import IncidentProposals
from core.incidents.reminders import IncidentReminders
from core.privacy.retention import OriginalsExpiry, RetentionPass
from core.requests.reaction_refresh import ReactionRefresh
from core.retention import DeliveryPruner
from core.satisfaction.nps import NpsRound
from core.sla.worker import EscalationWorker

if TYPE_CHECKING:
    from config.settings import Settings
    from core.analytics.ports import ChartImages
    from core.customers.outreach_pass import OutreachPass
    from core.desk.context import Desk, KnowledgeEditor
    from core.knowledge.gaps import GapFinder
    from core.ports import Embedder
    from core.privacy.ports import PersonalData
    from core.tickets.records import Escalation

log = logging.getLogger("helpline.worker")
NPS_EVERY = timedelta(hours=1)  # how often the worker looks for accounts due an NPS survey
INCIDENTS_EVERY = timedelta(minutes=1)  # how often it looks for incident reminders and proposals


def build_worker(
    settings: Settings,
    desk: Desk,
    *,
    charts: ChartImages | None = None,
    gaps: GapFinder | None = None,
    embedder: Embedder | None = None,
    personal: PersonalData | None = None,
    outreach: OutreachPass | None = None,
) -> EscalationWorker:
    """The worker with every pass the settings turn on, on the desk's stores, tiers, notifier and clock."""
    stores, tiers, notifier, clock = desk.stores, desk.tiers, desk.notifier, desk.clock
    pruner = DeliveryPruner(stores.deliveries, clock, settings.support.delivery_retention_duration())
    nps = NpsRound(stores, clock, desk.satisfaction, every=NPS_EVERY)
    health = HealthPass(stores, clock)  # every account's score of the day, once across workers
    worker = EscalationWorker(stores, tiers, notifier, clock, pruner=pruner, nps=nps, passes=(health.run_once,))
    told: list[Callable[[Sequence[Escalation]], Awaitable[object]]] = [EngineeringDesk(desk).reached]
    if outreach is not None:  # proactive outreach, after the day's scores; the SLA engine's escalations too
        worker.passes = (*worker.passes, outreach.run_once)
        told.insert(0, outreach.escalations)
    worker.escalated = _tell_each(told)  # and chain levels marked engineering hand their tickets over
    schedule = settings.digest.schedule()
    if schedule is not None:  # the digest rides on the worker's pass and its outbox drain
        numbers = WeekReport(stores, tiers, settings.analytics.policy(), gaps)
        digest = DigestPoster(stores, schedule, numbers, charts, clock, worker.owner)
        worker.passes = (digest.run_once, *worker.passes)
    retention = settings.privacy.retention_policy()
    if personal is not None and retention.active:  # conversation text past its tier's period, expired
        worker.passes = (*worker.passes, RetentionPass(personal, clock, retention).run_once)
    originals = OriginalsExpiry(stores.originals, clock, settings.privacy.originals_period())
    worker.passes = (*worker.passes, originals.run_once)  # kept or not any more, sealed originals expire
    if desk.routing.agents:  # routed tickets past their SLA warning, their agent away or off shift: handed over
        worker.passes = (*worker.passes, UnattendedPass(desk).run_once)
    if desk.journeys is not None:  # onboarding steps, each sent once through the outbox
        finder = no_articles if desk.knowledge is None else getting_started(desk.knowledge)
        journeys = JourneyPass(stores, clock, tiers, desk.journeys, finder)
        worker.passes = (*worker.passes, journeys.run_once)
    worker.passes = (*worker.passes, CallReminders(stores, clock, tiers, desk.calls).run_once)  # once each
    reminders = IncidentReminders(stores, tiers, clock, desk.incidents, INCIDENTS_EVERY)
    worker.passes = (*worker.passes, reminders.run_once)  # critical incidents' latest status, once an interval
    if desk.embedder is not None:  # bursts of alike critical tickets proposed as incidents, matches offered
        proposals = IncidentProposals(stores, tiers, clock, desk.incidents, desk.embedder, INCIDENTS_EVERY)
        worker.passes = (*worker.passes, proposals.run_once)
    if desk.requests.reaction_refresh is not None:  # 👍 on linked issues, read again once an interval
        worker.passes = (*worker.passes, ReactionRefresh(stores, clock, desk.requests.reaction_refresh).run_once)
    retrainer = scheduled_retrain(settings, stores, clock, worker.owner, embedder, desk.catalog)
    if retrainer is not None:
        worker.passes = (*worker.passes, retrainer.run_once)
    return worker


def getting_started(knowledge: KnowledgeEditor) -> Callable[[str, int], Sequence[str]]:
    """The welcome's article finder: the ``count`` articles nearest to ``query``, one line each (title and link)."""

    def find(query: str, count: int) -> Sequence[str]:
        try:
            hits = knowledge.search_text(query, count * 3)
        except IndexNotBuiltError:
            return ()
        lines: dict[str, str] = {}
        for hit in hits:
            chunk = hit.chunk
            if chunk.doc_id not in lines and len(lines) < count:
                lines[chunk.doc_id] = f"{chunk.title}: {chunk.url}" if chunk.url else chunk.title
        return list(lines.values())

    return find


def _tell_each(
    listeners: Sequence[Callable[[Sequence[Escalation]], Awaitable[object]]],
) -> Callable[[Sequence[Escalation]], Awaitable[None]]:
    """One listener for the worker's escalations that tells each of ``listeners``, one failure not stopping the rest."""

    async def tell(sent: Sequence[Escalation]) -> None:
        for listener in listeners:
            try:
                await listener(sent)
            except Exception:  # the escalations went out; this listener catches up on its own pass
                log.exception(
                    "telling %s of %d escalation(s) failed", getattr(listener, "__qualname__", listener), len(sent)
                )

    return tell
