"""Taking the chat out of chat text: greetings, thanks, sign-offs, signatures, mentions and markup.

What a customer or a support person wrote in a thread says more than what an article should: "Hi Dana,",
"thanks in advance!", "Best, Bob / Acme Inc.", ``<@U0ANA>``. These functions keep what was asked and what was
answered. They work on sentences and lines, never on meaning, so they only drop what plainly is politeness.
"""

from __future__ import annotations

import re

from core.text import clean_document

MESSAGE_CHARS = 8000  # longer messages are read up to here: a draft quotes a question, not a log dump

# Platform mentions: Slack <@U1>, <@U1|ana>, <!here>, <#C1|general>; Discord <@1>, <@!1>, <@&1>, <#1>, custom
# emoji <:name:1>; @here, @channel, @everyone and a typed @name (not an e-mail address: nothing before the @).
_MARKUP_MENTION = re.compile(r"<(?:@[!&]?|#|!)[\w^|.@-]*>|<a?:\w+:\d+>")
_TYPED_MENTION = re.compile(r"(?<![\w.@])@[\w][\w.-]*\b")
_SHORTCODE = re.compile(r"(?<!\w):[a-z0-9_+-]+:(?!\w)")
# Links: [text](url) and ![alt](url) keep their words; Slack's <url|text> its text, <url> its address.
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))+\)")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>\n]*))?>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
# Bounded, and opening only where a word does not go on: "_a_a_a…" must not cost a scan per underscore.
_EMPHASIS = re.compile(r"(?<![\w*_~])(\*\*|__|~~|\*|_)(?=\S)([^\n]{1,200}?)(?<=\S)\1(?!\w)")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_LINE_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|>+\s?|[-*+•]\s+|\d{1,3}[.)]\s+)")
_FENCE = re.compile(r"^\s*(?:```|~~~)")

_GREETING_WORD = r"(?:hi+|hello|hey+|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day)|dear)"
# "Hi Dana," / "Hello support team!" / "hey there -": a greeting and up to three words closed by punctuation.
_GREETING_NAMED = re.compile(
    rf"^{_GREETING_WORD}\b(?:[ \t]+[\w'’.-]+){{0,3}}[ \t]*(?:[,!:;—–-]+|\.(?=\s|$)|$)\s*", re.I
)
# "Hi I can't log in": only the greeting word goes.
_GREETING_BARE = re.compile(rf"^{_GREETING_WORD}\b[,!.:;\s]*", re.I)
_FILLER = re.compile(r"^(?:quick question|question|so|ok(?:ay)? so|um+|uh+)\b[ \t]*[,:;.!—–-]*[ \t]*", re.I)

# Clauses (parts of a sentence between commas) that are politeness only, read without punctuation or case.
_THANKS = (
    r"(?:many\ |big\ |so\ many\ )?(?:thanks|thank\ you|thank\ u|thx|tks|ty|cheers|ta|much\ appreciated"
    r"|appreciate\ (?:it|that|you|your\ help|the\ help|any\ help))"
    r"(?:\ (?:so\ much|very\ much|a\ lot|a\ ton|again|all|everyone|guys|folks|team|in\ advance))*"
    r"(?:\ for\ (?:\w+\ ){0,2}\w+|\ [\w'’.-]+)?"
)
_PLEASANTRIES = re.compile(
    rf"""^(?:
        {_THANKS}
        |(?:any\ )?help\ (?:would\ be|is|will\ be)\ (?:much\ |greatly\ |really\ |very\ )?appreciated
        |(?:i\ |we\ )?hope\ (?:you(?:'re|’re|\ are)\ (?:well|doing\ well|having\ a\ (?:good|great|nice)\ (?:day|week))
            |this\ (?:message\ |email\ )?finds\ you\ well|(?:this|that|it)\ helps)
        |(?:please\ )?(?:let\ (?:me|us)\ know|lmk)\ (?:if|whether|when)\b.*
        |(?:feel\ free\ to\ (?:reach\ out|ask|get\ back|write)\b.*)
        |have\ a\ (?:good|great|nice|lovely)\ (?:one|day|week|weekend|evening)
        |you(?:'re|’re|\ are)\ (?:very\ |most\ )?welcome|no\ (?:problem|worries)|np|happy\ to\ help
        |glad\ (?:i|we)\ could\ help
        |sorry\ (?:for|about)\ (?:the|any)\ (?:trouble|inconvenience|wait|delay|confusion)
        |please\ help(?:\ me)?|help(?:\ me)?|help\ please|urgent|asap
        |(?:kind\ |best\ |warm\ )?regards|best|sincerely
    )$""",
    re.I | re.X,
)
# A clause of one or two capitalised words right after a dropped one at a sentence's end: a name ("Thanks, Bob").
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?[.!]?$")
# The line a sign-off starts at ("Best,", "Kind regards", "Thanks,", "-- ", "Sent from my iPhone"): it and the
# few short lines after it (a name, a title, a company) are the signature.
_SIGN_OFF = re.compile(
    r"^(?:--\s*|—\s*|(?:kind |best |warm |many )?(?:regards|best|cheers|thanks|thank you|thx|sincerely|br|"
    r"all the best|talk soon)[,.!]*|sent from my \w+.*|get outlook for \w+.*)$",
    re.I,
)
SIGNATURE_LINES = 4
# "… thanks, Bob" / "… Best, Dana Smith" at the very end of a one-line message.
_TRAILING_SIGN_OFF = re.compile(
    r"(?:^|(?<=[.!?])\s+|\s+[-—–]\s*)(?:(?:kind |best |warm )?regards|best|cheers|thanks|thank you|thx)"
    r"(?:,\s*|\s+)[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\.?$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"[^\W_]", re.U)


def plain_question(text: str) -> str:
    """A customer's message as plain words: no markup, mentions, greetings, thanks or signature."""
    lines = [_strip_markup(line) for line in _code_free(_prepared(text))]
    return _joined(_polite_free(lines), plain=True)


def plain_answer(text: str) -> str:
    """A support person's reply as it would read in an article: its Markdown kept, the chat taken out."""
    lines = [_strip_mentions(line) for line in _prepared(text).split("\n")]
    return _capitalised_start(_joined(_polite_free(lines), plain=False))


def _capitalised_start(text: str) -> str:
    """ "yes: turn it on" (left after "Hi Cara, ") as a sentence starts; "iOS" and `code` stay as written."""
    first = text.split(" ", 1)[0].rstrip(",:;.!?")
    if first[:1].islower() and first.isalpha() and first.islower():
        return text[:1].upper() + text[1:]
    return text


def word_count(text: str) -> int:
    """How many words ``text`` has (a word is anything with a letter or digit between spaces)."""
    return sum(1 for token in text.split() if _WORD.search(token))


def _prepared(text: str) -> str:
    """Normalised (NFKC, no invisible characters, no runs of blank lines) and bounded."""
    return clean_document(text[:MESSAGE_CHARS])


def _code_free(text: str) -> list[str]:
    """The lines of ``text`` with code fences taken out (the code itself stays: an error message is a question)."""
    return [line for line in text.split("\n") if not _FENCE.match(line)]


def _strip_mentions(line: str) -> str:
    line = _MARKUP_MENTION.sub(" ", line)
    line = _TYPED_MENTION.sub(" ", line)
    return re.sub(r"[ \t]{2,}", " ", line).strip()


def _strip_markup(line: str) -> str:
    """One line without Markdown, Slack or HTML markup: the words a person reads."""
    line = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), line)
    line = _strip_mentions(line)
    line = _SHORTCODE.sub(" ", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _HTML_TAG.sub(" ", line)
    line = _LINE_MARKERS.sub("", line)
    line = _CODE_SPAN.sub(r"\1", line)
    for _ in range(2):  # **_nested_** emphasis
        line = _EMPHASIS.sub(r"\2", line)
    return re.sub(r"[ \t]{2,}", " ", line).strip()


def _polite_free(lines: list[str]) -> list[str]:
    """The lines without the signature, the opening greeting and every sentence that is politeness only."""
    lines = _without_signature(lines)
    kept: list[str] = []
    for line in lines:
        if not kept and line.strip():
            line = _opening_stripped(line)
        kept.append(_TRAILING_SIGN_OFF.sub("", " ".join(_substantive(line))).strip())
    return kept


def _without_signature(lines: list[str]) -> list[str]:
    """Cut at a sign-off line followed by at most a few short lines (a message that goes on keeps it)."""
    filled = [at for at, line in enumerate(lines) if line.strip()]
    for n, at in enumerate(filled[-SIGNATURE_LINES - 1 :], start=max(0, len(filled) - SIGNATURE_LINES - 1)):
        rest = [lines[later] for later in filled[n + 1 :]]
        if at and all(word_count(later) <= 6 for later in rest) and _SIGN_OFF.match(lines[at].strip()):
            return lines[:at]
    return lines


def _opening_stripped(line: str) -> str:
    """``line`` without a greeting and filler at its start ("Hi team, quick question: …")."""
    stripped = _GREETING_NAMED.sub("", line, count=1)
    if stripped == line:
        stripped = _GREETING_BARE.sub("", line, count=1)
    return _FILLER.sub("", stripped, count=1)


def _substantive(line: str) -> list[str]:
    """The sentences of ``line`` without the clauses that are politeness only."""
    kept = []
    for sentence in _SENTENCE_END.split(line.strip()):
        clauses = re.split(r",\s+", sentence)
        words: list[str] = []
        dropped = False
        for at, clause in enumerate(clauses):
            name_after_pleasantry = dropped and at == len(clauses) - 1 and _NAME.match(clause)
            dropped = bool(_PLEASANTRIES.match(_bare(clause))) or bool(name_after_pleasantry)
            if not dropped:
                words.append(clause)
        if words:
            rest = ", ".join(words)
            end = sentence.rstrip()[-1:]
            kept.append(rest + end if end in ".!?" and end and not rest.endswith(tuple(".!?:")) else rest)
    return kept


def _bare(sentence: str) -> str:
    """A sentence as the pleasantry patterns read it: no end punctuation or emoji, single spaces."""
    words = re.sub(r"[^\w\s'’-]+", " ", sentence)
    return " ".join(words.split())


def _joined(lines: list[str], *, plain: bool) -> str:
    """The kept lines: plain text as one paragraph per block, Markdown with its line breaks."""
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if plain:
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
        text = re.sub(r"\n{2,}", "\n", text)
    return text if _WORD.search(text) else ""
