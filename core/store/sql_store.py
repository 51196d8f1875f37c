"""Every store port over SQLAlchemy: SQLite for a single host, PostgreSQL when several share it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.store.agents import SqlAgentPresence
from core.store.answer_feedback import SqlAnswerFeedback
from core.store.articles import SqlArticles
from core.store.calls import SqlCalls
from core.store.conversations import SqlConversations
from core.store.customer_links import SqlCustomerLinks
from core.store.customers import SqlCustomerAccounts
from core.store.deliveries import SqlDeliveries
from core.store.digests import SqlDigestRuns
from core.store.engineering import SqlEngineeringIssues
from core.store.escalations import SqlEscalations
from core.store.gap_questions import SqlGapQuestions
from core.store.guard import SqlGuardLog
from core.store.health import SqlHealthHistory
from core.store.incidents import SqlIncidents
from core.store.intent_examples import SqlIntentExamples
from core.store.job_queue import SqlJobQueue
from core.store.journeys import SqlJourneyProgress
from core.store.originals import SqlOriginals
from core.store.outbox import SqlOutbox
from core.store.outreach import SqlOutreachRecords
from core.store.personal_data import SqlPersonalData
from core.store.planning import Planning
from core.store.queue import SqlTicketQueue
from core.store.reports import SqlReportSource
from core.store.request_issues import SqlRequestIssues
from core.store.requests import SqlFeatureRequests
from core.store.reviews import SqlReviews
from core.store.staff import SqlStaffAccounts, SqlStaffSessions
from core.store.statistics import SqlStatistics
from core.store.surveys import SqlSurveys
from core.store.tickets import SqlTickets
from core.store.timers import SqlSlaTimers
from core.stores import Stores

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.sla.ports import SlaPlanner


def sql_stores(engine: AsyncEngine, planner: SlaPlanner | None = None) -> Stores:
    """Every store port on one database (planning tickets with ``planner`` from the start, if given).

    The ports share one ``Planning``: the planner ``timers.use_planner`` sets is the one every port that
    logs a ticket event plans with, in that event's transaction.
    """
    planning = Planning(planner)
    return Stores(
        tickets=SqlTickets(engine, planning),
        conversations=SqlConversations(engine, planning),
        escalations=SqlEscalations(engine, planning),
        deliveries=SqlDeliveries(engine, planning),
        statistics=SqlStatistics(engine, planning),
        timers=SqlSlaTimers(engine, planning),
        outbox=SqlOutbox(engine, planning),
        jobs=SqlJobQueue(engine),
        digests=SqlDigestRuns(engine, planning),
        surveys=SqlSurveys(engine),
        reports=SqlReportSource(engine),
        queue=SqlTicketQueue(engine),
        staff=SqlStaffAccounts(engine),
        sessions=SqlStaffSessions(engine),
        feedback=SqlAnswerFeedback(engine, planning),
        customers=SqlCustomerAccounts(engine),
        links=SqlCustomerLinks(engine),
        articles=SqlArticles(engine),
        feature_requests=SqlFeatureRequests(engine),
        gaps=SqlGapQuestions(engine),
        intent_examples=SqlIntentExamples(engine, planning),
        health=SqlHealthHistory(engine),
        outreach=SqlOutreachRecords(engine),
        request_issues=SqlRequestIssues(engine),
        journeys=SqlJourneyProgress(engine),
        calls=SqlCalls(engine),
        privacy=SqlPersonalData(engine),
        originals=SqlOriginals(engine),
        agents=SqlAgentPresence(engine),
        engineering=SqlEngineeringIssues(engine),
        incidents=SqlIncidents(engine),
        guard=SqlGuardLog(engine),
        reviews=SqlReviews(engine),
    )
