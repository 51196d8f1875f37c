"""The report's charts, drawn on the server: Vega-Lite specs from altair, turned into SVG or PNG by vl-convert.

Nothing is fetched when a chart is shown: the SVG is inline and carries its own text, so the HTML page opens
offline and the same charts can be posted as images. A chart with nothing to draw is not drawn: the caller
gets ``svg=None`` and a sentence saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert as vlc

from bots.reports.figures import Doc

WIDTH, HEIGHT = 560, 220
_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')  # inline SVG in HTML needs none; they are URLs
_CLOCKS = {"first_response": "first response", "resolution": "resolution"}


@dataclass(frozen=True)
class Chart:
    """One chart of the report: its title, and its SVG or, with nothing to draw, why not."""

    key: str
    title: str
    svg: str | None
    empty: str


def report_charts(doc: Doc) -> list[Chart]:
    """The four charts of the HTML page: volume, first response, SLA compliance by tier, CSAT trend."""
    specs = (
        ("volume", "Tickets opened per day", _volume(doc), "No tickets were opened in this period."),
        ("first_response", _first_response_title(doc), _first_response(doc), "No first response to measure."),
        ("sla", "SLA compliance by tier", _sla(doc), "No SLA target was judged in this period."),
        ("csat", "CSAT trend (average score per day)", _csat(doc), "No CSAT responses in this period."),
    )
    return [Chart(key, title, None if spec is None else svg(spec), empty) for key, title, spec, empty in specs]


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as inline SVG markup (vl-convert escapes every label it writes)."""
    return _NAMESPACE.sub("", vlc.vegalite_to_svg(chart.to_dict()), count=2)


def digest_png(doc: Doc) -> bytes:
    """A PNG of the period's volume per day above its first-response distribution, for the weekly digest."""
    top = _volume(doc) or _note("No tickets were opened in this period.")
    bottom = _first_response(doc) or _note("No first response to measure.")
    chart = alt.vconcat(
        top.properties(title="Tickets opened per day"),
        bottom.properties(title=_first_response_title(doc)),
    ).configure_view(stroke=None)
    return bytes(vlc.vegalite_to_png(chart.to_dict(), scale=1.5))


def _base(values: list[dict[str, Any]]) -> alt.Chart:
    return alt.Chart(alt.InlineData(values=values)).properties(width=WIDTH, height=HEIGHT)


def _note(text: str) -> alt.Chart:
    """A chart that only says ``text``: what a PNG shows where there is nothing to plot."""
    chart: alt.Chart = _base([{"text": text}]).mark_text(fontSize=14, color="#555").encode(text="text:N")
    return chart.properties(height=60)


def _volume(doc: Doc) -> alt.Chart | None:
    days = doc["volume"]["by_day"]
    if not any(days.values()):
        return None
    values = [{"day": day, "tickets": int(n)} for day, n in sorted(days.items())]
    chart: alt.Chart = (
        _base(values)
        .mark_bar(color="#3b6ea5")
        .encode(
            x=alt.X("day:T", timeUnit="utcyearmonthdate", title=None, axis=alt.Axis(format="%b %d")),
            y=alt.Y("tickets:Q", title="tickets opened", axis=alt.Axis(tickMinStep=1)),
        )
    )
    return chart


def _first_response_title(doc: Doc) -> str:
    count = doc["first_response"]["count"]
    clock = "business hours" if doc["clock"] == "business" else "wall-clock"
    return f"First response distribution, {clock} ({count} tickets)"


def _first_response(doc: Doc) -> alt.Chart | alt.LayerChart | None:
    """A bar per bin of the document's first-response histogram, each with its count written on it."""
    timing = doc["first_response"]
    if not timing["count"]:
        return None
    order: list[str] = []
    counts: list[int] = []
    lower = 0.0
    for part in timing["histogram"]:
        upper = part["le_seconds"]
        order.append(bin_label(lower, None if upper is None else float(upper)))
        counts.append(int(part["count"]))
        lower = float(upper) if upper is not None else lower
    values = [{"bin": label, "tickets": n} for label, n in zip(order, counts, strict=True)]
    bars = (
        _base(values)
        .mark_bar(color="#5a9e6f")
        .encode(
            x=alt.X("bin:N", sort=order, title="time to first response", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("tickets:Q", title="tickets", axis=alt.Axis(tickMinStep=1)),
        )
    )
    written = bars.mark_text(dy=-6, color="#333").encode(text="tickets:Q")
    return alt.LayerChart(layer=[bars, written])


def bin_label(lower: float, upper: float | None) -> str:
    """A bin's span as people say it: "under 5 min", "15–60 min", "1–4 h", "over 24 h"."""
    if upper is None:
        return f"over {_span(lower)}"
    if lower <= 0:
        return f"under {_span(upper)}"
    if upper <= 3600:
        return f"{lower / 60:g}–{upper / 60:g} min"
    if lower >= 3600:
        return f"{lower / 3600:g}–{upper / 3600:g} h"
    return f"{_span(lower)}–{_span(upper)}"


def _span(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds < 3600 else f"{seconds / 3600:g} h"


def _sla(doc: Doc) -> alt.Chart | None:
    values = [
        {"tier": str(tier), "clock": label, "compliance": float(part[key]["compliance"])}
        for tier, part in doc["sla"]["by_tier"].items()
        for key, label in _CLOCKS.items()
        if part[key]["compliance"] is not None
    ]
    if not values:
        return None
    chart: alt.Chart = (
        _base(values)
        .mark_bar()
        .encode(
            x=alt.X("tier:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
            xOffset=alt.XOffset("clock:N", sort=list(_CLOCKS.values())),
            y=alt.Y("compliance:Q", title="targets met", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color("clock:N", sort=list(_CLOCKS.values()), title=None, legend=alt.Legend(orient="bottom")),
        )
    )
    return chart


def _csat(doc: Doc) -> alt.Chart | None:
    values = [
        {"day": day, "average": float(part["average"]), "responses": int(part["responses"])}
        for day, part in sorted(doc["csat"]["by_day"].items())
        if part["average"] is not None
    ]
    if not values:
        return None
    x = alt.X("day:T", timeUnit="utcyearmonthdate", title=None, axis=alt.Axis(format="%b %d"))
    y = alt.Y("average:Q", title="average score (1–5)", scale=alt.Scale(domain=[1, 5]))
    chart: alt.Chart = _base(values).mark_line(point=True, color="#b5651d").encode(x=x, y=y)
    return chart
