"""What a support lead might do about a figure below its threshold: the figure, its count and a few actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.analytics.policy import ReportPolicy

ACTIONS = {
    "sla_compliance": (
        "Rebalance the on-call rota so breaching hours are covered",
        "Raise staffing in the tier that breaches most",
        "Review the auto-escalation thresholds so warnings come early enough to act on",
    ),
    "fcr": (
        "Add knowledge-base articles for the intents reopened most",
        "Give agents saved replies for the common questions",
        "Review the first answers of reopened tickets",
    ),
    "csat": (
        "Read the comments of the low ratings",
        "Follow up with the detractors",
        "Coach the agents whose average is below the team's",
    ),
}
_FIGURES = {"sla_compliance": "SLA compliance", "fcr": "First-contact resolution", "csat": "CSAT average"}


@dataclass(frozen=True)
class Recommendation:
    """A figure below its threshold, with the count it stands on and suggested actions."""

    rule: str
    value: float
    threshold: float
    count: int

    @property
    def message(self) -> str:
        """One sentence: the figure, its threshold and its count."""
        if self.rule == "csat":
            shown, limit, unit = f"{self.value:.2f}", f"{self.threshold:.2f}", "response(s)"
        else:
            shown, limit = f"{self.value:.0%}", f"{self.threshold:.0%}"
            unit = "judged promise(s)" if self.rule == "sla_compliance" else "resolved ticket(s)"
        return f"{_FIGURES[self.rule]} is {shown}, below the {limit} threshold ({self.count} {unit})."

    @property
    def actions(self) -> tuple[str, ...]:
        """The suggested actions for this rule."""
        return ACTIONS[self.rule]

    def as_dict(self) -> dict[str, Any]:
        """One entry of ``recommendations``."""
        return {
            "rule": self.rule,
            "value": self.value,
            "threshold": self.threshold,
            "count": self.count,
            "message": self.message,
            "actions": list(self.actions),
        }


def recommendations(
    sla: list[tuple[float | None, int]], fcr: tuple[float | None, int], csat: tuple[float | None, int],
    policy: ReportPolicy,
) -> list[Recommendation]:  # fmt: skip
    """Recommendations for the figures (value, count) that are known and below their thresholds.

    ``sla`` holds first-response and resolution compliance; the lower known one is used.
    """
    found = []
    known = [pair for pair in sla if pair[0] is not None]
    if known:
        value, count = min(known, key=lambda pair: pair[0] or 0.0)
        if value is not None and value < policy.sla_compliance:
            found.append(Recommendation("sla_compliance", value, policy.sla_compliance, count))
    for rule, (value, count), threshold in (("fcr", fcr, policy.fcr), ("csat", csat, policy.csat)):
        if value is not None and value < threshold:
            found.append(Recommendation(rule, value, threshold, count))
    return found
