"""A person links their console and Slack identities with a code, end to end through the console and the
real Slack app on the fake Slack, over one store: the Slack identity then has the account's tier."""

from __future__ import annotations

import asyncio
import re

import pytest

from core.customers.records import Account, AccountEntry, PersonDraft
from tests.adapters.slack_fake import payload
from tests.adapters.slack_world import ANA, make_world, shown, slash
from tests.console_world import ConsoleWorld
from tests.desk_fakes import START

pytestmark = pytest.mark.asyncio

_CODE = re.compile(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b")


async def test_a_code_from_the_console_entered_on_slack_joins_them_into_the_account() -> None:
    console = ConsoleWorld()  # "ana" at the terminal, a customer (no moderator role)
    acme = Account("acme", "Acme Corp", "enterprise")
    await console.stores.customers.save([AccountEntry(acme, (PersonDraft("Ana", ("console:ana",)),))], START)
    printed = await asyncio.to_thread(console.talk, ["/link"])
    found = _CODE.search(printed)
    assert found is not None and "only you can see it" in printed, printed

    world = await make_world(store=console.stores, clock=console.clock)
    try:
        await world.command(slash(ANA, f"link {found.group(1)}", world, trigger="3.link"))
        [answer] = world.slack.responses()
        assert answer["response_type"] == "ephemeral", answer  # answered to Ana alone
        assert "console:ana and this account are one person" in shown(answer)
        assert world.slack.posts() == []
        person = await world.store.links.person_of(f"slack:{ANA}")
        assert person is not None and (person.account, person.identities) == ("acme", ("console:ana", f"slack:{ANA}"))

        outage = payload("event_message")  # Ana in the support channel, a workspace no tier rule knows
        outage["event"]["text"] = outage["event"]["blocks"][0]["elements"][0]["elements"][0]["text"] = (
            "the service is down again"
        )
        await world.event(outage)
        ticket = await world.store.tickets.get(1)
        assert ticket is not None and (ticket.requester_id, ticket.customer, ticket.tier) == (ANA, "acme", "enterprise")

        reused = await asyncio.to_thread(console.talk, [f"/link {found.group(1)}"])
        assert "does not work" in reused  # the code was used once, on Slack
    finally:
        await world.close()
