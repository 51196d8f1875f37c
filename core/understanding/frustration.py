"""Whether a customer is frustrated: complaints, threats to leave, "nobody answers", profanity, shouting.

The intent head is trained on what a message is about, not on how it is said, so an angry message
reads as a greeting or as nothing at all. These signals are read from the words themselves; any
one strong signal, or two weak ones, makes the message frustrated, and a frustrated customer is
passed to a person. ``tests/data/frustration.jsonl`` measures them (see docs/understanding.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = re.IGNORECASE | re.UNICODE
# One of these alone is enough.
STRONG: dict[str, re.Pattern[str]] = {
    "complaint": re.compile(
        r"\b(garbage|rubbish|useless|terrible|horrible|awful|pathetic|ridiculous|unacceptable|disgrace(ful)?"
        r"|joke of a|worst|scam|incompetent|you (guys )?suck|this sucks|sucks|fed up|sick of|had enough"
        r"|waste of (my )?(time|money)|furious|livid|angry|so frustrat\w*|beyond frustrat\w*"
        r"|frustrated|frustrating|disappointed|unbelievable|shame on you|mies|katastrophe|unverschämt"
        r"|frechheit|basura|vergüenza|inaceptable|lamentable|nul à chier|honteux)\b",
        _WORDS,
    ),
    "threat_to_leave": re.compile(
        r"\b(money back|i want a refund now|(switch|switching|move|moving|migrate|migrating|go|going) "
        r"(over )?to (a |another |your )?(competitor|vercel|heroku|render|fly|aws|netlify|someone else)"
        r"|(cancel|cancell?ing|close|closing) (my|our) (account|subscription|plan) (if|unless|because)"
        r"|we('re| are) (leaving|done with you)|i('m| am) (leaving|done with (you|this))|last chance"
        r"|never (again|recommend)|see you in court|my lawyer|chargeback|report you)\b",
        _WORDS,
    ),
    "no_answer": re.compile(
        r"\b(?:(nobody|no one|noone|no-one|nobody ever) (answers|responds|replies|helps|gets back|cares|is answering"
        r"|has (answered|replied|responded|helped))"
        r"|still waiting (for|on) (an? )?(answer|reply|response|someone|anyone|support|you|help)"
        r"|(been waiting|waited|waiting) (for )?(\d+|a|an|two|three|four|five|several|many) (days?|weeks?)"
        r"|(\d+|three|two|several) (days|weeks) (and|with) no (answer|reply|response)"
        r"|no (answer|reply|response) (for|in|since) (\d+|days|weeks|a week|ages)|ignor(ed|ing) (me|us|my)"
        r"|keine antwort|niemand antwortet|nadie (responde|contesta))\b",
        _WORDS,
    ),
    "profanity": re.compile(
        r"\b(fuck\w*|f\*+k\w*|shit\w*|crap(py)?|bullshit|wtf|wth|damn(ed|it)?|bloody|arse|ass(holes?)?"
        r"|idiots?|morons?|scheiße|scheisse|verdammt|mierda|joder|putain|merde)\b",
        _WORDS,
    ),
}
EXCLAMATIONS = re.compile(r"!{3,}|[!?]{4,}")
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
SHOUT_WORD = re.compile(r"\b[^\W\d_a-z]{3,}\b", re.UNICODE)


@dataclass(frozen=True)
class Frustration:
    """The signals of frustration found in one message."""

    signals: tuple[str, ...] = ()

    @property
    def frustrated(self) -> bool:
        """One strong signal, or two weak ones (shouting, a row of exclamation marks)."""
        return any(signal in STRONG for signal in self.signals) or len(self.signals) >= 2


CALM = Frustration()


def read_frustration(text: str) -> Frustration:
    """The frustration signals in ``text`` (already cleaned)."""
    signals = [name for name, pattern in STRONG.items() if pattern.search(text)]
    if _shouting(text):
        signals.append("all_caps")
    if EXCLAMATIONS.search(text):
        signals.append("exclamations")
    return Frustration(tuple(signals))


def _shouting(text: str) -> bool:
    """Mostly capital letters over a real sentence, or several shouted words (not an error code or acronym)."""
    letters = LETTER.findall(text)
    if len(letters) >= 12 and sum(letter.isupper() for letter in letters) / len(letters) >= 0.7:
        return True
    shouted = [word for word in SHOUT_WORD.findall(text) if word not in {"API", "CLI", "DNS", "TLS", "SSL", "URL"}]
    return len(shouted) >= 3 or any(word in {"NOW", "ASAP", "STILL", "NEVER"} for word in shouted)
