"""An account's score of the day is computed again when a ticket of theirs is resolved or a survey answered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.customers.records import Account, AccountEntry, PersonDraft
from core.messages import ReplyKind
from tests.desk_fakes import make_harness

MOD = frozenset({"moderator"})


@pytest.mark.asyncio
async def test_resolving_and_rating_rescore_the_account_the_same_day() -> None:
    h = make_harness()
    account = Account("acme", "Acme", "enterprise", seats=10)
    await h.store.customers.save([AccountEntry(account, (PersonDraft("Ana", ("discord:ana",)),))], h.clock.now())
    [ack] = await h.say("the whole API is down since this morning")
    assert ack.kind is ReplyKind.TICKET
    assert await h.store.health.history("acme", h.clock.now().date()) == []  # nothing scored it yet
    await h.say("resolve 1", command=True, user="mo", roles=MOD)
    [resolved] = await h.store.health.history("acme", h.clock.now().date())
    assert "satisfaction" in resolved.missing  # no survey answered yet
    survey = await h.store.surveys.for_ticket(1)
    assert survey is not None
    h.clock.advance(timedelta(minutes=5))
    await h.say("rate 5", command=True)
    [rated] = await h.store.health.history("acme", h.clock.now().date())  # one row a day, replaced
    assert rated.computed_at > resolved.computed_at
    assert "satisfaction" not in rated.missing and rated.score != resolved.score
