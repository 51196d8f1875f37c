"""A resolved ticket's conversation as a knowledge-base draft, by extraction alone (no language model).

The question is what the customer wrote before the first human reply, with the chat taken out
(``core.knowledge.chat_text``); the answers are the support people's replies in order (never the bot's,
never internal notes), each kept only when it is substantial. A conversation with no substantial reply,
or no question left once the greetings and thanks are gone, proposes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.knowledge.articles import BODY_CHARS
from core.knowledge.chat_text import plain_answer, plain_question, word_count
from core.tickets.records import ConversationMessage, Role

TICKET_PATH = "/dashboard/tickets/"

# Something to follow in a short reply: a command or code, a link, a step of a list, a menu path.
_INSTRUCTION = re.compile(r"`|https?://|^\s*(?:\d{1,2}[.)]|[-*•])\s+\S|\S\s*(?:→|->|>|»)\s*\S", re.M)
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_TRAILING = " \t.,;:!?…-–—"


@dataclass(frozen=True)
class DraftRules:
    """What makes a reply substantial, how long a title may be, and when a question is already answered."""

    # A reply is substantial with at least this many words (greetings, thanks and sign-off not counted) …
    min_words: int = 12
    # … or at least this many with something to follow in it (code, a link, a list step, a menu path).
    min_words_with_steps: int = 6
    title_chars: int = 80
    question_chars: int = 1000
    # A question whose best passage scores at least this is answered by that passage's article already: it
    # becomes a phrasing of it, not a draft (measured on onnx-int8: benchmarks/draft_threshold.py, docs/benchmarks.md).
    phrasing_score: float = 0.75


DEFAULT_RULES = DraftRules()


@dataclass(frozen=True)
class Draft:
    """What a resolved ticket proposes for the knowledge base."""

    ticket: int
    title: str
    question: str  # the customer's question, cleaned
    answers: tuple[str, ...]  # the substantial human replies, in order
    link: str  # the ticket's page on the dashboard

    @property
    def body(self) -> str:
        """The article's text: the answers in order, as their authors wrote them (Markdown kept)."""
        return "\n\n".join(self.answers)[:BODY_CHARS].rstrip()

    @property
    def phrasing(self) -> str:
        """The question on one line, as a phrasing of the article that answers it."""
        return " ".join(self.question.split())


def ticket_url(public_url: str, number: int) -> str:
    """The dashboard's page of ticket ``number``: ``{public_url}/dashboard/tickets/{number}``."""
    return f"{public_url.rstrip('/')}{TICKET_PATH}{number}"


def draft_from(
    number: int, messages: Sequence[ConversationMessage], public_url: str, rules: DraftRules = DEFAULT_RULES
) -> Draft | None:
    """The draft ticket ``number``'s conversation proposes, or None when it is trivial."""
    ordered = sorted(messages, key=lambda m: m.at)
    first_reply = next((at for at, m in enumerate(ordered) if m.role is Role.AGENT), len(ordered))
    asked = [plain_question(text_of(m)) for m in ordered[:first_reply] if m.role is Role.CUSTOMER]
    question = _bounded("\n".join(part for part in asked if part), rules.question_chars)
    replies = [plain_answer(text_of(m)) for m in ordered if m.role is Role.AGENT]
    answers = tuple(reply for reply in replies if substantial(reply, rules))
    if not question or not answers:
        return None
    return Draft(number, title_from(question, rules.title_chars), question, answers, ticket_url(public_url, number))


def text_of(message: ConversationMessage) -> str:
    """What was written, with its line breaks: the original when it was kept, else the cleaned text."""
    if message.raw:
        return message.raw.decode("utf-8", errors="replace")
    return message.text


def substantial(reply: str, rules: DraftRules = DEFAULT_RULES) -> bool:
    """True when a (cleaned) reply answers something: long enough, or short with something to follow.

    A reply that only asks ("Which plan are you on?") asks for details; it answers nothing.
    """
    words = word_count(reply)
    if words < rules.min_words_with_steps or _only_questions(reply):
        return False
    return words >= rules.min_words or bool(_INSTRUCTION.search(reply))


def title_from(question: str, limit: int = DEFAULT_RULES.title_chars) -> str:
    """A title from a question: its first real sentence, in sentence case, short, no trailing punctuation."""
    sentences = [s.strip() for line in question.split("\n") for s in _SENTENCES.split(line) if s.strip()]
    first = next((s for s in sentences if word_count(s) >= 3), sentences[0] if sentences else "")
    title = _bounded(" ".join(first.split()), limit).rstrip(_TRAILING)
    return sentence_case(title)


def sentence_case(text: str) -> str:
    """Only the first word capitalised: SHOUTING and Title Case lowered; names, acronyms and "I" kept."""
    words = text.split(" ")
    letters = [w for w in words if any(c.isalpha() for c in w)]
    if not letters:
        return text
    if all(w.upper() == w for w in letters) and len(letters) > 1:  # shouted: every word in capitals
        words = [w.lower() for w in words]
    elif len(ordinary := [w for w in letters if _capitalised(w) or w.islower()]) >= 3 and sum(
        _capitalised(w) for w in ordinary
    ) >= 0.7 * len(ordinary):  # Title Case: most ordinary words (not acronyms, names like GitHub) capitalised
        words = [w.lower() if _capitalised(w) else w for w in words]
    words = [_pronoun(w) for w in words]
    first = words[0]
    if first[:1].islower() and not any(c.isupper() for c in first[1:]):  # not iPhone or eBay
        words[0] = first[:1].upper() + first[1:]
    return " ".join(words)


def _capitalised(word: str) -> bool:
    """``Word``: a capital followed by small letters only (an acronym or a name like GitHub is not)."""
    core = word.strip("\"'“”‘’()[],.:;!?")
    return len(core) > 1 and core[0].isupper() and core[1:].islower()


def _pronoun(word: str) -> str:
    """ "i", "i'm", "i've" as they are written."""
    lowered = word.lower()
    if lowered == "i" or re.fullmatch(r"i['’](?:m|ve|ll|d)", lowered):
        return "I" + word[1:]
    return word


def _only_questions(reply: str) -> bool:
    sentences = [s for s in _SENTENCES.split(" ".join(reply.split())) if s]
    return bool(sentences) and all(s.rstrip().endswith("?") for s in sentences)


def _bounded(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > limit // 2 else limit].rstrip()
