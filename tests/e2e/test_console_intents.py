"""Intent corrections end to end through the console: moderators correct, a retrain switches, the desk reads anew.

The understander is the real one, on the hashing embedder and a small catalog where customers who were charged
are read as having an account problem; no model is loaded.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bots.bootstrap import compose_system
from bots.console.app import ConsoleChat, ConsoleNotifier
from bots.console.translate import Identity
from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ShiftedClock
from core.desk.context import Moderators
from core.text import clean_message
from core.understanding.classifier import IntentClassifier, SoftmaxHead
from core.understanding.heads import HeadFolder, HeadFollower
from core.understanding.intents import Handling
from core.understanding.retrain import retrain
from core.understanding.understander import Understander
from tests.fakes import HashingEmbedder, memory_stores
from tests.intent_corrections_world import CHARGED, catalog

pytestmark = pytest.mark.asyncio

MODERATOR = Identity("mo", frozenset({"moderator"}), "mo-1")


def _understander(folder: HeadFolder, embedder: HashingEmbedder) -> Understander:
    intents = catalog(Handling.TICKET)
    pairs = intents.training_pairs()
    head = SoftmaxHead.fit(embedder.embed([clean_message(t).text for t, _ in pairs]), [label for _, label in pairs])
    base = IntentClassifier(head, 0.3, 0.03)
    labels = [*(i.name for i in intents.intents), "oos"]
    follower = HeadFollower(folder, base, embedder=embedder.name, labels=labels, every=0.0)
    return Understander(embedder, base, intents, None, heads=follower)


def _said(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_moderators_correct_tickets_in_the_console_and_the_retrained_head_reads_the_next_customer(
    tmp_path: Path,
) -> None:
    embedder, folder = HashingEmbedder(), HeadFolder(tmp_path / "intent_heads")
    intents, stores, notifier, clock = catalog(Handling.TICKET), memory_stores(), ConsoleNotifier(), ShiftedClock()
    system = compose_system(
        Settings(data_dir=tmp_path),
        understander=_understander(folder, embedder),
        catalog=intents,
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=stores,
        notifier=notifier,
        clock=clock,
        moderators=Moderators(frozenset({"moderator"})),
    )

    async def customer(n: int, text: str) -> dict[str, Any]:
        out = io.StringIO()
        await ConsoleChat(system, notifier, clock, Identity(f"c{n}", frozenset(), f"c{n}-1"), out).step(text, 1)
        return next(line for line in _said(out) if line["kind"] == "ticket")

    for n, text in enumerate(CHARGED, 1):
        opened = await customer(n, text)
        assert opened["intent"] == "account_access" and opened["ticket"] == n
    out = io.StringIO()
    mod = ConsoleChat(system, notifier, clock, MODERATOR, out)
    for n in range(1, len(CHARGED) + 1):
        await mod.step(f"/intent {n} billing", n)
    answers = [line["text"] for line in _said(out)]
    assert answers[0].startswith("Ticket #1 is now billing (was account_access)")
    assert len(answers) == len(CHARGED) and len(await stores.intent_examples.examples()) == len(CHARGED)
    result = retrain(embedder, intents, await stores.intent_examples.examples(), folder)
    assert result.version is not None and result.corrections[1].rate > result.corrections[0].rate
    # The same desk, not restarted: the next customer who was charged is read as billing.
    later = await customer(99, "someone charged my account")
    assert later["intent"] == "billing"
    ticket = await stores.tickets.get(later["ticket"])
    assert ticket is not None and ticket.intent == "billing"
