"""Whether a message continues a ticket's conversation or starts a new one, and whether a problem is back.

Pure functions over what the understander found: the intents, their categories and the knowledge-base
articles each message is closest to. They never guess a new conversation from one signal alone.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from core.understanding.intents import Handling

if TYPE_CHECKING:
    from core.understanding.intents import IntentCatalog, IntentSpec
    from core.understanding.understander import Understanding

# What a customer says when a resolved problem returns ("it's down again", "still failing", "not fixed").
_BACK = re.compile(
    r"\b(again|still|(?:is|it's|its|are|came|comes|coming|it is) back|not (?:fixed|solved|resolved)"
    r"|(?:isn't|wasn't|hasn't been|never got|never was) (?:fixed|solved|resolved)|returned|reappear\w*"
    r"|recurr\w*|same (?:problem|issue|error|thing|bug))\b",
    re.IGNORECASE,
)


# Categories (from intents.yaml) of something broken: a bug turning into an outage is the same problem growing.
_BROKEN = frozenset({"bug", "incident", "performance"})


class Topic(StrEnum):
    """How a message stands to a ticket's topic."""

    SAME = "same"  # it continues the ticket's conversation
    UNSURE = "unsure"  # it looks different: the customer is asked
    NEW = "new"  # it is certainly something else: a new conversation starts


def problem_is_back(text: str) -> bool:
    """True when the customer says a problem returned, as the resolution notice invites them to."""
    return _BACK.search(text) is not None


def compare(
    ticket_intent: str | None, earlier: Understanding, now: Understanding, catalog: IntentCatalog, answer_score: float
) -> Topic:
    """How ``now`` (a new message) stands to a ticket about ``earlier`` (its subject) with ``ticket_intent``.

    A message without a confident intent ("any news?") or small talk continues the conversation; so does
    one with the ticket's intent, one the docs tie to the same article, or something broken getting worse
    (a bug, then an outage). A new conversation is certain only when the kinds of problem differ and the
    docs place each message in a different article; any other difference is asked about.
    """
    intent = now.prediction.intent
    spec = _spec(catalog, intent)
    if spec is None or spec.handling is Handling.GREETING:
        return Topic.SAME
    before_intent = ticket_intent or earlier.prediction.intent
    if intent == before_intent:
        return Topic.SAME
    before, after = _article(earlier, answer_score), _article(now, answer_score)
    if before is not None and before == after:
        return Topic.SAME
    before_spec = _spec(catalog, before_intent)
    if before_spec is None:  # nothing known about the ticket's topic: ask rather than guess
        return Topic.UNSURE
    same_kind = _kind(before_spec.category) == _kind(spec.category)
    if before is not None and after is not None:
        return Topic.UNSURE if same_kind else Topic.NEW
    return Topic.SAME if same_kind else Topic.UNSURE


def _kind(category: str) -> str:
    return "broken" if category in _BROKEN else category


def _spec(catalog: IntentCatalog, intent: str | None) -> IntentSpec | None:
    if intent is None:
        return None
    try:
        return catalog.get(intent)
    except KeyError:  # an intent removed from intents.yaml since the ticket was opened
        return None


def _article(understanding: Understanding, answer_score: float) -> str | None:
    """The article the docs confidently place a message in, if any."""
    hits = understanding.hits
    return hits[0].chunk.doc_id if hits and hits[0].score >= answer_score else None
