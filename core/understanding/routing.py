"""The routing decision: answer, open a ticket, greet, or say the bot is unsure — and at what priority.

The intent head is one signal among several. In order: a frustrated customer goes to a person
(priority raised a level); so does a message in a language the model does not read (priority
from the words anyone can read); so does a request only staff can carry out (the policy shown
meanwhile). A head that is unsure still answers when the knowledge base holds a strong match,
unless the head is clearly sure the message is about something else. A question about an
incident's topic is answered, not escalated as that incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from core.tickets.priority import Priority
from core.understanding.intents import OUT_OF_SCOPE, Handling, IntentCatalog
from core.understanding.language import Languages
from core.understanding.requests import staff_action
from core.understanding.smalltalk import is_smalltalk
from core.understanding.urgency import asks_about_topic, message_priority, readable_urgency, reports_incident

if TYPE_CHECKING:
    from core.understanding.understander import Understanding


class Route(StrEnum):
    """What the desk does with a message."""

    ANSWER = "answer"  # answer from the docs; offer a ticket when they hold nothing
    TICKET = "ticket"  # a person is needed; the docs are shown too when they cover it
    GREETING = "greeting"
    UNSURE = "unsure"  # "not sure I can help", offering a ticket


class Why(StrEnum):
    """Which signal decided the route (kept for the reply's wording and for tests)."""

    INTENT = "intent"
    FRUSTRATED = "frustrated"
    LANGUAGE = "language"
    STAFF_ACTION = "staff_action"
    KNOWLEDGE = "knowledge"  # the head was unsure; a strong passage decided
    TOPIC_QUESTION = "topic_question"  # a question about an incident's topic, not an incident


@dataclass(frozen=True)
class RoutingRules:
    """The thresholds of the decision."""

    languages: Languages = field(default_factory=Languages)
    # A passage at least this similar to the message is the answer.
    answer_score: float = 0.45
    # The out-of-scope class must be at least this sure to turn down a strong passage.
    clear_out_of_scope: float = 0.75


@dataclass(frozen=True)
class Decision:
    """The route for one message, with what a ticket opened for it carries."""

    route: Route
    why: Why
    intent: str | None
    category: str | None
    priority: Priority
    language: str = ""
    frustrated: bool = False


def decide(understanding: Understanding, catalog: IntentCatalog, rules: RoutingRules, language: str = "") -> Decision:
    """Route a (non-empty) message; ``language`` is the message's, when the platform or detector knows it."""
    prediction, text = understanding.prediction, understanding.text
    language = (language or understanding.language).lower()
    spec = catalog.get(prediction.intent) if prediction.intent is not None else None
    frustrated = understanding.frustration.frustrated
    foreign = not rules.languages.serves(language)

    def ticket(why: Why, base: Priority, intent: str | None, category: str | None) -> Decision:
        priority = base.raised() if frustrated else base
        return Decision(Route.TICKET, why, intent, category, priority, language, frustrated)

    if foreign:  # the head read words it does not know: trust only what anyone can read
        if is_smalltalk(text) and not frustrated:
            return Decision(Route.GREETING, Why.LANGUAGE, None, None, Priority.LOW, language)
        return ticket(Why.LANGUAGE, readable_urgency(text), None, None)
    action = staff_action(text)
    useful = spec if spec is not None and spec.handling is not Handling.GREETING else None
    if frustrated:  # a greeting read from "you guys suck" is no intent to keep
        category = action.category if action else (useful.category if useful else None)
        base = useful.base_priority if useful else Priority.MEDIUM
        return ticket(Why.FRUSTRATED, base, useful.name if useful else None, category)
    if action is not None:
        if spec is not None and spec.handling is Handling.TICKET and reports_incident(text):
            return ticket(Why.STAFF_ACTION, spec.base_priority, spec.name, spec.category)
        # "export all my data" read as data loss is a request, not an incident: no incident's priority
        keep = useful is not None and useful.handling is not Handling.TICKET
        base = useful.base_priority if useful and keep else Priority.MEDIUM
        return ticket(Why.STAFF_ACTION, base, useful.name if useful and keep else None, action.category)
    if spec is None:
        return _unsure(understanding, rules, language)
    if spec.handling is Handling.GREETING:
        return Decision(Route.GREETING, Why.INTENT, spec.name, spec.category, spec.base_priority, language)
    priority = message_priority(text, spec.base_priority)
    if spec.handling is Handling.TICKET:
        if priority is not spec.base_priority and asks_about_topic(text):
            return Decision(Route.ANSWER, Why.TOPIC_QUESTION, spec.name, spec.category, priority, language)
        return Decision(Route.TICKET, Why.INTENT, spec.name, spec.category, priority, language)
    return Decision(Route.ANSWER, Why.INTENT, spec.name, spec.category, priority, language)


def _unsure(understanding: Understanding, rules: RoutingRules, language: str) -> Decision:
    """The head is unsure or reads it as out of scope: a strong passage still answers, unless it clearly is."""
    prediction = understanding.prediction
    clearly_else = prediction.best == OUT_OF_SCOPE and prediction.confidence >= rules.clear_out_of_scope
    strong = bool(understanding.hits) and understanding.hits[0].score >= rules.answer_score
    priority = readable_urgency(understanding.text)
    if strong and not clearly_else:
        return Decision(Route.ANSWER, Why.KNOWLEDGE, None, None, priority, language)
    return Decision(Route.UNSURE, Why.INTENT, None, None, priority, language)
