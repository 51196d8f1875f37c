"""The overview's headline numbers: each figure of the report with its count and its change since the period before.

Everything is read from two JSON documents (``report_dict``) of periods of the same length; a change is only
stated when both sides have a value, else it is "no data".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bots.reports import figures as f
from bots.reports.figures import Doc

Getter = Callable[[Doc], float | None]
Counter = Callable[[Doc], str]

NO_DATA = "no data"


@dataclass(frozen=True)
class Spec:
    """How one headline figure is read, counted, compared and linked."""

    key: str
    label: str
    value: Getter
    count: Counter
    kind: str  # "seconds", "share", "score", "nps" or "tickets": how the value and its change read
    better: str  # "higher" or "lower": which way a change is good
    figure: str | None  # the ``figure`` of the tickets page behind it; None: not a set of tickets


@dataclass(frozen=True)
class Headline:
    """A figure as the overview shows it: value, count, change (arrow, words, tone) and the tickets behind it."""

    key: str
    label: str
    value: str
    count: str
    arrow: str  # ▲, ▼, = or empty when there is no change to state
    change: str  # "+12m", "−3.5 pts", "no data"
    tone: str  # "good", "bad" or "" (CSS class)
    figure: str | None


def _timing(clock: str, rank: str) -> Getter:
    return lambda doc: doc[clock][f"{rank}_seconds"]


def _sla(clock: str) -> Getter:
    return lambda doc: doc["sla"][clock]["compliance"]


def _sla_count(clock: str) -> Counter:
    def count(doc: Doc) -> str:
        part = doc["sla"][clock]
        return f"{part['met']} of {part['met'] + part['missed']} met, {part['pending']} pending"

    return count


def _measured(clock: str) -> Counter:
    return lambda doc: f"{doc[clock]['count']} tickets measured"


def _ratio(part: str, hits: str, noun: str) -> Counter:
    return lambda doc: f"{doc[part][hits]} of {doc[part]['tickets']} {noun}"


SPECS: tuple[Spec, ...] = (
    Spec("opened", "Tickets opened", lambda d: d["tickets"]["opened"], lambda d: f"{d['tickets']['resolved']} resolved",
         "tickets", "none", "opened"),
    Spec("first_response_p50", "First response p50", _timing("first_response", "p50"), _measured("first_response"),
         "seconds", "lower", "first_response"),
    Spec("first_response_p90", "First response p90", _timing("first_response", "p90"), _measured("first_response"),
         "seconds", "lower", "first_response"),
    Spec("resolution_p50", "Resolution p50", _timing("resolution", "p50"), _measured("resolution"),
         "seconds", "lower", "resolution"),
    Spec("sla_first_response", "First responses within SLA", _sla("first_response"), _sla_count("first_response"),
         "share", "higher", "sla_first_response"),
    Spec("sla_resolution", "Resolutions within SLA", _sla("resolution"), _sla_count("resolution"),
         "share", "higher", "sla_resolution"),
    Spec("csat", "CSAT average (1–5)", lambda d: d["csat"]["average"], lambda d: f"{d['csat']['responses']} responses",
         "score", "higher", "csat"),
    Spec("satisfied", "Satisfied (4 or 5)", lambda d: d["csat"]["satisfied_share"],
         lambda d: f"{d['csat']['satisfied']} of {d['csat']['responses']} responses", "share", "higher", "satisfied"),
    Spec("nps", "NPS", lambda d: d["nps"]["score"], lambda d: f"{d['nps']['responses']} responses",
         "nps", "higher", None),
    Spec("fcr", "First-contact resolution", lambda d: d["fcr_rate"], _ratio("fcr", "first_contact", "resolved"),
         "share", "higher", "fcr"),
    Spec("reopen", "Reopened", lambda d: d["reopen_rate"], _ratio("reopens", "reopened", "resolved"),
         "share", "lower", "reopened"),
    Spec("escalation", "Escalated", lambda d: d["escalation_rate"], _ratio("escalations", "escalated", "tickets"),
         "share", "lower", "escalated"),
    Spec("backlog", "Backlog at the end", lambda d: d["backlog"]["open"],
         lambda d: f"{d['backlog']['unassigned']} unassigned", "tickets", "lower", "open"),
    Spec("deflection", "Self-service deflection", lambda d: d["self_service"]["deflection_rate"],
         lambda d: f"{d['self_service']['deflected']} of {d['self_service']['answers'] - d['self_service']['pending']}"
         " answers", "share", "higher", None),
)  # fmt: skip


def headlines(current: Doc, previous: Doc) -> list[Headline]:
    """Every headline figure of ``current`` with its change against ``previous``."""
    return [headline(spec, current, previous) for spec in SPECS]


def headline(spec: Spec, current: Doc, previous: Doc) -> Headline:
    """One figure, its count and its change."""
    now, before = spec.value(current), spec.value(previous)
    arrow, change, tone = _change(spec, now, before)
    figure = spec.figure if now is not None else None  # "—" has no tickets behind it to list
    return Headline(spec.key, spec.label, _shown(spec.kind, now), spec.count(current), arrow, change, tone, figure)


def _shown(kind: str, value: float | None) -> str:
    if value is None:
        return f.MISSING
    if kind == "seconds":
        return f.seconds(value)
    if kind == "share":
        return f.share(value)
    if kind == "nps":
        return f.number(value, 1)
    if kind == "score":
        return f.number(value)
    return str(int(value))


def _change(spec: Spec, now: float | None, before: float | None) -> tuple[str, str, str]:
    """Arrow, the change in words, and whether it is good news."""
    if now is None or before is None:
        return "", NO_DATA, ""
    delta = float(now) - float(before)
    if abs(delta) < 1e-9:
        return "=", "no change", ""
    arrow = "▲" if delta > 0 else "▼"
    sign = "+" if delta > 0 else "−"
    size = abs(delta)
    if spec.kind == "seconds":
        words = f.seconds(size)
    elif spec.kind == "share":
        words = f"{size * 100:.1f} pts"
    elif spec.kind in ("score", "nps"):
        words = f.number(size, 2 if spec.kind == "score" else 1)
    else:
        words = str(int(size))
    good = (delta > 0) == (spec.better == "higher")
    tone = "" if spec.better == "none" else ("good" if good else "bad")
    return arrow, f"{sign}{words}", tone
