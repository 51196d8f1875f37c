"""A support desk built entirely from in-memory fakes: push a message, read the replies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bots.bootstrap import System, compose_system
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.customers.journeys import JourneySettings
from core.desk.context import MessageUnderstander, Moderators
from core.desk.pipeline import SupportDesk
from core.messages import (
    Address,
    Author,
    Choice,
    ChoiceMessage,
    CommandText,
    FileRef,
    Inbound,
    IncomingMessage,
    Outbound,
    Reply,
)
from core.ports import Chunk, Embedder, Notifier, SearchHit
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.text import clean_message
from core.tiers import Customer, TierDirectory
from core.understanding.classifier import EMPTY_PREDICTION, IntentPrediction
from core.understanding.intents import IntentCatalog
from core.understanding.understander import Understanding
from tests.fakes import memory_stores

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

# Where each platform's customers write: a thread of this workspace and channel.
PLACES = {"discord": ("guild1", "help"), "slack": ("T1", "C1"), "github": ("acme/app", "issues"), "console": ("", "")}


def place(platform: str, thread: str) -> Address:
    """The address of ``thread`` on ``platform`` as the harness's users write there."""
    workspace, channel = PLACES[platform]
    return Address(platform, workspace, channel, thread)


OOM = Chunk(
    "oom#0",
    "oom",
    "App killed with exit code 137",
    "Why it happens",
    "Exit code 137 means the container ran out of memory. Raise the memory limit or find the leak.",
    "oom.md",
    "https://docs.example.com/oom",
)


TWO_FA = Chunk(
    "2fa#0",
    "2fa",
    "Two-factor authentication",
    "Turning it on",
    "Open Account settings, choose Security and scan the QR code with an authenticator app.",
    "2fa.md",
    "https://docs.example.com/2fa",
)


class KeywordUnderstander:
    """Understands messages by keywords: the first rule whose word appears decides the intent.

    Each rule's keyword finds its article (``articles``; the OOM article unless named), the way the
    real index finds the article a message is about.
    """

    def __init__(
        self,
        catalog: IntentCatalog,
        rules: Sequence[tuple[str, str | None, float]],
        articles: Mapping[str, Chunk] | None = None,
    ) -> None:
        self._catalog = catalog
        self._rules = rules  # (keyword, intent or None for out of scope, score of the keyword's article)
        self._articles = ARTICLES if articles is None else articles

    def understand(self, raw: str | bytes) -> Understanding:
        """An Understanding as the real one would build it, without a model."""
        clean = clean_message(raw, 2000)
        if clean.empty:
            return Understanding("", clean.truncated, EMPTY_PREDICTION, None, None, ())
        for keyword, intent, score in self._rules:
            if keyword in clean.text.lower():
                reason = "confident" if intent else "out_of_scope"
                prediction = IntentPrediction(intent, intent, 0.9, 0.5, reason)
                spec = self._catalog.get(intent) if intent else None
                hits = (SearchHit(self._articles.get(keyword, OOM), score),) if score else ()
                category = spec.category if spec else None
                priority = spec.base_priority if spec else None
                return Understanding(clean.text, clean.truncated, prediction, category, priority, hits)
        return Understanding(
            clean.text, clean.truncated, IntentPrediction(None, None, 0.1, 0.0, "low_confidence"), None, None, ()
        )


RULES: tuple[tuple[str, str | None, float], ...] = (
    ("hello", "greeting_or_thanks", 0.0),
    ("2fa", "account_access", 0.8),
    ("137", "how_to_question", 0.8),
    ("invoice", "billing", 0.1),
    ("down", "service_down", 0.0),
    ("crash", "bug_report", 0.6),
    ("weather", None, 0.0),
)

ARTICLES: dict[str, Chunk] = {"2fa": TWO_FA}  # every other keyword finds the OOM article


class RecordingNotifier:
    """Keeps what the core sends; can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[Outbound] = []
        self.fail: Exception | None = None

    async def send(self, outbound: Outbound) -> None:
        """Record, or raise the configured failure."""
        if self.fail is not None:
            raise self.fail
        self.sent.append(outbound)


@dataclass
class Harness:
    """The desk with fakes, and helpers to talk to it like a user on a platform."""

    desk: SupportDesk
    store: Stores
    notifier: RecordingNotifier
    clock: ManualClock
    worker: EscalationWorker
    tiers: TierDirectory
    counter: list[int] = field(default_factory=lambda: [0])

    async def say(
        self,
        text: str | bytes,
        *,
        user: str = "ana",
        thread: str = "t1",
        roles: frozenset[str] = frozenset(),
        choice: str | None = None,
        command: bool = False,
        message_id: str | None = None,
        files: tuple[FileRef, ...] = (),
        platform: str = "discord",
    ) -> Sequence[Reply]:
        """Send a message as ``user`` in ``thread`` (of ``platform``, with ``files``) and return the desk's replies.

        ``choice`` (a value such as ``claim:3``) picks a choice instead, and ``command`` types a command.
        """
        self.counter[0] += 1
        address, author = place(platform, thread), Author(user, user.title(), roles)
        number = message_id if message_id is not None else f"m{self.counter[0]}"
        message: Inbound
        if choice is not None:
            picked = Choice.parse(choice)
            message = ChoiceMessage(address, author, picked.action, picked.ticket, number, score=picked.score)
        elif command:
            message = CommandText(address, author, text.decode() if isinstance(text, bytes) else text, number)
        else:
            message = IncomingMessage(address, author, text, number, files=files)
        return await self.desk.handle(message)

    async def mod(self, text: str, *, agent: str = "mo") -> Reply:
        """Run a moderator command as the moderator ``agent`` (``mo`` unless named); its one reply."""
        replies = await self.say(text, user=agent, thread="mod", roles=frozenset({"moderator"}), command=True)
        assert len(replies) == 1
        return replies[0]

    async def wait(self, delta: timedelta) -> list[Outbound]:
        """Move time on, run the escalation worker, and return what it sent."""
        before = len(self.notifier.sent)
        self.clock.advance(delta)
        await self.worker.run_once()
        return self.notifier.sent[before:]


def fake_system(
    settings: Settings,
    *,
    tiers: TierDirectory,
    stores: Stores,
    notifier: Notifier,
    clock: ManualClock,
    moderators: Moderators,
    understander: MessageUnderstander | None = None,
    embedder: Embedder | None = None,
    journeys: JourneySettings | None = None,
) -> System:
    """The system as ``bootstrap`` composes it, understanding by keywords (``RULES``) instead of a model."""
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    return compose_system(
        settings,
        understander=understander or KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        tiers=tiers,
        stores=stores,
        notifier=notifier,
        clock=clock,
        moderators=moderators,
        embedder=embedder,
        journeys=journeys,
    )


def make_harness(
    *,
    tier: str | None = None,
    store: Stores | None = None,
    understander: MessageUnderstander | None = None,
    settings: Settings | None = None,
    customers: Sequence[Customer] = (),
    embedder: Embedder | None = None,
    tiers_file: Path = DEFAULT_TIERS_FILE,
) -> Harness:
    """A desk on fakes; ``tier`` puts the user ``ana`` in that tier; ``understander`` replaces the keyword one.

    ``customers`` are added to the tier directory too, putting their identities in their tiers.
    """
    tiers = load_tiers(tiers_file)
    if tier is not None:
        tiers = tiers.with_customer(Customer("acme", "Acme", tier, ("discord:ana",)))
    for customer in customers:
        tiers = tiers.with_customer(customer)
    store = store or memory_stores()
    notifier, clock = RecordingNotifier(), ManualClock(START)
    system = fake_system(
        settings or Settings(),
        tiers=tiers,
        stores=store,
        notifier=notifier,
        clock=clock,
        moderators=Moderators(frozenset({"moderator"})),
        understander=understander,
        embedder=embedder,
    )
    return Harness(system.desk, store, notifier, clock, system.worker, tiers)
