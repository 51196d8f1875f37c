"""What the customer is told when a message goes to a person for a reason other than its intent."""

from __future__ import annotations

from core.understanding.routing import Decision, Why

# "I can't answer messages in your language myself yet, so I've passed yours to a person."
IN_THEIR_LANGUAGE = {
    "de": "Ich kann Nachrichten auf Deutsch noch nicht selbst beantworten und habe Ihre Nachricht deshalb an "
    "eine Person aus unserem Team weitergegeben.",
    "es": "Todavía no puedo responder yo mismo a mensajes en español, así que he pasado su mensaje a una persona "
    "de nuestro equipo.",
    "fr": "Je ne peux pas encore répondre moi-même aux messages en français : j'ai transmis votre message à une "
    "personne de notre équipe.",
    "it": "Non posso ancora rispondere da solo ai messaggi in italiano, quindi ho inoltrato il suo messaggio a una "
    "persona del nostro team.",
    "pt": "Ainda não consigo responder sozinho a mensagens em português, por isso encaminhei a sua mensagem a uma "
    "pessoa da nossa equipa.",
    "nl": "Ik kan berichten in het Nederlands nog niet zelf beantwoorden, dus ik heb uw bericht doorgestuurd naar "
    "iemand van ons team.",
}
IN_ENGLISH = "I can't answer messages in this language myself yet, so I've passed yours to a person on the team."
FRUSTRATED = "I'm sorry this has been frustrating. I've passed it straight to a person."
STAFF_ACTION = "That is something a person on the team has to carry out, so I've passed it on."


def handoff_note(decision: Decision) -> str:
    """The sentence that goes before a ticket's acknowledgement, or ``""`` when the intent alone explains it."""
    if decision.why is Why.LANGUAGE:
        return IN_THEIR_LANGUAGE.get(decision.language, IN_ENGLISH)
    if decision.frustrated:
        return FRUSTRATED
    if decision.why is Why.STAFF_ACTION:
        return STAFF_ACTION
    return ""
