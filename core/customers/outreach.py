"""Proactive outreach's triggers, as pure functions of an account's records: which playbooks are due, and why.

A trigger names each of its occurrences with a key (the threshold and the date the condition began, the renewal
date and the days before it, the ticket's number), so the store's unique index on account, playbook and key lets
an occurrence run its playbook once, however many passes and workers see it. Thresholds and playbooks come from
``config/playbooks.yaml`` (docs/customers.md, "Proactive outreach").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.customers.health_history import HealthDay
    from core.customers.records import Account, Usage


class Trigger(StrEnum):
    """What makes a playbook run."""

    HEALTH = "health"  # the health score fell below ``threshold`` (0 to 100)
    USAGE_LIMIT = "usage_limit"  # plan usage reached ``threshold`` (a share, 0 to 1)
    LOW_ADOPTION = "low_adoption"  # feature adoption under ``threshold`` ``after`` the contract started
    RENEWAL = "renewal"  # the renewal date is ``days`` away
    ESCALATION = "escalation"  # a ticket of an account of ``tiers`` was escalated
    MILESTONE = "milestone"  # the account's active users reached one of ``milestones``


class Audience(StrEnum):
    """Who an action is for."""

    CSM = "csm"  # the account's customer success manager (the staff channel when it has none)
    LEADERSHIP = "leadership"  # the leadership channel
    STAFF = "staff"  # the staff channel
    CUSTOMER = "customer"  # the account's shared channel, else its contact by direct message


class ActionKind(StrEnum):
    """What an action does."""

    NOTICE = "notice"  # a staff notice with the reason (any time)
    MESSAGE = "message"  # a message to the customer from a template (business hours, throttled)
    TASK = "task"  # a task on the account, kept on its timeline


# The names a template may use, each filled in from the account and the occurrence.
TEMPLATE_FIELDS = ("account", "name", "tier", "csm", "reason", "days", "renewal_date", "score", "threshold", "ticket")


@dataclass(frozen=True)
class PlaybookAction:
    """One action of a playbook: a notice, a message or a task, for an audience, with its template."""

    kind: ActionKind
    audience: Audience
    template: str


@dataclass(frozen=True)
class Playbook:
    """A named trigger with its settings and the actions it runs."""

    name: str
    trigger: Trigger
    actions: tuple[PlaybookAction, ...]
    threshold: float | None = None
    days: tuple[int, ...] = ()  # renewal: days before the renewal date
    after: timedelta = timedelta(days=30)  # low adoption: how long after the contract start
    tiers: tuple[str, ...] = ()  # escalation: the tiers whose escalations count
    milestones: tuple[int, ...] = ()  # milestone: active-user counts


@dataclass(frozen=True)
class OutreachPolicy:
    """Every playbook, the throttle on customer messages and where staff notices go."""

    playbooks: tuple[Playbook, ...] = ()
    messages: int = 2  # at most this many customer messages per account ...
    window: timedelta = timedelta(days=7)  # ... in this long
    staff_channel: str | None = None  # None: each account's tier's team channel
    leadership_channel: str | None = None  # None: the staff channel
    channels: Mapping[str, str] = field(default_factory=dict)  # account -> its shared channel's address
    contacts: Mapping[str, str] = field(default_factory=dict)  # account -> the identity messages go to
    every: timedelta = timedelta(hours=1)  # how often the worker's pass checks the accounts' triggers


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a playbook's trigger for an account: its key, the reason in words and template values."""

    account: str
    playbook: str
    trigger: Trigger
    key: str
    reason: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountFacts:
    """What the triggers read of an account: its health history (oldest first) and usage (newest first)."""

    account: Account
    today: date
    health: Sequence[HealthDay] = ()
    usage: Sequence[Usage] = ()


def due(playbook: Playbook, facts: AccountFacts) -> Occurrence | None:
    """The occurrence of ``playbook``'s trigger the account's facts show today, if any (escalations are events)."""
    if playbook.trigger is Trigger.HEALTH:
        return _health(playbook, facts)
    if playbook.trigger is Trigger.USAGE_LIMIT:
        return _usage_limit(playbook, facts)
    if playbook.trigger is Trigger.LOW_ADOPTION:
        return _low_adoption(playbook, facts)
    if playbook.trigger is Trigger.RENEWAL:
        return _renewal(playbook, facts)
    if playbook.trigger is Trigger.MILESTONE:
        return _milestone(playbook, facts)
    return None


def escalated(playbook: Playbook, account: Account, ticket: int, subject: str) -> Occurrence | None:
    """The occurrence of an escalation of ``ticket`` for an escalation playbook covering the account's tier."""
    if playbook.trigger is not Trigger.ESCALATION or account.tier not in playbook.tiers:
        return None
    reason = f"ticket #{ticket} ({subject}) of {account.name}, a {account.tier} account, was escalated"
    return _occurrence(playbook, account, f"#{ticket}", reason, ticket=str(ticket))


def _health(playbook: Playbook, facts: AccountFacts) -> Occurrence | None:
    threshold = playbook.threshold
    scored = [h for h in facts.health if h.category != "No data"]
    if threshold is None or not scored or scored[-1].score >= threshold:
        return None
    start, above = scored[-1], False
    for day in reversed(scored):  # back to the first day of this stretch below the threshold
        if day.score >= threshold:
            above = True
            break
        start = day
    if not above:  # a drop needs a score above it first: an account's first scores are its baseline
        return None
    latest = scored[-1]
    limit = _number(threshold)
    reason = f"health score {latest.score} ({latest.category}) is below {limit} since {start.day.isoformat()}"
    values = {"score": str(latest.score), "threshold": limit}
    return _occurrence(playbook, facts.account, f"{limit}:{start.day.isoformat()}", reason, **values)


def _usage_limit(playbook: Playbook, facts: AccountFacts) -> Occurrence | None:
    threshold = playbook.threshold
    reported = [u for u in facts.usage if u.plan_usage is not None]  # newest first
    if threshold is None or not reported or (reported[0].plan_usage or 0.0) < threshold:
        return None
    start = reported[0]
    for usage in reported:  # back to the first report of this stretch at or above the limit
        if (usage.plan_usage or 0.0) < threshold:
            break
        start = usage
    share, limit = _percent(reported[0].plan_usage or 0.0), _percent(threshold)
    reason = f"plan usage is at {share} (the limit for this playbook is {limit}) since {start.at.date().isoformat()}"
    key = f"{limit}:{start.at.date().isoformat()}"
    return _occurrence(playbook, facts.account, key, reason, score=share, threshold=limit)


def _low_adoption(playbook: Playbook, facts: AccountFacts) -> Occurrence | None:
    threshold, account = playbook.threshold, facts.account
    start = account.contract_start or (facts.usage[-1].at.date() if facts.usage else None)
    adoption = next((u.feature_adoption for u in facts.usage if u.feature_adoption is not None), None)
    if threshold is None or start is None or adoption is None or adoption >= threshold:
        return None
    if facts.today < start + playbook.after:
        return None
    share, limit = _percent(adoption), _percent(threshold)
    reason = f"feature adoption is {share}, under {limit}, {(facts.today - start).days} days after {start.isoformat()}"
    return _occurrence(playbook, account, f"{limit}:{start.isoformat()}", reason, score=share, threshold=limit)


def _renewal(playbook: Playbook, facts: AccountFacts) -> Occurrence | None:
    renewal = facts.account.renewal_date
    if renewal is None:
        return None
    left = (renewal - facts.today).days
    reached = [d for d in playbook.days if d >= left >= 0]
    if not reached:
        return None
    days = min(reached)  # the nearest mark reached: a pass missed on the day itself still sends it, once
    when = "tomorrow" if left == 1 else "today" if left == 0 else f"in {left} days"
    reason = f"the contract renews {when}, on {renewal.isoformat()}"
    key = f"{days}:{renewal.isoformat()}"
    return _occurrence(playbook, facts.account, key, reason, days=str(left), renewal_date=renewal.isoformat())


def _milestone(playbook: Playbook, facts: AccountFacts) -> Occurrence | None:
    active = next((u.active_users for u in facts.usage if u.active_users is not None), None)
    if active is None:
        return None
    reached = [m for m in playbook.milestones if active >= m]
    if not reached:
        return None
    mark = max(reached)  # the highest mark reached; lower ones passed on the way do not also fire
    reason = f"{active} active users: the account reached {mark}"
    return _occurrence(playbook, facts.account, f"active_users:{mark}", reason, score=str(active), threshold=str(mark))


def _occurrence(playbook: Playbook, account: Account, key: str, reason: str, **values: str) -> Occurrence:
    filled = {
        "account": account.id,
        "name": account.name,
        "tier": account.tier,
        "csm": account.csm or "",
        "reason": reason,
        "days": "",
        "renewal_date": account.renewal_date.isoformat() if account.renewal_date else "",
        "score": "",
        "threshold": "",
        "ticket": "",
        **values,
    }
    return Occurrence(account.id, playbook.name, playbook.trigger, key, reason, filled)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"
