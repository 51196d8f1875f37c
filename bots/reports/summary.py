"""The report's tables in words: one list of sections that the terminal and the HTML page both lay out.

Every figure is shown with the count it was computed from, and a figure with nothing behind it says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bots.reports import figures as f
from bots.reports.figures import Doc

_TIMINGS = (("first_response", "First response"), ("next_response", "Next response"), ("resolution", "Resolution"))
_MAX_BREACHES = 10


@dataclass(frozen=True)
class Section:
    """A titled table of text cells; ``note`` explains what the numbers cover."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None
    empty: str = "nothing to show"


@dataclass(frozen=True)
class Advice:
    """A recommendation: what is below its threshold, with its count, and what to try."""

    rule: str
    message: str
    actions: tuple[str, ...]


def sections(doc: Doc) -> list[Section]:
    """Every table of the report, in reading order."""
    return [
        tickets(doc),
        timings(doc),
        sla(doc),
        breaches(doc),
        rates(doc),
        backlog(doc),
        *volume(doc),
        self_service(doc),
        *csat(doc),
        nps(doc),
        agents(doc),
        quality(doc),
    ]


def advice(doc: Doc) -> list[Advice]:
    """The recommendations, as the document states them."""
    return [
        Advice(str(r["rule"]), str(r["message"]), tuple(str(a) for a in r["actions"])) for r in doc["recommendations"]
    ]


def tickets(doc: Doc) -> Section:
    """Opened, resolved, reopened, closed as stale and open at the end of the period."""
    t = doc["tickets"]
    rows = (
        ("Opened in the period", str(t["opened"])),
        ("Resolved in the period", str(t["resolved"])),
        ("Reopened in the period", str(t["reopened"])),
        ("Closed as stale", str(t["closed_stale"])),
        ("Open at the end of the period", str(t["open_now"])),
    )
    return Section("Tickets", ("", "tickets"), rows)


def timings(doc: Doc) -> Section:
    """First response, next response and resolution: count, pending, mean and percentiles."""
    rows: list[tuple[str, ...]] = []
    for key, label in _TIMINGS:
        t = doc[key]
        if not t["count"]:
            rows.append((label, "0", str(t["pending"]), f.NOTHING, "", "", ""))
            continue
        cells = (t["mean_seconds"], t["p50_seconds"], t["p90_seconds"], t["p99_seconds"])
        rows.append((label, str(t["count"]), str(t["pending"]), *(f.seconds(v) for v in cells)))
    return Section(
        "Response times",
        ("", "measured", "pending", "mean", "p50", "p90", "p99"),
        tuple(rows),
        note=f"In {f.clock(doc)}. First response is timed from the hand-off when the bot answered first.",
    )


def sla(doc: Doc) -> Section:
    """SLA compliance overall, by tier and by tier × priority."""
    s = doc["sla"]
    rows = [("All tiers", f.outcome(s["first_response"]), f.outcome(s["resolution"]))]
    for tier, part in s["by_tier"].items():
        rows.append((str(tier), f.outcome(part["first_response"]), f.outcome(part["resolution"])))
        for priority, cell in part["by_priority"].items():
            rows.append((f"  {tier} · {priority}", f.outcome(cell["first_response"]), f.outcome(cell["resolution"])))
    return Section(
        "SLA compliance",
        ("", "first response", "resolution"),
        tuple(rows),
        note="Compliance = met ÷ (met + missed); tickets whose tier promises nothing are not counted.",
    )


def breaches(doc: Doc) -> Section:
    """The latest SLA breaches, worst first."""
    listed: Sequence[Mapping[str, Any]] = doc["sla"]["breaches"]
    rows = tuple(
        (
            f"#{b['ticket']}",
            str(b["tier"]),
            str(b["priority"]),
            str(b["clock"]).replace("_", " "),
            f.when(b["due"], zone=False),
            f.when(b["met_at"], zone=False) if b["met_at"] else "not yet",
            f.seconds(b["late_seconds"]),
        )
        for b in listed[:_MAX_BREACHES]
    )
    more = len(listed) - len(rows)
    return Section(
        "SLA breaches",
        ("ticket", "tier", "priority", "clock", "due", "met", "late by"),
        rows,
        note="Times in UTC." + (f" {more} more breach(es) in the JSON and CSV reports." if more > 0 else ""),
        empty="no breaches",
    )


def rates(doc: Doc) -> Section:
    """First-contact resolution, escalation and reopen rates with their counts."""
    fcr, esc, reo = doc["fcr"], doc["escalations"], doc["reopens"]
    rows = (
        ("First-contact resolution", f.rate(doc["fcr_rate"], fcr["first_contact"], fcr["tickets"], "resolved tickets")),
        ("Escalated", f.rate(doc["escalation_rate"], esc["escalated"], esc["tickets"], "tickets")),
        ("Reopened", f.rate(doc["reopen_rate"], reo["reopened"], reo["tickets"], "resolved tickets")),
    )
    return Section("Resolution quality", ("", "rate"), rows)


def backlog(doc: Doc) -> Section:
    """What was still open at the end of the period, and how old it was."""
    b = doc["backlog"]
    age = f"p50 {f.seconds(b['age_p50_seconds'])}, p90 {f.seconds(b['age_p90_seconds'])}"
    rows = (
        ("Open", str(b["open"])),
        ("Unassigned", str(b["unassigned"])),
        ("Waiting on the customer", str(b["waiting_on_customer"])),
        ("Age", age if b["open"] else f.NOTHING),
    )
    return Section("Backlog at the end of the period", ("", ""), rows)


def _counted(title: str, heading: str, counts: Mapping[str, int]) -> Section:
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = tuple((str(k), str(n), f.share(n / total) if total else f.MISSING) for k, n in ranked)
    return Section(title, (heading, "tickets", "share"), rows, empty="no tickets opened")


def volume(doc: Doc) -> list[Section]:
    """Tickets opened by platform, by intent, and the busiest hours of the week."""
    v = doc["volume"]
    hours = tuple((label, str(n)) for label, n in f.busiest_hours(doc))
    return [
        _counted("Volume by platform", "platform", v["by_platform"]),
        _counted("Volume by intent", "intent", v["by_intent"]),
        Section("Busiest hours of the week", ("hour", "tickets opened"), hours, empty="no tickets opened"),
    ]


def self_service(doc: Doc) -> Section:
    """Answers the bot gave, how many helped, deflected or led to a ticket."""
    s = doc["self_service"]
    judged = s["answers"] - s["pending"]
    rows = (
        ("Answers given", str(s["answers"])),
        ("Marked helpful", f.rate(s["helpful_rate"], s["helpful"], judged, "answers")),
        (
            "Deflected (helpful, or no ticket within the window)",
            f.rate(s["deflection_rate"], s["deflected"], judged, "answers"),
        ),
        ("Handed off to a ticket", f.rate(s["handoff_rate"], s["handed_off"], judged, "answers")),
        ("Too recent to judge", str(s["pending"])),
    )
    return Section("Self-service", ("", ""), rows, note=f.self_service_note(doc))


def _csat_part(name: str, part: Mapping[str, Any]) -> tuple[str, ...]:
    if not part["responses"]:
        return (name, "0", f.NOTHING, "")
    return (name, str(part["responses"]), f.number(part["average"]), f.share(part["satisfied_share"]))


def csat(doc: Doc) -> list[Section]:
    """CSAT overall, by tier and by agent."""
    c = doc["csat"]
    rows = (
        ("Surveys sent", str(c["surveys"])),
        ("Response rate", f.rate(c["response_rate"], c["responses"], c["surveys"], "surveys")),
        (
            "Average score (1–5)",
            f"{f.number(c['average'])} from {c['responses']} responses" if c["responses"] else f.NOTHING,
        ),
        ("Satisfied (4 or 5)", f.rate(c["satisfied_share"], c["satisfied"], c["responses"], "responses")),
    )
    columns = ("", "responses", "average", "satisfied")
    return [
        Section("Customer satisfaction (CSAT)", ("", ""), rows),
        Section(
            "CSAT by tier", columns, tuple(_csat_part(str(t), p) for t, p in c["by_tier"].items()), empty="no surveys"
        ),
        Section(
            "CSAT by agent", columns, tuple(_csat_part(str(a), p) for a, p in c["by_agent"].items()), empty="no surveys"
        ),
    ]


def _nps_row(name: str, part: Mapping[str, Any]) -> tuple[str, ...]:
    score = f.number(part["score"], 1) if part["score"] is not None else f.NOTHING
    counts = (part["surveys"], part["responses"], part["promoters"], part["passives"], part["detractors"])
    return (name, score, *(str(n) for n in counts))


def nps(doc: Doc) -> Section:
    """Net promoter score overall and by tier, with promoters, passives and detractors."""
    n = doc["nps"]
    rows = [_nps_row("All tiers", n)] + [_nps_row(str(t), p) for t, p in n["by_tier"].items()]
    return Section(
        "Net promoter score (NPS)",
        ("", "score", "surveys", "responses", "promoters", "passives", "detractors"),
        tuple(rows),
        note="NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.",
    )


def agents(doc: Doc) -> Section:
    """Per agent: tickets assigned and resolved, first-response p50 and CSAT, each with its count."""
    rows = []
    for a in doc["agents"]:
        first, sat = a["first_response"], a["csat"]
        p50 = f"{f.seconds(first['p50_seconds'])} ({first['count']})" if first["count"] else f.NOTHING
        score = f"{f.number(sat['average'])} ({sat['responses']})" if sat["responses"] else f.NOTHING
        rows.append((str(a["agent"]), str(a["assigned"]), str(a["resolved"]), p50, score))
    return Section(
        "Agents",
        ("agent", "assigned", "resolved", "first response p50 (count)", "CSAT (responses)"),
        tuple(rows),
        empty="no tickets assigned",
    )


def quality(doc: Doc) -> Section:
    """Per agent: QA reviews made in the period, the average of each criterion and overall."""
    part = doc.get("quality") or {"criteria": [], "agents": []}  # documents written before QA reviews lack it
    criteria = [str(name) for name in part["criteria"]]
    rows = []
    for a in part["agents"]:
        scores = [f.number(a["averages"][name]) if name in a["averages"] else f.NOTHING for name in criteria]
        rows.append((str(a["agent"]), str(a["reviews"]), *scores, f.number(a["overall"])))
    return Section(
        "QA quality",
        ("agent", "reviews", *criteria, "overall"),
        tuple(rows),
        note="Averages of the QA reviews made in the period, on the rubric's scale (review scores).",
        empty="no QA reviews in the period",
    )
