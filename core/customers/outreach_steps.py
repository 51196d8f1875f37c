"""What an occurrence of a playbook does, decided purely: each action as a step with its notice and its status.

Staff notices go at once, any time. A customer message goes only within the customer's business hours (the
tier's calendar; outside them it is deferred to the next opening) and only while the account has had fewer than
``OutreachPolicy.messages`` customer messages in the window (else it is throttled, and never sent). A task is
kept open on the account's timeline.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from core.customers.outreach import ActionKind, Audience
from core.messages import Address, Destination, Mention, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from core.customers.outreach import Occurrence, OutreachPolicy, Playbook
    from core.customers.records import Account, Person

# Where an adapter delivers a notice to a person directly: Slack posts to a user id as the app's direct message.
# Discord's delivers to channel ids only, so a Discord customer is written to in the account's shared channel.
DIRECT_PLATFORMS = ("slack",)


class OutreachStatus(StrEnum):
    """What became of an action."""

    SENT = "sent"  # queued in the outbox (a notice, or a customer message within hours)
    DEFERRED = "deferred"  # a customer message waiting for the customer's business hours
    THROTTLED = "throttled"  # a customer message over the account's limit: not sent
    OPEN = "open"  # a task on the account
    NO_CONTACT = "no contact"  # a customer message with nobody to send it to


@dataclass(frozen=True)
class OutreachStep:
    """One action of an occurrence as it is to be kept: its target, text, status and notice."""

    action: ActionKind
    audience: Audience
    target: str | None  # the address or identity it goes to, as text
    text: str
    status: OutreachStatus
    notice: Outbound | None = None  # queued now (sent) or at ``due_at`` (deferred)
    due_at: datetime | None = None


@dataclass(frozen=True)
class OutreachRecord:
    """A line of an account's outreach timeline: one action of one occurrence, and what became of it."""

    id: int
    account: str
    playbook: str
    trigger: str
    occurrence: str
    action: str
    audience: str
    target: str | None
    text: str
    status: str
    at: datetime  # when the occurrence was recorded
    due_at: datetime | None = None  # a deferred message: when it goes
    sent_at: datetime | None = None  # when it was queued for sending


@dataclass(frozen=True)
class Recipients:
    """Where an account's notices and messages go."""

    csm: str | None  # the CSM's identity
    staff: str  # the staff channel's address
    leadership: str
    shared: str | None  # the account's shared channel
    contact: str | None  # the identity a direct message goes to, without a shared channel


def recipients(account: Account, policy: OutreachPolicy, team_channel: str, people: Sequence[Person]) -> Recipients:
    """The account's recipients: the configured channels, its CSM, and its contact (configured, else a person's)."""
    staff = policy.staff_channel or team_channel
    contact = policy.contacts.get(account.id)
    if contact is None:
        found = (i for p in people for i in p.identities if i.partition(":")[0] in DIRECT_PLATFORMS)
        contact = next(found, None)
    return Recipients(account.csm, staff, policy.leadership_channel or staff, policy.channels.get(account.id), contact)


def render(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{name}`` replaced by its value; anything else is kept as written."""
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


def plan_steps(
    playbook: Playbook,
    occurrence: Occurrence,
    to: Recipients,
    *,
    now: datetime,
    opens: datetime,
    recent: int,
    limit: int,
) -> list[OutreachStep]:
    """The playbook's actions as steps; ``opens`` is the customer's next business moment, ``recent`` the account's
    customer messages in the throttle window so far."""
    steps = []
    for action in playbook.actions:
        text = render(action.template, occurrence.values)
        if action.kind is ActionKind.NOTICE:
            steps.append(_notice(action.audience, occurrence, text, to))
        elif action.kind is ActionKind.TASK:
            steps.append(OutreachStep(ActionKind.TASK, action.audience, "account", text, OutreachStatus.OPEN))
        else:
            step = _message(text, to, now=now, opens=opens, throttled=recent >= limit)
            recent += step.status in (OutreachStatus.SENT, OutreachStatus.DEFERRED)
            steps.append(step)
    return steps


def _notice(audience: Audience, occurrence: Occurrence, text: str, to: Recipients) -> OutreachStep:
    head = f"Outreach ({occurrence.playbook}) for {occurrence.values.get('name', occurrence.account)}"
    body = f"{head} [{occurrence.account}]: {occurrence.reason}." + (f"\n{text}" if text else "")
    if audience is Audience.CSM and to.csm is not None:
        platform, _, user = to.csm.partition(":")
        reply = Reply(
            ReplyKind.WARNING, body, destination=Destination.DIRECT, mentions=(Mention(platform, "user", user),)
        )
        return OutreachStep(ActionKind.NOTICE, audience, to.csm, body, OutreachStatus.SENT, _out(to.csm, reply))
    where = to.leadership if audience is Audience.LEADERSHIP else to.staff
    reply = Reply(ReplyKind.WARNING, body, destination=Destination.CHANNEL)
    return OutreachStep(ActionKind.NOTICE, audience, where, body, OutreachStatus.SENT, _out(where, reply))


def _message(text: str, to: Recipients, *, now: datetime, opens: datetime, throttled: bool) -> OutreachStep:
    if to.shared is not None:
        target, reply = to.shared, Reply(ReplyKind.INFO, text, destination=Destination.CHANNEL)
    elif to.contact is not None:
        platform, _, user = to.contact.partition(":")
        mention = (Mention(platform, "user", user),)
        target, reply = to.contact, Reply(ReplyKind.INFO, text, destination=Destination.DIRECT, mentions=mention)
    else:
        return OutreachStep(ActionKind.MESSAGE, Audience.CUSTOMER, None, text, OutreachStatus.NO_CONTACT)
    if throttled:
        return OutreachStep(ActionKind.MESSAGE, Audience.CUSTOMER, target, text, OutreachStatus.THROTTLED)
    status, due = (OutreachStatus.DEFERRED, opens) if opens > now else (OutreachStatus.SENT, None)
    return OutreachStep(ActionKind.MESSAGE, Audience.CUSTOMER, target, text, status, _out(target, reply), due)


def _out(where: str, reply: Reply) -> Outbound:
    return Outbound(Address.parse(where), reply)
