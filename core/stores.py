"""Every store port in one bundle, as the composition root builds it and the core's services receive it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.agents.ports import AgentPresence
    from core.analytics.ports import DigestRuns, ReportSource, Statistics
    from core.calls.ports import Calls
    from core.community.ports import GuardLog
    from core.customers.ports import CustomerAccounts, CustomerLinks, HealthHistory, JourneyProgress, OutreachRecords
    from core.engineering.ports import EngineeringIssues
    from core.incidents.ports import Incidents
    from core.jobs import JobQueue
    from core.knowledge.gap_ports import GapQuestions
    from core.knowledge.ports import AnswerFeedback, Articles
    from core.ports import Deliveries
    from core.privacy.originals import Originals
    from core.privacy.ports import PrivacyAuditLog
    from core.requests.ports import FeatureRequests, RequestIssues
    from core.reviews.ports import Reviews
    from core.satisfaction.ports import Surveys
    from core.sla.ports import Outbox, SlaTimers
    from core.staff.ports import StaffAccounts, StaffSessions
    from core.tickets.ports import Conversations, Escalations, Tickets
    from core.tickets.queue import TicketQueue
    from core.understanding.ports import IntentExamples


@dataclass(frozen=True)
class Stores:
    """The store ports; each is small, and an implementation may back several of them with one database."""

    tickets: Tickets
    conversations: Conversations
    escalations: Escalations
    deliveries: Deliveries
    statistics: Statistics
    timers: SlaTimers
    outbox: Outbox
    jobs: JobQueue
    digests: DigestRuns
    surveys: Surveys
    reports: ReportSource
    queue: TicketQueue  # the dashboard's queue: filtered, next SLA deadline first
    staff: StaffAccounts
    sessions: StaffSessions
    feedback: AnswerFeedback
    customers: CustomerAccounts  # accounts, their people and usage figures
    links: CustomerLinks  # which identities are one person, and the codes that link them
    articles: Articles  # the knowledge base's articles: states, versions, audit log, phrasings
    feature_requests: FeatureRequests  # feature requests, their votes and merges
    gaps: GapQuestions  # the questions the desk could not answer well (knowledge gaps)
    intent_examples: IntentExamples  # moderators' intent corrections, the retrain's labelled examples
    health: HealthHistory  # every account's daily health score
    outreach: OutreachRecords  # proactive outreach: playbook occurrences and the accounts' timelines
    request_issues: RequestIssues  # the tracker issue (GitHub) that follows a feature request
    journeys: JourneyProgress  # every person's onboarding journey
    privacy: PrivacyAuditLog  # exports and erasures done, and the erasures people asked for
    originals: Originals  # redacted messages' sealed originals (``privacy.keep_originals``)
    agents: AgentPresence  # routing: agents away or back, and their last automatic assignment
    engineering: EngineeringIssues  # tickets escalated to engineering and their tracker issues
    calls: Calls  # the booked video calls
    incidents: Incidents  # incidents, their updates and linked tickets, and the notices queued about them
    guard: GuardLog  # the spam guard's actions, and the one notice queued per incident
    reviews: Reviews  # QA reviews of resolved tickets: rubric scores and notes to agents
