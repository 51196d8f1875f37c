"""Who wrote a message as the customer store knows them: every identity linked to theirs, their account and tier.

Linked identities share one tier and one history: the tier comes from the person's account in the store first,
then from tiers.yaml's ``customers:`` list under any of the person's identities, then from the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.tiers import Customer

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Inbound
    from core.tiers import Membership


async def linked_identities(desk: Desk, message: Inbound) -> tuple[str, ...]:
    """The author's identity and every identity linked to it (``platform:id``), the author's own first."""
    mine = actor_of(message)
    person = await desk.stores.links.person_of(mine)
    if person is None:
        return (mine,)
    return (mine, *(identity for identity in person.identities if identity != mine))


async def membership(desk: Desk, message: Inbound) -> Membership:
    """The author's customer and tier, with the customer store's account deciding first (see the module)."""
    person = await desk.stores.links.person_of(actor_of(message))
    if person is None:
        return desk.tiers.resolve(message)
    if person.account is not None:
        account = await desk.stores.customers.get(person.account)
        if account is not None and desk.tiers.knows(account.tier):
            customer = Customer(account.id, account.name, account.tier, person.identities)
            return desk.tiers.resolve(message, customer)
    for identity in person.identities:
        listed = desk.tiers.customer_of(identity)
        if listed is not None:
            return desk.tiers.resolve(message, listed)
    return desk.tiers.resolve(message)
