"""The report as one self-contained HTML page: inline CSS, inline SVG charts, nothing fetched, everything escaped."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from bots.reports import figures as f
from bots.reports.charts import Chart, report_charts
from bots.reports.figures import Doc
from bots.reports.summary import advice, sections

# Autoescaping is on for every value; only the charts' SVG, which vl-convert wrote and escaped, goes in as markup.
_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_TEMPLATE = _ENV.from_string(resources.files("bots.reports").joinpath("report.html.j2").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Card:
    """A headline figure at the top of the page, with the count behind it."""

    label: str
    value: str
    count: str


def html_page(doc: Doc, charts: list[Chart] | None = None) -> str:
    """The whole page for the report ``doc`` (its charts drawn here unless given)."""
    drawn = report_charts(doc) if charts is None else charts
    return _TEMPLATE.render(
        period=f.period(doc),
        filters=f.filters(doc),
        clock=f.clock(doc),
        cards=cards(doc),
        advice=advice(doc),
        charts=[_trusted(chart) for chart in drawn],
        sections=sections(doc),
    )


def cards(doc: Doc) -> list[Card]:
    """The headline figures: volume, first response, SLA, FCR, CSAT, NPS and deflection."""
    t, first, s = doc["tickets"], doc["first_response"], doc["sla"]
    c, n, self_service = doc["csat"], doc["nps"], doc["self_service"]
    judged = self_service["answers"] - self_service["pending"]
    fcr = doc["fcr"]
    return [
        Card("Tickets opened", str(t["opened"]), f"{t['resolved']} resolved, {t['open_now']} open at the end"),
        Card("First response p50", f.seconds(first["p50_seconds"]), f"{first['count']} tickets measured"),
        _outcome_card("First responses within SLA", s["first_response"]),
        _outcome_card("Resolutions within SLA", s["resolution"]),
        Card(
            "First-contact resolution", f.share(doc["fcr_rate"]), f"{fcr['first_contact']} of {fcr['tickets']} resolved"
        ),
        Card("CSAT average", f.number(c["average"]), f"{c['responses']} responses to {c['surveys']} surveys"),
        Card("NPS", f.number(n["score"], 1), f"{n['responses']} responses"),
        Card(
            "Self-service deflection",
            f.share(self_service["deflection_rate"]),
            f"{self_service['deflected']} of {judged} answers",
        ),
    ]


def _outcome_card(label: str, result: Doc) -> Card:
    judged = int(result["met"]) + int(result["missed"])
    return Card(label, f.share(result["compliance"]), f"{result['met']} of {judged} met, {result['pending']} pending")


def _trusted(chart: Chart) -> Chart:
    """The chart with its SVG marked safe for the template (its text was escaped by vl-convert)."""
    return Chart(chart.key, chart.title, None if chart.svg is None else Markup(chart.svg), chart.empty)  # noqa: S704
