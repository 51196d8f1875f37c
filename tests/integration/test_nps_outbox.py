"""NPS through the outbox, on every store: the question is queued with the survey row, asked once across
workers, and a worker that dies before sending leaves it for the next drain."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.tiers import load_tiers
from core.clock import ManualClock
from core.messages import Action, Address, Outbound, Reply, ReplyKind
from core.satisfaction.nps import NpsRound
from core.satisfaction.policy import SatisfactionPolicy
from core.satisfaction.records import NewSurvey, SurveyKind
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketStatus
from tests.desk_fakes import RecordingNotifier
from tests.scale_worker import TIERS

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")


async def _resolved_enterprise_ticket(store: Stores) -> None:
    draft = NewTicket("acme", "enterprise", THREAD, "U1", "Ana", "API down", None, Priority.HIGH, T0, None, None)
    ticket = await store.tickets.open_ticket(draft, "helpline")
    done = TicketChange(status=TicketStatus.RESOLVED, resolved_at=T0 + timedelta(hours=1))
    await store.tickets.update(
        ticket.number, done, TicketEvent(ticket.number, T0 + timedelta(hours=1), "bob", "resolved")
    )


def _worker(
    store: Stores, clock: ManualClock, notifier: RecordingNotifier, tmp_path: Path, owner: str
) -> EscalationWorker:
    tiers_file = tmp_path / "tiers.yaml"
    tiers_file.write_text(TIERS)
    nps = NpsRound(store, clock, SatisfactionPolicy(), every=timedelta(hours=1))
    return EscalationWorker(store, load_tiers(tiers_file), notifier, clock, owner=owner, nps=nps)


def _questions(notifier: RecordingNotifier) -> list[Outbound]:
    return [o for o in notifier.sent if o.reply.kind is ReplyKind.SURVEY and "recommend" in o.reply.text]


async def test_two_workers_ask_once_and_the_question_is_queued_with_the_survey(store: Stores, tmp_path: Path) -> None:
    await _resolved_enterprise_ticket(store)
    clock, notifier = ManualClock(T0 + timedelta(hours=2)), RecordingNotifier()
    first, second = (_worker(store, clock, notifier, tmp_path, owner) for owner in ("w1", "w2"))
    assert first.nps is not None and second.nps is not None
    asked = await asyncio.gather(first.nps.run_once(), second.nps.run_once())  # both rounds at once
    assert sorted(len(surveys) for surveys in asked) == [0, 1]
    (queued,) = await store.outbox.outbox()
    (survey,) = [s for surveys in asked for s in surveys]
    assert queued.outbound.address == THREAD
    assert [(c.action, c.ticket, c.score) for c in queued.outbound.reply.choices] == [
        (Action.RATE, survey.id, n) for n in range(11)
    ]
    await first.run_once()
    await second.run_once()
    (question,) = _questions(notifier)
    assert question.reply.choices[9].value == f"rate:{survey.id}:9"  # the score survives the outbox


async def test_a_worker_that_dies_after_asking_leaves_the_question_for_another(store: Stores, tmp_path: Path) -> None:
    await _resolved_enterprise_ticket(store)
    clock, notifier = ManualClock(T0 + timedelta(hours=2)), RecordingNotifier()
    dying = _worker(store, clock, notifier, tmp_path, "w1")
    assert dying.nps is not None and len(await dying.nps.run_once()) == 1  # queued; the process dies before its drain
    survivor = _worker(store, clock, notifier, tmp_path, "w2")
    await survivor.run_once()
    await survivor.run_once()
    assert len(_questions(notifier)) == 1
    assert await store.surveys.latest_for(SurveyKind.NPS, "slack", "U1") is not None


async def test_a_question_that_cannot_be_built_stores_no_survey(store: Stores) -> None:
    def broken(_: object) -> Outbound:
        raise RuntimeError("no wording")

    draft = NewSurvey(SurveyKind.NPS, None, "slack", "U1", THREAD, "enterprise", None, T0)
    with pytest.raises(RuntimeError):
        await store.surveys.send(draft, broken)
    assert await store.surveys.latest_for(SurveyKind.NPS, "slack", "U1") is None
    assert await store.outbox.outbox() == []
    plain = await store.surveys.send(draft, lambda s: Outbound(THREAD, Reply(ReplyKind.SURVEY, f"survey {s.id}")))
    assert plain is not None
    (queued,) = await store.outbox.outbox()
    assert queued.outbound.reply.text == f"survey {plain.id}"
