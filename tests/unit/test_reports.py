"""The report's renderers on a hand-written document that follows the JSON schema (tests/data/report_sample.json)."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bots.reports.charts import bin_label, digest_png, report_charts
from bots.reports.csv_out import csv_text
from bots.reports.html import html_page
from bots.reports.output import ReportFormat, render, write_whole
from bots.reports.text import write_text
from core.errors import HelplineError
from tests.report_schema import schema_problems

SAMPLE = Path(__file__).parent.parent / "data" / "report_sample.json"
HOSTILE = '<script>alert("x")</script> https://evil.example/?a=1&b=2'


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return loaded


def _empty(doc: dict[str, Any]) -> dict[str, Any]:
    """The sample as a period with nothing in it: every count 0, every figure null."""
    empty = copy.deepcopy(doc)
    empty["volume"]["by_day"] = {day: 0 for day in doc["volume"]["by_day"]}
    empty["first_response"].update(count=0, pending=0, mean_seconds=None, p50_seconds=None)
    empty["first_response"].update(p90_seconds=None, p99_seconds=None)
    empty["first_response"]["histogram"] = [{**part, "count": 0} for part in doc["first_response"]["histogram"]]
    empty["sla"]["by_tier"] = {}
    empty["csat"]["by_day"] = {}
    empty["fcr"], empty["fcr_rate"] = {"tickets": 0, "first_contact": 0}, None
    return empty


def test_the_sample_follows_the_schema(doc: dict[str, Any]) -> None:
    assert schema_problems(doc) == []
    broken = copy.deepcopy(doc)
    del broken["sla"]["by_tier"]["enterprise"]["resolution"]["pending"]
    problems = schema_problems(broken)
    assert len(problems) == 1 and problems[0].startswith("sla.by_tier.enterprise.resolution: keys")


def test_text_shows_each_figure_with_its_count_and_missing_ones_as_nothing_to_measure(doc: dict[str, Any]) -> None:
    out = io.StringIO()
    write_text(doc, out, colour=False)
    text = out.getvalue()
    assert "\x1b[" not in text  # no colour into a file or pipe
    assert "2026-11-01 00:00 UTC – 2026-12-01 00:00 UTC" in text
    assert "92% (138 of 150 met, 3 pending)" in text  # SLA with its counts
    assert "64.7% (88 of 136 resolved tickets)" in text  # FCR with its count
    assert re.search(r"Next response\s+│\s+0\s+│\s+0\s+│ nothing to measure", text)
    assert "3.8 from 62 responses" in text
    assert "slack:UNEW" in text and "nothing to measure" in text.split("slack:UNEW")[1].splitlines()[0]
    assert "Coach the agents below the average" in text
    assert not any(line.endswith(" ") for line in text.splitlines())


def test_text_colours_only_when_asked(doc: dict[str, Any]) -> None:
    out = io.StringIO()
    write_text(doc, out, colour=True, width=120)
    assert "\x1b[" in out.getvalue()


def test_text_says_self_service_ignores_filters_other_than_platform(doc: dict[str, Any]) -> None:
    narrowed = copy.deepcopy(doc)
    narrowed["filters"]["tier"] = "enterprise"
    text = render(ReportFormat.TEXT, narrowed)
    assert "Filters: tier enterprise" in text
    assert "only --platform narrows it" in text


def test_csv_one_row_per_ticket_and_formulas_defused() -> None:
    columns = ("ticket", "tier", "agent", "first_response_seconds", "csat")
    rows: list[dict[str, object]] = [
        {"ticket": 1, "tier": "enterprise", "agent": '=HYPERLINK("https://evil")', "first_response_seconds": 60.0},
        {"ticket": 2, "tier": "+cmd", "agent": "@SUM(A1)", "first_response_seconds": None, "csat": 5},
        {"ticket": 3, "tier": "-2+3", "agent": "\tx", "first_response_seconds": -1.5, "csat": None},
    ]
    parsed = list(csv.reader(io.StringIO(csv_text(rows, columns))))
    assert parsed[0] == list(columns)
    assert [row[0] for row in parsed[1:]] == ["1", "2", "3"]
    assert parsed[1][2] == '\'=HYPERLINK("https://evil")'
    assert parsed[2][1:3] == ["'+cmd", "'@SUM(A1)"]
    assert parsed[3][1:3] == ["'-2+3", "'\tx"]
    assert parsed[2][3] == "" and parsed[1][4] == ""  # missing stays empty, never 0
    assert parsed[3][3] == "-1.5"  # a number is no formula


def test_csv_refuses_a_row_with_a_column_the_header_lacks() -> None:
    with pytest.raises(ValueError, match="secret"):
        csv_text([{"ticket": 1, "secret": "x"}], ("ticket",))


def test_html_is_self_contained_with_four_svg_charts(doc: dict[str, Any]) -> None:
    page = html_page(doc)
    assert page.count("<svg") == 4
    assert not re.search(r"https?://", page)
    assert not re.search(r"""(src|href)\s*=""", page)  # nothing to load, nothing to follow
    assert "Content-Security-Policy" in page


def test_html_escapes_a_hostile_tier_and_agent_name(doc: dict[str, Any]) -> None:
    hostile = copy.deepcopy(doc)
    hostile["sla"]["by_tier"] = {HOSTILE: doc["sla"]["by_tier"]["enterprise"]}
    hostile["agents"][0]["agent"] = HOSTILE
    hostile["csat"]["by_agent"] = {HOSTILE: doc["csat"]["by_agent"]["slack:UADA"]}
    page = html_page(hostile)
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    # The only URLs are the one typed in the name (a chart label may shorten it), always as escaped text.
    urls = [m.start() for m in re.finditer(r"https?://", page)]
    assert urls and all(page[at - len("&lt;/script&gt; ") : at] == "&lt;/script&gt; " for at in urls)
    assert page.count("<svg") == 4


def test_html_says_so_where_a_chart_has_no_data(doc: dict[str, Any]) -> None:
    page = html_page(_empty(doc))
    assert page.count("<svg") == 0
    assert "No tickets were opened in this period." in page
    assert "No first response to measure." in page
    assert "No SLA target was judged in this period." in page
    assert "No CSAT responses in this period." in page


def test_charts_are_the_four_the_page_promises(doc: dict[str, Any]) -> None:
    charts = report_charts(doc)
    assert [c.key for c in charts] == ["volume", "first_response", "sla", "csat"]
    assert all(c.svg is not None and "enterprise" in (charts[2].svg or "") for c in charts)


def test_the_first_response_chart_is_the_distribution_with_each_bins_count(doc: dict[str, Any]) -> None:
    chart = report_charts(doc)[1]
    assert chart.title == "First response distribution, wall-clock (151 tickets)" and chart.svg is not None
    labels = ["under 5 min", "5–15 min", "15–60 min", "1–4 h", "4–24 h", "over 24 h"]
    at = [chart.svg.index(f">{label}<") for label in labels]
    assert at == sorted(at)  # the bins in order, shortest first
    counts = re.findall(r">(\d+)</text>", chart.svg)
    assert counts[-6:] == ["28", "30", "26", "52", "14", "1"]  # written on the bars, as the document counts them


def test_a_bin_reads_as_people_say_it() -> None:
    assert bin_label(0, 300) == "under 5 min" and bin_label(900, 3600) == "15–60 min"
    assert bin_label(3600, 14400) == "1–4 h" and bin_label(86400, None) == "over 24 h"
    assert bin_label(1800, 7200) == "30 min–2 h"


def test_digest_png_is_a_png_even_for_an_empty_week(doc: dict[str, Any]) -> None:
    for week in (doc, _empty(doc)):
        image = digest_png(week)
        assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 1000


def test_json_keeps_nulls(doc: dict[str, Any]) -> None:
    back = json.loads(render(ReportFormat.JSON, doc))
    assert back == doc and back["next_response"]["p50_seconds"] is None


def test_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report")
    write_whole(target, "the new report")
    assert target.read_text() == "the new report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left behind
    assert target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(HelplineError, match="does not exist"):
        write_whole(tmp_path / "missing" / "report.html", "x")


def test_text_and_html_show_each_agents_qa_quality_and_a_hostile_criterion_is_escaped(doc: dict[str, Any]) -> None:
    text = render(ReportFormat.TEXT, doc)
    assert "QA quality" in text
    row = next(line for line in text.splitlines() if "slack:UADA" in line and "4.5" in line)
    assert re.search(r"slack:UADA\s+│\s+2\s+│\s+4\.5\s+│\s+4\s+│\s+3\s+│\s+4\.5\s+│\s+4", row)
    hostile = copy.deepcopy(doc)
    hostile["quality"]["criteria"] = [HOSTILE]
    hostile["quality"]["agents"] = [{"agent": HOSTILE, "reviews": 1, "averages": {HOSTILE: 3.0}, "overall": 3.0}]
    page = html_page(hostile)
    assert "<script" not in page and "QA quality" in page
    nothing = copy.deepcopy(doc)
    nothing["quality"] = {"reviews": 0, "criteria": [], "agents": []}
    assert "no QA reviews in the period" in render(ReportFormat.TEXT, nothing)
