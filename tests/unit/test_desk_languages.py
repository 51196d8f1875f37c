"""Messages in a language the model does not read go to a person, told so in their language."""

from __future__ import annotations

import pytest

from config.settings import ModelSettings, Settings
from core.messages import Address, Author, IncomingMessage, ReplyKind
from core.tickets.records import Priority
from tests.desk_fakes import Harness, make_harness
from tests.understanding_fakes import Reading, ScriptedUnderstander

pytestmark = pytest.mark.asyncio

GERMAN_OUTAGE = "Unsere Produktion ist komplett ausgefallen, alle Apps liefern 503"
GERMAN_QUESTION = "Wie füge ich eine eigene Domain zu meiner App hinzu?"
SPANISH_QUESTION = "¿Cómo añado un dominio personalizado a mi aplicación?"
SCRIPT = {
    GERMAN_OUTAGE: Reading("billing", 0.21, 0.34),  # what the English model made of it
    GERMAN_QUESTION: Reading("oos", 0.45, 0.17),
    SPANISH_QUESTION: Reading("oos", 0.40, 0.22),
}


def harness(*languages: str, score: float = 0.0) -> Harness:
    script = SCRIPT if not score else {text: Reading("how_to_question", 0.8, score) for text in SCRIPT}
    settings = Settings(model=ModelSettings(languages=languages)) if languages else None
    return make_harness(understander=ScriptedUnderstander(script), settings=settings)


async def test_a_german_outage_report_is_a_critical_ticket_answered_in_german() -> None:
    h = harness()
    [reply] = await h.say(GERMAN_OUTAGE)
    assert reply.kind is ReplyKind.TICKET
    assert "an eine Person aus unserem Team weitergegeben" in reply.text
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.priority is Priority.CRITICAL and ticket.language == "de"  # "503" and "ausgefallen" count
    listed = (await h.mod("tickets")).text
    assert "language de" in listed


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [(GERMAN_QUESTION, "de", "Ich kann Nachrichten auf Deutsch"), (SPANISH_QUESTION, "es", "en español")],
)
async def test_a_question_in_another_language_is_never_declined(text: str, language: str, words: str) -> None:
    h = harness()
    [reply] = await h.say(text)
    assert reply.kind is ReplyKind.TICKET and words in reply.text
    assert "not sure" not in reply.text and "out of scope" not in reply.text
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.language == language and ticket.priority is Priority.MEDIUM


async def test_a_language_without_a_shipped_sentence_is_told_in_english() -> None:
    h = make_harness(understander=ScriptedUnderstander({}))
    [reply] = await h.say("Как добавить свой домен к моему приложению?")
    assert reply.kind is ReplyKind.TICKET and "can't answer messages in this language" in reply.text
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.language == "ru"


async def test_the_platform_can_tell_the_language_of_a_message_too_short_to_detect() -> None:
    h = harness()
    message = IncomingMessage(
        Address("discord", "g", "help", "t9"), Author("ana", "Ana"), "Hilfe, 503!", "m1", language="de"
    )
    [reply] = await h.desk.handle(message)
    assert reply.kind is ReplyKind.TICKET and "Deutsch" in reply.text


async def test_with_a_multilingual_model_german_and_spanish_questions_get_their_articles() -> None:
    h = harness("en", "de", "es", score=0.7)
    for text in (GERMAN_QUESTION, SPANISH_QUESTION):
        [reply] = await h.say(text, thread=text)
        assert reply.kind is ReplyKind.ANSWER and reply.citation is not None
    assert await h.store.tickets.list_tickets() == []


async def test_an_english_message_is_not_mistaken_for_another_language() -> None:
    h = harness()
    [reply] = await h.say("my app exits with 137 and I don't know why")
    assert reply.kind is not ReplyKind.TICKET


async def test_thanks_in_another_language_get_a_reply_in_it_not_a_ticket() -> None:
    h = harness()
    [reply] = await h.say("danke, das hat geholfen!")
    assert reply.kind is ReplyKind.INFO and reply.text.startswith("Gern geschehen")
    [reply] = await h.say("Hallo, unsere App ist seit heute Morgen down", thread="t2")  # a greeting, then a problem
    assert reply.kind is ReplyKind.TICKET
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.priority is Priority.CRITICAL and ticket.language == "de"
