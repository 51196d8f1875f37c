"""Outreach's pure parts: when each trigger is due and under which key, and what an occurrence's actions become
(throttled, deferred to business hours, sent), without a store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.customers.health_history import HealthDay
from core.customers.outreach import (
    AccountFacts,
    ActionKind,
    Audience,
    OutreachPolicy,
    Playbook,
    PlaybookAction,
    Trigger,
    due,
    escalated,
)
from core.customers.outreach_steps import OutreachStatus, plan_steps, recipients, render
from core.customers.records import Account, Person, Usage

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
ACME = Account("acme", "Acme", "enterprise", csm="slack:U0CSM", renewal_date=date(2027, 1, 2))
NOTICE = (PlaybookAction(ActionKind.NOTICE, Audience.CSM, ""),)
RENEWAL = Playbook("renewal", Trigger.RENEWAL, NOTICE, days=(60, 30, 14, 7, 1))


def _scores(*scores: int) -> list[HealthDay]:
    start = TODAY - timedelta(days=len(scores) - 1)
    return [HealthDay("acme", start + timedelta(days=n), s, "x", (), NOW) for n, s in enumerate(scores)]


def _renewal_key(days_left: int) -> str:
    """The renewal occurrence's key with ``days_left`` to go; "" when none is due."""
    account = Account("acme", "Acme", "enterprise", renewal_date=TODAY + timedelta(days=days_left))
    found = due(RENEWAL, AccountFacts(account, TODAY))
    return "" if found is None else found.key


def test_renewal_fires_at_the_nearest_mark_reached_and_never_before_or_after() -> None:
    renews = (TODAY + timedelta(days=30)).isoformat()
    assert _renewal_key(30) == f"30:{renews}"
    assert _renewal_key(25).startswith("30:")  # a pass missed on day 30 still sends the 30-day notice, once
    assert _renewal_key(60).startswith("60:") and _renewal_key(7).startswith("7:") and _renewal_key(1).startswith("1:")
    assert _renewal_key(0).startswith("1:")
    assert _renewal_key(61) == "" and _renewal_key(-1) == ""


def test_a_health_drop_keeps_one_key_while_it_lasts_and_gets_a_new_one_after_a_recovery() -> None:
    playbook = Playbook("health_70", Trigger.HEALTH, NOTICE, threshold=70)
    fell = due(playbook, AccountFacts(ACME, TODAY, _scores(80, 65, 60, 55)))
    assert fell is not None and fell.key == "70:2026-12-01"
    assert fell.reason == "health score 55 (x) is below 70 since 2026-12-01"
    assert due(playbook, AccountFacts(ACME, TODAY, _scores(80, 65, 75))) is None
    again = due(playbook, AccountFacts(ACME, TODAY, _scores(65, 75, 60)))
    assert again is not None and again.key == "70:2026-12-03"
    no_data = [HealthDay("acme", TODAY, 0, "No data", (), NOW)]
    assert due(playbook, AccountFacts(ACME, TODAY, no_data)) is None  # no data is not a drop
    # A new account's first scores are its baseline, not a drop: the console's made-up account, or an import.
    assert due(playbook, AccountFacts(ACME, TODAY, _scores(44, 44))) is None


def test_usage_adoption_and_milestones_read_the_latest_reports() -> None:
    reports = [
        Usage("acme", NOW, active_users=55, plan_usage=0.9, feature_adoption=0.2),
        Usage("acme", NOW - timedelta(days=3), plan_usage=0.86),
        Usage("acme", NOW - timedelta(days=9), plan_usage=0.5),
    ]
    limit = due(Playbook("u", Trigger.USAGE_LIMIT, NOTICE, threshold=0.85), AccountFacts(ACME, TODAY, usage=reports))
    assert limit is not None and limit.key == "85%:2026-11-30"  # at the limit since the report three days ago
    milestone = due(
        Playbook("m", Trigger.MILESTONE, NOTICE, milestones=(10, 50, 100)), AccountFacts(ACME, TODAY, usage=reports)
    )
    assert milestone is not None and milestone.key == "active_users:50"  # the highest reached only
    adoption = Playbook("a", Trigger.LOW_ADOPTION, NOTICE, threshold=0.3, after=timedelta(days=30))
    young = Account("acme", "Acme", "enterprise", contract_start=TODAY - timedelta(days=29))
    assert due(adoption, AccountFacts(young, TODAY, usage=reports)) is None
    old = Account("acme", "Acme", "enterprise", contract_start=TODAY - timedelta(days=30))
    late = due(adoption, AccountFacts(old, TODAY, usage=reports))
    assert late is not None and late.key == "30%:2026-11-03"
    adopted = [Usage("acme", NOW, feature_adoption=0.4)]
    assert due(adoption, AccountFacts(old, TODAY, usage=adopted)) is None


def test_escalations_count_only_for_the_playbooks_tiers() -> None:
    playbook = Playbook("e", Trigger.ESCALATION, NOTICE, tiers=("enterprise",))
    found = escalated(playbook, ACME, 7, "Down")
    assert found is not None and found.key == "#7" and found.values["ticket"] == "7"
    assert escalated(playbook, Account("b", "B", "community"), 7, "Down") is None
    assert due(playbook, AccountFacts(ACME, TODAY)) is None  # an event, never found by the daily check


def test_messages_over_the_limit_are_throttled_and_outside_hours_deferred() -> None:
    actions = (
        PlaybookAction(ActionKind.MESSAGE, Audience.CUSTOMER, "Hi {name}, {days} days left"),
        PlaybookAction(ActionKind.MESSAGE, Audience.CUSTOMER, "Again"),
        PlaybookAction(ActionKind.NOTICE, Audience.LEADERSHIP, ""),
    )
    playbook = Playbook("renewal", Trigger.RENEWAL, actions, days=(30,))
    occurrence = due(playbook, AccountFacts(ACME, TODAY))
    assert occurrence is not None
    people = [Person("p1", "Ana", "acme", ("discord:81234", "github:ana", "slack:U1"))]
    to = recipients(ACME, OutreachPolicy(), "slack:C0TEAM", people)
    assert (to.contact, to.staff, to.leadership) == ("slack:U1", "slack:C0TEAM", "slack:C0TEAM")
    later = NOW + timedelta(hours=2)
    steps = plan_steps(playbook, occurrence, to, now=NOW, opens=later, recent=1, limit=2)
    assert [s.status for s in steps] == [OutreachStatus.DEFERRED, OutreachStatus.THROTTLED, OutreachStatus.SENT]
    assert steps[0].text == "Hi Acme, 30 days left" and steps[0].due_at == later and steps[1].notice is None
    open_now = plan_steps(playbook, occurrence, to, now=NOW, opens=NOW, recent=0, limit=2)
    assert [s.status for s in open_now][:2] == [OutreachStatus.SENT, OutreachStatus.SENT]
    nobody = recipients(ACME, OutreachPolicy(), "console", [Person("p2", "Bo", "acme", ("github:bo", "discord:9"))])
    assert (
        plan_steps(playbook, occurrence, nobody, now=NOW, opens=NOW, recent=0, limit=2)[0].status
        is OutreachStatus.NO_CONTACT
    )


def test_a_template_fills_known_names_and_keeps_the_rest() -> None:
    assert render("{name} renews {renewal_date} {nope}", {"name": "Acme", "renewal_date": "2027-01-02"}) == (
        "Acme renews 2027-01-02 {nope}"
    )
