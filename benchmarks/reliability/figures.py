"""The reliability report's unit: a probe's figure (tried, held, lost) and the tally a probe keeps while it runs."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

EXAMPLES_KEPT = 3  # a lost case's description is kept for the first few only


@dataclass(frozen=True)
class Figure:
    """What one probe found: how many cases it tried, how many held, and notes such as latencies."""

    name: str
    description: str
    tried: int
    held: int
    notes: str = ""
    examples: tuple[str, ...] = ()

    @property
    def lost(self) -> int:
        """The cases that did not hold."""
        return self.tried - self.held


@dataclass
class Tally:
    """Counts cases as a probe checks them, keeping the first few distinct descriptions of lost ones."""

    tried: int = 0
    held: int = 0
    lost: list[str] = field(default_factory=list)

    def check(self, ok: bool, case: str) -> bool:
        """Count one case; ``case`` says what was tried, kept when it did not hold."""
        self.tried += 1
        if ok:
            self.held += 1
        elif len(self.lost) < EXAMPLES_KEPT and case not in self.lost:
            self.lost.append(case)
        return ok

    def figure(self, name: str, description: str, notes: str = "") -> Figure:
        """The figure of everything counted so far."""
        return Figure(name, description, self.tried, self.held, notes, tuple(self.lost))


def latency_note(seconds: list[float]) -> str:
    """``p50 … ms, p99 … ms`` of a list of durations (nearest rank)."""
    if not seconds:
        return ""
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    p50, top = statistics.median(ordered), ordered[-1]
    return f"ack p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {top * 1000:.0f} ms"
