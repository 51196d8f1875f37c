"""The composition root: builds Helpline's parts from settings.

Every builder takes its dependencies as optional arguments, so tests assemble the same
system with fakes in place of the model or the index.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bots.embedders import build_embedder
from bots.heads import build_classifier, follow_heads
from bots.knowledge_parts import (
    SAMPLE_KB,
    build_index,
    build_knowledge_base,
    gap_finder,
    index_options,
    knowledge_source,
)
from bots.knowledge_sync import settle_articles
from bots.latency import TimedIndex, TimedUnderstander
from bots.worker_parts import build_worker
from config.intents import load_intents
from config.journeys_config import load_journeys
from config.playbooks_config import load_playbooks
from config.privacy_config import originals_keeper
from config.settings import Settings
from config.tiers import load_tiers
from core.analytics.ports import ChartImages, MetricsSource
from core.calls.meetings import JitsiRooms
from core.clock import SystemClock
from core.customers.checks import seed_from_tiers
from core.customers.journeys import JourneySettings
from core.customers.outreach import OutreachPolicy
from core.customers.outreach_pass import OutreachPass
from core.desk.context import Desk, DeskPolicy, KnowledgeEditor, MessageUnderstander, Moderators
from core.desk.pipeline import SupportDesk
from core.files import private_dir
from core.job_drain import DrainFactory, drains_on
from core.knowledge.gaps import GapFinder
from core.ports import Clock, Embedder, Notifier
from core.privacy.jobs import RedactingQueue
from core.sla.worker import EscalationWorker
from core.staff.ports import StaffAccounts, StaffSessions
from core.store.engine import create_engine_for
from core.store.metrics import SqlMetricsSource
from core.store.migrate import upgrade_schema
from core.store.personal_data import SqlPersonalData
from core.store.sql_store import sql_stores
from core.stores import Stores
from core.tiers import TierDirectory
from core.understanding.intents import IntentCatalog
from core.understanding.language import LangidDetector
from core.understanding.understander import Understander
from kb_index.knowledge_base import KnowledgeBase

if TYPE_CHECKING:  # the dashboard (its pages, charts and templates) is imported by `serve` only, when it mounts it
    from bots.web.deps import DashboardDeps, Gate
    from bots.web.mount import DashboardMount

# The CLI and the tests build these from here.
__all__ = ["SAMPLE_KB", "build_embedder", "build_knowledge_base", "index_options", "knowledge_source"]
log = logging.getLogger("helpline")


@dataclass
class UnderstandingParts:
    """The parts that understand messages, built together."""

    embedder: Embedder
    catalog: IntentCatalog
    knowledge: KnowledgeBase
    understander: MessageUnderstander


def build_understanding(
    settings: Settings,
    embedder: Embedder | None = None,
    *,
    build_kb: bool = True,
    on_first_build: Callable[[Path], None] | None = None,
) -> UnderstandingParts:
    """Everything needed to understand a message; builds the knowledge index first if there is none.

    ``on_first_build`` tells the user about that first build in its own words (the console does), and
    then no progress bar is drawn; without it the build is logged as a warning, with a progress bar.
    """
    embedder = embedder or build_embedder(settings)
    catalog = load_intents(settings.intents.file)
    knowledge = build_knowledge_base(settings, embedder)
    if build_kb and len(knowledge) == 0:
        build_index(knowledge, embedder, knowledge_source(settings), on_first_build)
    classifier = build_classifier(settings, catalog, embedder)
    understander = Understander(
        embedder,
        classifier,
        catalog,
        TimedIndex(knowledge),
        top_k=settings.knowledge.top_k,
        max_chars=settings.model.max_chars,
        language=LangidDetector(),
        heads=follow_heads(settings, catalog, classifier, embedder),
    )
    return UnderstandingParts(embedder, catalog, knowledge, TimedUnderstander(understander))


def build_moderators(settings: Settings) -> Moderators:
    """Who may run moderator commands, from the support settings."""
    return Moderators(frozenset(settings.support.moderator_roles), frozenset(settings.support.moderator_users))


def build_publishers(settings: Settings) -> Moderators:
    """Who may publish knowledge-base articles, from the knowledge settings."""
    return Moderators(frozenset(settings.knowledge.publishers), frozenset(settings.knowledge.publisher_users))


@dataclass
class System:
    """A running desk: the support desk, its escalation worker and what must be closed at the end."""

    desk: SupportDesk
    worker: EscalationWorker
    stores: Stores
    clock: Clock
    engine: AsyncEngine | None = None
    knowledge: KnowledgeEditor | None = None  # followed by ``serve`` as other processes build new versions
    metrics: MetricsSource | None = None  # the database figures ``/metrics`` shows (None without a database)
    tiers: TierDirectory | None = None  # the tier directory the desk was built with (the dashboard shows it)
    gaps: GapFinder | None = None  # the knowledge-gap report (the dashboard's Gaps page), when a model is loaded
    job_concurrency: int = 1  # jobs.concurrency: how many jobs of different conversations a drain runs at once
    outreach: OutreachPass | None = None  # proactive outreach; ``POST /api/usage`` checks an account's triggers

    def drains(self) -> DrainFactory:
        """Makes the adapters' durable job drains, on the system's job queue and clock."""
        return drains_on(self.stores.jobs, self.clock, self.job_concurrency)

    async def close(self) -> None:
        """Release the database connections."""
        if self.engine is not None:
            await self.engine.dispose()


def compose_system(
    settings: Settings,
    *,
    understander: MessageUnderstander,
    catalog: IntentCatalog,
    tiers: TierDirectory,
    stores: Stores,
    notifier: Notifier,
    clock: Clock,
    knowledge: KnowledgeEditor | None = None,
    moderators: Moderators | None = None,
    engine: AsyncEngine | None = None,
    charts: ChartImages | None = None,
    embedder: Embedder | None = None,
    gaps: GapFinder | None = None,
    playbooks: OutreachPolicy | None = None,
    journeys: JourneySettings | None = None,
) -> System:
    """The support desk and its escalation worker from parts already made, with no I/O.

    ``build_system`` calls it once the database and the model are open; tests call it with fakes.
    ``moderators`` defaults to the support settings' ones. With ``embedder`` and ``intents.retrain_every`` set,
    the worker's pass also retrains the intent head on new corrections, once per period. ``playbooks`` are
    proactive outreach's (none when not given; ``build_system`` reads ``support.playbooks_file``).
    """
    redactor = settings.privacy.redactor()  # one for the desk's door and every job queue's
    stores = dataclasses.replace(stores, jobs=RedactingQueue(stores.jobs, redactor))
    desk = Desk(
        understander=understander,
        catalog=catalog,
        tiers=tiers,
        stores=stores,
        notifier=notifier,
        clock=clock,
        knowledge=knowledge,
        moderators=moderators or build_moderators(settings),
        publishers=build_publishers(settings),
        policy=DeskPolicy(
            answer_score=settings.support.answer_score,
            ticket_limit=settings.support.ticket_limit,
            ticket_window=settings.support.ticket_window_duration(),
            languages=settings.model.languages,
            clear_out_of_scope=settings.intents.clear_out_of_scope,
            report=settings.analytics.policy(),
            public_url=settings.server.base_url(),
            gaps=settings.knowledge.gaps.policy(),
        ),
        satisfaction=settings.satisfaction.policy(),
        requests=settings.requests.policy(),
        embedder=embedder,
        redactor=redactor,
        journeys=journeys,
        calls=settings.calls.policy(),
        call_rooms=JitsiRooms(settings.calls.jitsi_url),
        incidents=settings.incidents.policy(),
        originals=originals_keeper(settings.privacy, stores.originals),
        routing=settings.routing.policy(),
        engineering=settings.routing.engineering(),
        spam=settings.community.spam.policy(),
        reviews=settings.reviews.policy(),
    )
    outreach = OutreachPass(stores, tiers, clock, playbooks)  # proactive outreach, after the day's scores
    personal = SqlPersonalData(engine) if engine is not None else None  # retention runs on the SQL store
    worker = build_worker(
        settings, desk, charts=charts, gaps=gaps, embedder=embedder, personal=personal, outreach=outreach
    )
    concurrency = settings.jobs.concurrency
    return System(
        SupportDesk(desk),
        worker,
        stores,
        clock,
        engine,
        knowledge,
        tiers=tiers,
        gaps=gaps,
        job_concurrency=concurrency,
        outreach=outreach,
    )


async def open_stores(settings: Settings) -> tuple[Stores, AsyncEngine]:
    """The store ports on the database at the configured database URL, migrated to the current schema."""
    url = settings.database_url()
    if url.startswith("sqlite") and not settings.support.database_url:
        private_dir(settings.data_dir)
    engine = create_engine_for(url)
    try:
        await upgrade_schema(engine)
    except Exception:
        await engine.dispose()
        raise
    return sql_stores(engine), engine


async def build_system(
    settings: Settings,
    *,
    notifier: Notifier,
    clock: Clock | None = None,
    understander: MessageUnderstander | None = None,
    catalog: IntentCatalog | None = None,
    knowledge: KnowledgeEditor | None = None,
    tiers: TierDirectory | None = None,
    stores: Stores | None = None,
    embedder: Embedder | None = None,
) -> System:
    """The support desk and its escalation worker; anything not given is built from ``settings``."""
    tiers = tiers or load_tiers(settings.support.tiers_file)
    built: UnderstandingParts | None = None
    if understander is None or catalog is None:
        built = parts = build_understanding(settings)
        understander, catalog, knowledge = parts.understander, parts.catalog, knowledge or parts.knowledge
        embedder = embedder or parts.embedder
    engine = None
    if stores is None:
        stores, engine = await open_stores(settings)
        # tiers.yaml's customers: the store learns those it has no account for; its accounts decide from then on.
        seeded = await seed_from_tiers(stores.customers, stores.links, tiers.customers, (clock or SystemClock()).now())
        if seeded:
            log.info("customers from %s added to the store: %s", settings.support.tiers_file, ", ".join(seeded))
    system = compose_system(
        settings,
        understander=understander,
        catalog=catalog,
        tiers=tiers,
        stores=stores,
        notifier=notifier,
        clock=clock or SystemClock(),
        knowledge=knowledge,
        engine=engine,
        charts=_DigestCharts(),
        embedder=embedder,
        gaps=gap_finder(settings, stores, built.embedder, built.knowledge) if built is not None else None,
        playbooks=load_playbooks(settings.support.playbooks_file, [t.name for t in tiers.tiers]),
        journeys=load_journeys(settings.support.journeys_file, [tier.name for tier in tiers.tiers]),
    )
    system.metrics = SqlMetricsSource(engine) if engine is not None else None
    if knowledge is not None:  # the file articles as built, and the old chat articles imported once
        await settle_articles(stores, knowledge, system.clock)
    return system


def dashboard_deps(
    system: System,
    settings: Settings,
    gate: Gate,
    *,
    staff: StaffAccounts,
    sessions: StaffSessions,
    public_url: str,
) -> DashboardDeps:
    """What the dashboard's pages are given, from the running system (its desk, stores, clock and tiers)."""
    from bots.web.deps import DashboardDeps

    return DashboardDeps(
        desk=system.desk,
        stores=system.stores,
        staff=staff,
        sessions=sessions,
        clock=system.clock,
        tiers=system.tiers or load_tiers(settings.support.tiers_file),
        gate=gate,
        report_policy=settings.analytics.policy(),
        public_url=public_url.rstrip("/"),
        knowledge=system.knowledge,
        gaps=system.gaps,
        moderator_roles=frozenset(settings.support.moderator_roles),
        request_policy=settings.requests.policy(),
    )


def mount_for(
    system: System,
    settings: Settings,
    environ: Mapping[str, str],
    *,
    public_url: str,
) -> DashboardMount:
    """The dashboard ``serve`` mounts: on with ``HELPLINE_DASHBOARD_SECRET``, else its off page saying so."""
    from bots.web.mount import mount_dashboard

    staff, sessions = system.stores.staff, system.stores.sessions
    return mount_dashboard(
        lambda gate: dashboard_deps(system, settings, gate, staff=staff, sessions=sessions, public_url=public_url),
        environ,
        sessions=sessions,
        clock=system.clock,
        public_url=public_url,
    )


class _DigestCharts:
    """The digest's chart drawn by the report's chart module (altair and vl-convert load only when it is drawn)."""

    def digest_png(self, doc: dict[str, Any]) -> bytes:
        """A PNG of the week's volume and first-response times."""
        from bots.reports.charts import digest_png

        return digest_png(doc)
