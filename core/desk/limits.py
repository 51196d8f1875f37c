"""The per-member limit on opening tickets, so one person cannot flood the desk with them."""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.desk.people import linked_identities
from core.sla.deadlines import describe_duration

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Inbound
    from core.tickets.records import Ticket

log = logging.getLogger("helpline.limits")


async def ticket_refusal(desk: Desk, message: Inbound) -> str | None:
    """Why ``message``'s author may not open another ticket yet, or None if they may (moderators always may)."""
    limit, window = desk.policy.ticket_limit, desk.policy.ticket_window
    if limit <= 0 or desk.moderators.allows(message.platform, message.author):
        return None
    now = desk.clock.now()
    # A ticket exactly one window old has left it, so "try again in 10 minutes" is true to the second.
    since = now - window + timedelta(microseconds=1)
    recent: list[Ticket] = []
    for identity in await linked_identities(desk, message):  # linked identities share one limit
        platform, _, user_id = identity.partition(":")
        recent += await desk.stores.tickets.tickets_opened_by(platform, user_id, since)
    recent.sort(key=lambda ticket: (ticket.created_at, ticket.number))
    if len(recent) < limit:
        return None
    # A ticket may be opened again once enough of the oldest ones have left the window.
    free_at = recent[len(recent) - limit].created_at + window
    log.info("%s reached the ticket limit: %d tickets opened in %s", actor_of(message), len(recent), window)
    return refusal_text(recent, window, free_at - now)


def refusal_text(recent: list[Ticket], window: timedelta, wait: timedelta) -> str:
    """The polite refusal: how many were opened, where to add instead, and when to try again."""
    count = len(recent)
    text = (
        f"You have opened {count} ticket{'s' if count != 1 else ''} in the last {_window(window)}, "
        "so I haven't opened another one yet."
    )
    active = [f"#{ticket.number}" for ticket in recent if ticket.status.active]
    if not active:
        return text + f" Please try again here in {_wait(wait)}; your message is kept."
    if len(active) == 1:
        text += f" To add to ticket {active[0]}, write in its thread."
    else:
        text += f" To add to one of them ({', '.join(active[:-1])} or {active[-1]}), write in that ticket's thread."
    return text + f" Or try again here in {_wait(wait)}; your message is kept."


def _window(window: timedelta) -> str:
    # "the last hour" reads better than "the last 1 hour".
    return describe_duration(window).removeprefix("1 ")


def _wait(wait: timedelta) -> str:
    # Rounded up, so trying again at the time given always works.
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return describe_duration(timedelta(minutes=minutes) if minutes <= 90 else timedelta(hours=math.ceil(minutes / 60)))
