"""An account's health score kept fresh after the events it is made of: a ticket resolved, a survey answered.

The worker scores every account once a day; these events change the support and satisfaction parts at once, so
the account's score of the day is computed again when one happens (``rescore``, which replaces today's row).
A failure is logged and never fails the event: the daily pass scores the account anyway.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.customers.health_pass import rescore

if TYPE_CHECKING:
    from core.desk.context import Desk

log = logging.getLogger("helpline.health")


async def rescore_customer(desk: Desk, customer: str) -> None:
    """Score account ``customer`` again now, if it is an account of the customer store."""
    try:
        account = await desk.stores.customers.get(customer)
        if account is not None:
            await rescore(desk.stores, account, desk.clock)
    except Exception:  # the event stands; the worker's daily pass scores the account anyway
        log.exception("rescoring account %s after an event failed", customer)


async def rescore_person(desk: Desk, identity: str) -> None:
    """Score the account of the person with ``identity`` (``platform:id``) again now, if they are in one."""
    person = await desk.stores.links.person_of(identity)
    if person is not None and person.account is not None:
        await rescore_customer(desk, person.account)
