"""Intents: what a support message is about, its category and how urgent it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.tickets.records import Priority

OUT_OF_SCOPE = "oos"


class Handling(StrEnum):
    """What the desk does with a message of an intent."""

    ANSWER = "answer"  # answer from the knowledge base; a ticket only if the customer asks
    TICKET = "ticket"  # a human is needed: open a ticket (and answer too if the docs cover it)
    GREETING = "greeting"  # a short friendly reply


@dataclass(frozen=True)
class IntentSpec:
    """One intent from ``intents.yaml`` with its training examples."""

    name: str
    description: str
    category: str
    base_priority: Priority
    examples: tuple[str, ...]
    handling: Handling = Handling.ANSWER


@dataclass(frozen=True)
class IntentCatalog:
    """All configured intents, looked up by name."""

    intents: tuple[IntentSpec, ...]
    # Messages about nothing the team supports; trained as their own class so the
    # classifier learns what "none of these" looks like.
    out_of_scope_examples: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [intent.name for intent in self.intents]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate intent names: {', '.join(duplicates)}")

    def get(self, name: str) -> IntentSpec:
        """The intent called ``name``; ``KeyError`` if there is none."""
        for intent in self.intents:
            if intent.name == name:
                return intent
        raise KeyError(name)

    def training_pairs(self) -> list[tuple[str, str]]:
        """``(example, intent name)`` pairs for training the classifier."""
        pairs = [(example, intent.name) for intent in self.intents for example in intent.examples]
        return pairs + [(example, OUT_OF_SCOPE) for example in self.out_of_scope_examples]
