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
        r"(over )?to (a |another |a different |some other |your )?"
        r"(competitor|provider|host|hosting|platform|service|vercel|heroku|render|fly|aws|netlify|someone else)"
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
EXCLAMATIONS = re.compile(r"[!?]*![!?]*!{2,}|[!?]{3,}")
REPEATED = re.compile(
    r"\b(again|yet again|(second|third|fourth|fifth|nth) time|every (single )?time|keeps happening)\b", _WORDS
)
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
SHOUT_WORD = re.compile(r"\b[^\W\d_a-z]{3,}\b", re.UNICODE)
# Capitals that are not shouting: acronyms, and the log levels and SQL of a pasted log.
ACRONYMS = frozenset(
    {"API", "CLI", "DNS", "TLS", "SSL", "URL", "HTTP", "HTTPS", "SLA", "GDPR", "PDF", "AWS", "EU", "USA", "JSON"}
    | {"ERROR", "ERR", "WARN", "WARNING", "INFO", "DEBUG", "FATAL", "TRACE", "PANIC", "CRITICAL", "GET", "POST"}
    | {"PUT", "DELETE", "PATCH", "SELECT", "INSERT", "UPDATE", "FROM", "WHERE", "TABLE", "DROP", "NULL", "NOT", "AND"}
)


@dataclass(frozen=True)
class Frustration:
    """The signals of frustration found in one message."""

    signals: tuple[str, ...] = ()

    @property
    def frustrated(self) -> bool:
        """One strong signal (a whole message in capitals is one), or two weak ones (shouted words, "!!!", "again")."""
        return any(signal in STRONG or signal == "all_caps" for signal in self.signals) or len(self.signals) >= 2


CALM = Frustration()


def read_frustration(text: str) -> Frustration:
    """The frustration signals in ``text`` (already cleaned)."""
    signals = [name for name, pattern in STRONG.items() if pattern.search(text)]
    letters = LETTER.findall(" ".join(word for word in text.split() if word.strip(":,.;[]()") not in ACRONYMS))
    if len(letters) >= 12 and sum(letter.isupper() for letter in letters) / len(letters) >= 0.7:
        signals.append("all_caps")
    elif _shouted_words(text):
        signals.append("shouted_words")
    for name, pattern in (("exclamations", EXCLAMATIONS), ("repeated", REPEATED)):
        if pattern.search(text):
            signals.append(name)
    return Frustration(tuple(signals))


def _shouted_words(text: str) -> bool:
    """Two shouted words, or one of the shouted demands (acronyms and error codes do not count)."""
    shouted = [word for word in SHOUT_WORD.findall(text) if word not in ACRONYMS]
    return len(shouted) >= 2 or any(word in {"NOW", "ASAP", "STILL", "NEVER"} for word in shouted)
