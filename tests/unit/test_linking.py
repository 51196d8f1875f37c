"""Verified linking: ``link`` codes (private, single use, ten minutes, rate-limited) and moderators' link/unlink."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

import pytest

from core.customers.codes import ALPHABET
from core.customers.records import Account, AccountEntry, PersonDraft
from core.messages import Destination, Reply, ReplyKind
from core.tiers import Customer
from tests.desk_fakes import START, Harness, make_harness

pytestmark = pytest.mark.asyncio

_CODE = re.compile(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b")


def _code_in(reply: Reply) -> str:
    found = _CODE.search(reply.text)
    assert found is not None, reply.text
    return found.group(1)


async def _one(replies: Sequence[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


async def _ask(h: Harness, user: str = "ana", platform: str = "discord") -> Reply:
    return await _one(await h.say("link", user=user, platform=platform, command=True))


async def _enter(h: Harness, code: str, user: str = "ana", platform: str = "slack") -> Reply:
    return await _one(await h.say(f"/link {code}", user=user, platform=platform, command=True))


async def test_a_code_from_discord_entered_on_slack_makes_one_person() -> None:
    h = make_harness()
    asked = await _ask(h)
    assert (asked.kind, asked.destination) == (ReplyKind.INFO, Destination.DIRECT)
    code = _code_in(asked)
    assert "within 10 minutes" in asked.text.lower() and all(c in ALPHABET for c in code.replace("-", ""))
    assert code not in repr(h.store.links.state.codes)  # type: ignore[attr-defined]  # kept as its hash only
    entered = await _enter(h, code.lower())  # typed in any case
    assert entered.kind is ReplyKind.INFO and "discord:ana and this account are one person" in entered.text
    person = await h.store.links.person_of("slack:ana")
    assert person is not None and person.identities == ("discord:ana", "slack:ana")
    [event] = await h.store.links.history(["slack:ana"])
    assert (event.action, event.actor) == ("linked", "slack:ana")
    assert (event.identity, event.other) == ("discord:ana", "slack:ana")


async def test_a_used_code_is_refused_the_second_time() -> None:
    h = make_harness()
    code = _code_in(await _ask(h))
    assert (await _enter(h, code)).kind is ReplyKind.INFO
    again = await _enter(h, code, user="bob", platform="github")
    assert again.kind is ReplyKind.ERROR and "does not work" in again.text
    assert await h.store.links.person_of("github:bob") is None


async def test_a_code_is_refused_once_ten_minutes_have_passed() -> None:
    h = make_harness()
    code = _code_in(await _ask(h))
    h.clock.advance(timedelta(minutes=10))
    late = await _enter(h, code)
    assert late.kind is ReplyKind.ERROR and "older than 10 minutes" in late.text
    assert await h.store.links.person_of("slack:ana") is None


async def test_a_guessed_or_malformed_code_is_refused_and_counted() -> None:
    h = make_harness()
    real = _code_in(await _ask(h))
    guess = "ABCDE-FGHJK" if real != "ABCDE-FGHJK" else "ABCDE-FGHJM"
    for typed in (guess, "12345", "ABCDE-FGHJ0"):  # a well-formed guess, too short, a letter not in the alphabet
        refused = await _enter(h, typed)
        assert refused.kind is ReplyKind.ERROR and "does not work" in refused.text
    assert await h.store.links.failures_since(["slack:ana"], START) == 3
    assert await h.store.links.person_of("slack:ana") is None


async def test_five_wrong_codes_stop_even_the_right_one_for_fifteen_minutes() -> None:
    h = make_harness()
    code = _code_in(await _ask(h))
    for _ in range(5):
        await _enter(h, "ZZZZZ-ZZZZZ" if code != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY")
    stopped = await _enter(h, code)
    assert stopped.kind is ReplyKind.ERROR and "Too many wrong codes" in stopped.text
    h.clock.advance(timedelta(minutes=9))
    fresh = _code_in(await _ask(h))  # the first code expired meanwhile; the stop still holds at 9 minutes
    assert "Too many" in (await _enter(h, fresh)).text
    h.clock.advance(timedelta(minutes=7))
    assert (await _enter(h, fresh)).kind is ReplyKind.INFO


async def test_a_person_gets_three_codes_an_hour() -> None:
    h = make_harness()
    codes = [_code_in(await _ask(h)) for _ in range(3)]
    assert len(set(codes)) == 3
    refused = await _ask(h)
    assert refused.kind is ReplyKind.ERROR and "3 link codes in the last hour" in refused.text
    assert refused.destination is Destination.DIRECT
    h.clock.advance(timedelta(minutes=61))
    assert _CODE.search((await _ask(h)).text)


async def test_a_code_entered_by_the_same_account_links_nothing() -> None:
    h = make_harness()
    code = _code_in(await _ask(h))
    own = await _enter(h, code, platform="discord")
    assert own.kind is ReplyKind.ERROR and "same account" in own.text
    assert await h.store.links.person_of("discord:ana") is None


async def test_no_code_is_given_where_the_answer_is_public() -> None:
    h = make_harness()
    public = await _ask(h, platform="github")
    assert public.kind is ReplyKind.ERROR and _CODE.search(public.text) is None
    assert h.store.links.state.codes == {}  # type: ignore[attr-defined]


async def test_linked_identities_share_the_accounts_tier_and_one_ticket_limit() -> None:
    h = make_harness()
    acme = Account("acme", "Acme Corp", "enterprise")
    await h.store.customers.save([AccountEntry(acme, (PersonDraft("Ana", ("discord:ana",)),))], START)
    await _enter(h, _code_in(await _ask(h)))
    [opened] = await h.say("the service is down again", user="ana", thread="s1", platform="slack")
    ticket = await h.store.tickets.get(opened.ticket or 0)
    assert ticket is not None and (ticket.customer, ticket.tier) == ("acme", "enterprise")
    for n in (2, 3):
        await h.say("the service is down again", user="ana", thread=f"d{n}")
    [refused] = await h.say("the API is down too", user="ana", thread="s4", platform="slack")
    assert refused.ticket is None and "You have opened 3 tickets" in refused.text


async def test_moderators_link_and_unlink_and_both_are_audited() -> None:
    h = make_harness()
    linked = await h.mod("customer link @ana slack:U0ANA")
    assert linked.kind is ReplyKind.INFO and "discord:ana, slack:U0ANA are one person" in linked.text
    unlinked = await h.mod("customer unlink slack:U0ANA")
    assert "slack:U0ANA is no longer the same person as discord:ana" in unlinked.text
    history = await h.store.links.history(["slack:U0ANA"])
    assert [(e.action, e.actor) for e in history] == [("unlinked", "discord:mo"), ("linked", "discord:mo")]
    again = await h.mod("customer unlink slack:U0ANA")
    assert again.kind is ReplyKind.ERROR and "not linked to anyone else" in again.text


async def test_people_of_two_accounts_are_not_linked_and_customers_may_not_link_others() -> None:
    h = make_harness()
    entries = [
        AccountEntry(Account("acme", "Acme", "enterprise"), (PersonDraft("Ana", ("discord:ana",)),)),
        AccountEntry(Account("globex", "Globex", "professional"), (PersonDraft("Gil", ("slack:U0GIL",)),)),
    ]
    await h.store.customers.save(entries, START)
    refused = await h.mod("customer link @ana slack:U0GIL")
    assert refused.kind is ReplyKind.ERROR and "never joined" in refused.text
    same = await h.mod("customer link @ana discord:ana")
    assert same.kind is ReplyKind.ERROR and "same identity" in same.text
    [customer] = await h.say("customer link @ana slack:U0GIL", user="bob", command=True)
    assert customer.kind is ReplyKind.ERROR and "Only moderators" in customer.text
    assert await h.store.links.history(["discord:ana"]) == []


async def test_a_tiers_yaml_customer_identity_lends_its_tier_to_the_identities_linked_to_it() -> None:
    h = make_harness(customers=[Customer("globex", "Globex", "professional", ("discord:ana",))])
    [before] = await h.say("the service is down again", user="ana", thread="s1", platform="slack")
    first = await h.store.tickets.get(before.ticket or 0)
    assert first is not None and first.tier == "community"  # slack:ana is nobody yet
    await _enter(h, _code_in(await _ask(h)))
    h.clock.advance(timedelta(minutes=11))
    [after] = await h.say("the service is down again", user="ana", thread="s2", platform="slack")
    second = await h.store.tickets.get(after.ticket or 0)
    assert second is not None and (second.customer, second.tier) == ("globex", "professional")


async def test_the_stores_account_decides_before_the_tiers_yaml_list() -> None:
    h = make_harness(customers=[Customer("acme", "Acme", "professional", ("discord:ana",))])
    await h.store.customers.save(
        [AccountEntry(Account("acme", "Acme", "white-glove"), (PersonDraft("Ana", ("discord:ana",)),))], START
    )
    [opened] = await h.say("the service is down again", user="ana", thread="d1")
    ticket = await h.store.tickets.get(opened.ticket or 0)
    assert ticket is not None and (ticket.customer, ticket.tier) == ("acme", "white-glove")
