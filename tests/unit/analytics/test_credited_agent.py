"""Who a ticket counts for: the desk makes the first person to reply the assignee, without an ``assigned`` event."""

from __future__ import annotations

from datetime import timedelta

from core.analytics.metrics import compute_report, report_dict
from core.analytics.records import ReportQuery
from tests.unit.analytics.test_metrics import END, POLICY, START, TIERS, at, history


def test_the_agent_who_replied_to_an_unassigned_ticket_is_credited_with_its_resolution() -> None:
    # Ticket 1: opened Mon 09:00, replied 10:00 by slack:agent (no claim), resolved 12:00.
    resolved = history(1, [(at(30, 9), "opened"), (at(30, 10), "replied"), (at(30, 12), "resolved")])
    doc = report_dict(compute_report([resolved], [], [], TIERS, ReportQuery(START, END), POLICY, END))
    # One ticket credited to the replier, resolved, first response 1 h.
    assert doc["agents"] == [
        {
            "agent": "slack:agent",
            "assigned": 1,
            "resolved": 1,
            "first_response": {"count": 1, "p50_seconds": 3600.0},
            "csat": {"responses": 0, "average": None},
        }
    ]


def test_a_past_backlog_counts_a_replied_ticket_as_assigned() -> None:
    # Ticket 2: opened Mon 09:00, replied 10:00 (which assigns it), the customer answers at 11:00: active,
    # assigned and not waiting at the end of Monday; the report is read a week later.
    active = history(2, [(at(30, 9), "opened"), (at(30, 10), "replied"), (at(30, 11), "customer_message")])
    # A ticket nobody replied to stays unassigned.
    untouched = history(3, [(at(30, 9), "opened")])
    end = START + timedelta(days=1)
    doc = report_dict(compute_report([active, untouched], [], [], TIERS, ReportQuery(START, end), POLICY, END))
    assert (doc["backlog"]["open"], doc["backlog"]["unassigned"], doc["backlog"]["waiting_on_customer"]) == (2, 1, 0)
