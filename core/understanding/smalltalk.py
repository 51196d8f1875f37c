"""Thanks and greetings in the languages Helpline ships a sentence for, and the short replies to them.

A German "danke, das hat geholfen!" is not a problem for a person: it gets a "gern geschehen", as
an English "thanks" gets a "you're welcome", instead of a ticket.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE | re.UNICODE
THANKS = re.compile(
    r"\b(thanks?|thank you|thx|ty|cheers|danke|dankeschön|vielen dank|gracias|merci|grazie|obrigad[oa]|dank je"
    r"|dank u|bedankt)\b",
    _FLAGS,
)
# A whole message that is only a greeting or a goodbye.
GREETING = re.compile(
    r"^\W*(hallo|hi|hey|servus|moin|guten (morgen|tag|abend)|hola|buen[oa]s( días| tardes| noches)?|bonjour|salut"
    r"|bonsoir|ciao|buongiorno|salve|olá|oi|bom dia|goedemorgen|hoi|tschüss|adiós|au revoir|arrivederci|tchau)"
    r"(\s+(zusammen|alle|a todos|à tous|a tutti|allemaal))?\W*$",
    _FLAGS,
)
URGENT = re.compile(
    r"\?|\d|\b(but|still|not|aber|pero|mais|ma|mas|maar|noch|todavía|encore|ancora|nicht|no|pas|non)\b", _FLAGS
)
MAX_WORDS = 8

WELCOME = {
    "de": "Gern geschehen! Wenn noch etwas ist, schreiben Sie einfach.",
    "es": "¡De nada! Si necesita algo más, escríbanos.",
    "fr": "Avec plaisir ! Si vous avez besoin d'autre chose, écrivez-nous.",
    "it": "Prego! Se serve altro, ci scriva pure.",
    "pt": "De nada! Se precisar de mais alguma coisa, é só escrever.",
    "nl": "Graag gedaan! Laat het gerust weten als er nog iets is.",
}
HELLO = {
    "de": "Hallo! Beschreiben Sie Ihr Anliegen, und ich gebe es an unser Team weiter.",
    "es": "¡Hola! Describa su consulta y se la haré llegar a nuestro equipo.",
    "fr": "Bonjour ! Décrivez votre demande et je la transmettrai à notre équipe.",
    "it": "Ciao! Descriva la sua richiesta e la inoltrerò al nostro team.",
    "pt": "Olá! Descreva o seu pedido e eu encaminho-o para a nossa equipa.",
    "nl": "Hallo! Beschrijf uw vraag en ik stuur hem door naar ons team.",
}
WELCOME_EN = "You're welcome! Anything else, just ask."
HELLO_EN = "Hi! Ask me about the product, or describe a problem and I'll get it to the team."


def is_smalltalk(text: str) -> bool:
    """A short thanks or a bare greeting, with no question, number or "but still" in it."""
    if GREETING.match(text):
        return True
    return len(text.split()) <= MAX_WORDS and THANKS.search(text) is not None and URGENT.search(text) is None


def smalltalk_reply(text: str, language: str = "") -> str:
    """ "You're welcome" to thanks, "hi" to anything else, in ``language`` when a sentence ships for it."""
    thanks = THANKS.search(text) is not None
    table, english = (WELCOME, WELCOME_EN) if thanks else (HELLO, HELLO_EN)
    return table.get(language, english)
