"""Self-service: the bot's knowledge-base answers, which helped, which held, and which became tickets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.analytics.records import AnswerRecord, ReportQuery
from core.analytics.timing import share


@dataclass(frozen=True)
class SelfService:
    """Counts of answers given in the period; rates are over the answers already judged."""

    answers: int = 0
    helpful: int = 0
    deflected: int = 0
    handed_off: int = 0
    pending: int = 0

    @property
    def judged(self) -> int:
        """Answers whose outcome is known."""
        return self.answers - self.pending

    @property
    def deflection_rate(self) -> float | None:
        """Deflected over judged answers."""
        return share(self.deflected, self.judged)

    def as_dict(self) -> dict[str, Any]:
        """The ``self_service`` object of the JSON document."""
        return {
            "answers": self.answers,
            "helpful": self.helpful,
            "helpful_rate": share(self.helpful, self.judged),
            "deflected": self.deflected,
            "deflection_rate": self.deflection_rate,
            "handed_off": self.handed_off,
            "handoff_rate": share(self.handed_off, self.judged),
            "pending": self.pending,
        }


def self_service(answers: Iterable[AnswerRecord], query: ReportQuery, window: timedelta) -> SelfService:
    """Answers given in the period (only the platform filter applies) and how each turned out by the end."""
    counts = {"answers": 0, "helpful": 0, "deflected": 0, "handed_off": 0, "pending": 0}
    for answer in answers:
        if not query.start <= answer.at < query.end:
            continue
        if query.platform is not None and answer.address.platform != query.platform:
            continue
        closes = answer.at + window
        ticket = answer.next_ticket_at
        handed_off = ticket is not None and answer.at <= ticket < min(closes, query.end)
        judged = closes <= query.end
        counts["answers"] += 1
        counts["helpful"] += answer.helpful
        counts["handed_off"] += handed_off
        counts["deflected"] += answer.helpful or (judged and not handed_off)
        counts["pending"] += not (answer.helpful or judged or handed_off)
    return SelfService(**counts)
