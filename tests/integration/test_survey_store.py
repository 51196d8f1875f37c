"""Contract tests for the SQL ``Surveys`` (the in-memory fake is the surveys helper's; it joins these at merge)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.messages import Address
from core.satisfaction.records import NewSurvey, SurveyKind, SurveyNotFoundError
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")
DM = Address("slack", "T1", "D1")
CSAT = NewSurvey(SurveyKind.CSAT, 7, "slack", "U1", THREAD, "pro", "bob", T0)
NPS = NewSurvey(SurveyKind.NPS, None, "slack", "U1", DM, "pro", None, T0)


async def test_one_csat_survey_per_ticket(store: Stores) -> None:
    first = await store.surveys.send(CSAT)
    assert first is not None and (first.kind, first.ticket, first.agent, first.score) == (
        SurveyKind.CSAT,
        7,
        "bob",
        None,
    )
    assert await store.surveys.send(replace(CSAT, sent_at=T0 + timedelta(days=2))) is None
    assert await store.surveys.for_ticket(7) == first
    assert await store.surveys.get(first.id) == first
    other = await store.surveys.send(replace(CSAT, ticket=8))
    assert other is not None and other.id != first.id


async def test_two_workers_asking_nps_the_same_day_ask_once(store: Stores) -> None:
    sent = await asyncio.gather(
        store.surveys.send(NPS), store.surveys.send(replace(NPS, sent_at=T0 + timedelta(hours=3)))
    )
    assert sorted(s is None for s in sent) == [False, True]
    assert len(await store.surveys.sent_between(T0, T0 + timedelta(days=1))) == 1
    tomorrow = await store.surveys.send(replace(NPS, sent_at=T0 + timedelta(days=1)))
    assert tomorrow is not None
    assert await store.surveys.latest_for(SurveyKind.NPS, "slack", "U1") == tomorrow
    assert await store.surveys.latest_for(SurveyKind.CSAT, "slack", "U1") is None


async def test_changing_a_rating_keeps_when_it_was_first_given(store: Stores) -> None:
    sent = await store.surveys.send(CSAT)
    assert sent is not None
    commented = await store.surveys.answer(sent.id, None, "slow at first", T0 + timedelta(minutes=1))
    assert (commented.score, commented.comment, commented.answered_at) == (None, "slow at first", None)
    rated = await store.surveys.answer(sent.id, 3, None, T0 + timedelta(minutes=2))
    changed = await store.surveys.answer(sent.id, 5, None, T0 + timedelta(days=2))
    assert (rated.score, rated.answered_at, rated.comment) == (3, T0 + timedelta(minutes=2), "slow at first")
    assert (changed.score, changed.answered_at, changed.updated_at) == (5, rated.answered_at, T0 + timedelta(days=2))
    assert await store.surveys.get(sent.id) == changed


async def test_a_score_off_the_scale_is_refused_and_changes_nothing(store: Stores) -> None:
    csat, nps = await store.surveys.send(CSAT), await store.surveys.send(NPS)
    assert csat is not None and nps is not None
    with pytest.raises(ValueError, match="CSAT score is a whole number from 1 to 5, not 0"):
        await store.surveys.answer(csat.id, 0, "meh", T0)
    with pytest.raises(ValueError, match="NPS score is a whole number from 0 to 10, not 11"):
        await store.surveys.answer(nps.id, 11, None, T0)
    assert await store.surveys.get(csat.id) == csat
    assert (await store.surveys.answer(nps.id, 0, None, T0)).score == 0
    with pytest.raises(LookupError, match="no survey #999"):
        await store.surveys.answer(999, 3, None, T0)


async def test_surveys_sent_in_a_period_oldest_first(store: Stores) -> None:
    for day in (2, 0, 1):
        await store.surveys.send(replace(CSAT, ticket=day, sent_at=T0 + timedelta(days=day)))
    found = await store.surveys.sent_between(T0, T0 + timedelta(days=2))
    assert [s.ticket for s in found] == [0, 1]


async def test_the_latest_survey_in_a_conversation_is_of_any_kind_and_only_that_persons(store: Stores) -> None:
    csat = await store.surveys.send(CSAT)
    assert await store.surveys.latest_in(THREAD, "U1") == csat
    nps = await store.surveys.send(replace(NPS, address=THREAD, sent_at=T0 + timedelta(hours=1)))
    assert nps is not None and await store.surveys.latest_in(THREAD, "U1") == nps
    assert await store.surveys.latest_in(THREAD, "U2") is None
    assert await store.surveys.latest_in(replace(THREAD, thread="1700000000.2"), "U1") is None
    assert await store.surveys.latest_in(DM, "U1") is None


async def test_answering_a_survey_that_does_not_exist_names_it(store: Stores) -> None:
    with pytest.raises(SurveyNotFoundError, match="there is no survey #99") as caught:
        await store.surveys.answer(99, 4, None, T0)
    assert caught.value.number == 99
