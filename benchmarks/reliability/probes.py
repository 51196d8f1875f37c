"""Every probe of the reliability report, with the size the report runs it at and the size the test suite uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from benchmarks.reliability.burst import signed_burst
from benchmarks.reliability.crash import kill_during_burst
from benchmarks.reliability.figures import Figure
from benchmarks.reliability.fuzz import property_fuzzing
from benchmarks.reliability.leaks import secrets_in_messages
from benchmarks.reliability.malformed import malformed_payloads
from benchmarks.reliability.mentions import mention_injection
from benchmarks.reliability.permissions import permission_matrix
from benchmarks.reliability.webhooks import forged_stale_replayed

ProbeFunction = Callable[[int], Awaitable[Figure]]


@dataclass(frozen=True)
class Probe:
    """A probe: its function, the report's size, the tests' size, and the pytest markers its test carries."""

    name: str
    run: ProbeFunction
    full: int
    small: int
    marks: tuple[str, ...] = ()  # e.g. ("slow", "model"), as pyproject.toml's markers name them


PROBES = (
    Probe("webhooks", forged_stale_replayed, full=200, small=3),
    Probe("malformed", malformed_payloads, full=300, small=5),
    Probe("secrets", secrets_in_messages, full=100, small=3),
    Probe("mentions", mention_injection, full=100, small=3),
    Probe("permissions", permission_matrix, full=1000, small=6),
    Probe("fuzzing", property_fuzzing, full=2000, small=20),
    Probe("burst", signed_burst, full=1000, small=30, marks=("slow", "model")),
    Probe("crash", kill_during_burst, full=1000, small=30, marks=("slow", "model")),
)
