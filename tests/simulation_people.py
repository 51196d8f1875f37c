"""Who takes part in the simulated month, and the ledger the simulation writes of what it did.

The ledger is the raw record the brute-force reference reads besides the store's tickets and logs: each
knowledge-base answer the customers were given, their votes on it, each survey they were sent and each
rating they typed or picked. It is written from what the desk said and what the simulated people did, not
read back from any store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.messages import Address
from core.tiers import Customer


@dataclass(frozen=True)
class Person:
    """A simulated customer: their id, the platform they write on and the tier their company pays for."""

    user: str
    platform: str
    tier: str


def _people(tier: str, prefix: str, platforms: tuple[str, ...], count: int) -> tuple[Person, ...]:
    return tuple(Person(f"{prefix}{n}", platforms[n % len(platforms)], tier) for n in range(count))


# Community is served on Discord, GitHub and the console only; the paying tiers everywhere.
PEOPLE: tuple[Person, ...] = (
    _people("community", "c", ("discord", "github", "discord"), 12)
    + _people("professional", "p", ("discord", "slack", "github"), 8)
    + _people("enterprise", "e", ("slack", "discord", "github"), 8)
    + _people("white-glove", "w", ("slack", "discord"), 4)
)
AGENTS = ("mo", "lu", "ra", "ki")  # the moderators who claim, reply, resolve and reopen


def customers() -> tuple[Customer, ...]:
    """One customer per paying tier, holding that tier's people (community is the default tier)."""
    found = []
    for tier in ("professional", "enterprise", "white-glove"):
        identities = tuple(f"{p.platform}:{p.user}" for p in PEOPLE if p.tier == tier)
        found.append(Customer(f"{tier}-co", f"{tier.title()} Co", tier, identities))
    return tuple(found)


def person_of(platform: str, user: str) -> Person:
    """The simulated person with this id on this platform."""
    return next(p for p in PEOPLE if p.platform == platform and p.user == user)


@dataclass(frozen=True)
class AnswerGiven:
    """The bot answered from the knowledge base in a thread (the reply carried a citation)."""

    address: Address
    at: datetime
    url: str


@dataclass(frozen=True)
class Vote:
    """A customer pressed helpful (True) or not helpful (False) under the thread's latest answer."""

    address: Address
    at: datetime
    helpful: bool


@dataclass(frozen=True)
class SurveySent:
    """A survey question the desk or the worker sent (its id is the number its choices carry)."""

    id: int
    kind: str  # csat or nps
    at: datetime
    address: Address
    person: str
    ticket: int | None


@dataclass(frozen=True)
class Rating:
    """A score a customer gave a survey (picked, or typed as ``rate N``), and whether the desk refused it."""

    survey: int
    at: datetime
    score: int
    refused: bool = False  # the desk answered with an error (e.g. the change window had passed)


@dataclass
class Ledger:
    """Everything the simulation did that the reference needs beyond the tickets' own logs."""

    answers: list[AnswerGiven] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    surveys: list[SurveySent] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    tickets: list[int] = field(default_factory=list)  # the tickets the simulated conversations opened
