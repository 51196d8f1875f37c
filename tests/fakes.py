"""In-memory stand-ins for the core's ports, for tests that must not load a model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from core.ports import Vectors
from core.sla.ports import SlaPlanner
from core.stores import Stores
from tests.agent_fakes import InMemoryAgentPresence, InMemoryEngineeringIssues
from tests.article_fakes import InMemoryArticles
from tests.call_fakes import InMemoryCalls
from tests.customer_fakes import customer_fakes
from tests.digest_fakes import InMemoryDigestRuns
from tests.gap_fakes import InMemoryGapQuestions
from tests.guard_fakes import InMemoryGuardLog
from tests.health_fakes import InMemoryHealthHistory
from tests.incident_fakes import InMemoryIncidents
from tests.job_fakes import InMemoryJobQueue
from tests.journey_fakes import InMemoryJourneyProgress
from tests.knowledge_fakes import InMemoryAnswerFeedback
from tests.outreach_fakes import InMemoryOutreachRecords
from tests.privacy_fakes import InMemoryOriginals, InMemoryPrivacyAudit
from tests.queue_fakes import InMemoryTicketQueue
from tests.report_fakes import InMemoryReportSource
from tests.request_fakes import InMemoryFeatureRequests, InMemoryRequestIssues
from tests.review_fakes import InMemoryReviews
from tests.satisfaction_fakes import InMemorySurveys
from tests.sla_fakes import InMemoryOutbox, InMemorySlaTimers
from tests.staff_fakes import staff_fakes
from tests.store_fakes import (
    InMemoryConversations,
    InMemoryDeliveries,
    InMemoryEscalations,
    InMemoryStatistics,
    InMemoryTickets,
)
from tests.store_state import MemoryState
from tests.understanding_store_fakes import InMemoryIntentExamples

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-words embedder: texts sharing words get similar unit vectors.

    It counts what it embeds, so tests can check that unchanged text is not embedded again.
    """

    def __init__(self, dimension: int = 256, name: str = "fake/hashing") -> None:
        self._dimension = dimension
        self._name = name
        self.embedded_texts: list[str] = []

    @property
    def name(self) -> str:
        """A name that never matches a real model."""
        return self._name

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self._dimension

    def _bucket(self, token: str) -> int:
        return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little") % self._dimension

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """One unit vector per text; an empty text gets a fixed unit vector."""
        self.embedded_texts.extend(texts)
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _WORD.findall(text.lower()):
                out[row, self._bucket(token)] += 1.0
            if not out[row].any():
                out[row, 0] = 1.0
        return np.asarray(out / np.linalg.norm(out, axis=1, keepdims=True), dtype=np.float32)


def memory_stores(planner: SlaPlanner | None = None, *, state: MemoryState | None = None) -> Stores:
    """Every store port in memory over one ``MemoryState`` (planning tickets with ``planner``, if given).

    Pass ``state`` to build a port of your own over the same state, e.g. a failing one swapped in with
    ``dataclasses.replace(stores, tickets=BrokenTickets(state))``.
    """
    state = state if state is not None else MemoryState()
    staff, sessions = staff_fakes()
    customers, links = customer_fakes()
    if planner is not None:
        state.planner = planner
    return Stores(
        tickets=InMemoryTickets(state),
        conversations=InMemoryConversations(state),
        escalations=InMemoryEscalations(state),
        deliveries=InMemoryDeliveries(state),
        statistics=InMemoryStatistics(state),
        timers=InMemorySlaTimers(state),
        outbox=InMemoryOutbox(state),
        jobs=InMemoryJobQueue(),
        digests=InMemoryDigestRuns(state),
        surveys=InMemorySurveys(state),
        reports=InMemoryReportSource(state),
        queue=InMemoryTicketQueue(state),
        staff=staff,
        sessions=sessions,
        feedback=InMemoryAnswerFeedback(state),
        customers=customers,
        links=links,
        articles=InMemoryArticles(),
        feature_requests=InMemoryFeatureRequests(state),
        gaps=InMemoryGapQuestions(state),
        intent_examples=InMemoryIntentExamples(state),
        health=InMemoryHealthHistory(),
        outreach=InMemoryOutreachRecords(state),
        request_issues=InMemoryRequestIssues(),
        journeys=InMemoryJourneyProgress(state),
        calls=InMemoryCalls(state),
        privacy=InMemoryPrivacyAudit(),
        originals=InMemoryOriginals(),
        agents=InMemoryAgentPresence(),
        engineering=InMemoryEngineeringIssues(),
        incidents=InMemoryIncidents(state),
        guard=InMemoryGuardLog(state),
        reviews=InMemoryReviews(state),
    )
