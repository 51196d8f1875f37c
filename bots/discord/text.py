"""Discord's text rules: long replies split to fit, user text made safe to echo, thread titles from questions.

Pure functions over strings; nothing here talks to Discord.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from discord.utils import escape_markdown

from core.text import strip_bidi

MESSAGE_LIMIT = 2000
THREAD_NAME_LIMIT = 90
THREAD_NAME_FALLBACK = "Question"

_FENCE = "```"
_CLOSING_FENCE = "\n```"
# Discord reads a language tag only when the opening fence's line holds nothing else.
_LANGUAGE = re.compile(r"([A-Za-z0-9_+\-.#]*)\n")
_LINK = re.compile(
    r"\[[^\[\]\n]*\]\([^\s()]*(?:\([^\s()]*\)[^\s()]*)*(?:\s+\"[^\"\n]*\")?\)"  # [label](url "title")
    r"|<?https?://[^\s<>]+>?"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE_END = re.compile(r"\n")
_SPACE = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S")

# Zero-width space: shows nothing, but Discord no longer sees a mention once it sits inside one.
_ZWSP = "\u200b"
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_MENTION_OPENER = re.compile(r"<(?=[@#])")
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b", re.IGNORECASE)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a reply into pieces Discord accepts, keeping links and code blocks whole where possible."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return _Splitter(text, limit).pieces()


_BRACKET = re.compile(r"(?<!\\)([\[\]])")


def escape_user_text(text: str) -> str:
    """Make user-written text safe to echo: markdown shown as typed, and no mention that can ping."""
    # Bidi controls go first: they can hide or reorder characters around an "@everyone" or "<@id>".
    text = strip_bidi(text)
    # Links stay as they are so they still work; a masked [label](url) is escaped, so it shows its url.
    text = escape_markdown(text, ignore_links=True)
    # escape_markdown escapes one bracket of a greedy match only ("[a] [docs](url)" keeps "[docs](url)" live):
    # every bracket not escaped yet is, so no masked link survives.
    text = _BRACKET.sub(r"\\\1", text)
    text = _MASS_MENTION.sub(f"@{_ZWSP}\\1", text)
    return _MENTION_OPENER.sub(f"<{_ZWSP}", text)


def thread_name(text: str, limit: int = THREAD_NAME_LIMIT) -> str:
    """A thread title from a question: its first line with words left, shortened to ``limit`` characters."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    for line in strip_bidi(text).splitlines():
        # A removed mention often leaves its separator behind, as in "<@123>: how do I ...".
        words = " ".join(_MENTION.sub(" ", line).split()).lstrip(",:;- ")
        if words:
            return _shorten(words, limit)
    return _shorten(THREAD_NAME_FALLBACK, limit)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    room = limit - 1  # for the ellipsis
    cut = text.rfind(" ", 0, room + 1)
    # A word boundary that would throw away most of the title is worse than a cut word.
    if cut < room // 2:
        cut = room
    return text[:cut].rstrip(" ,.;:-") + "…"


@dataclass(frozen=True, slots=True)
class _Block:
    """A fenced code block as Discord sees it, by index into the text."""

    start: int  # the opening fence's first backtick
    body: int  # the body's first character
    close: int  # the closing fence's first backtick
    end: int  # just after the closing fence
    first: int  # the body's first non-space character (``close`` when the body is blank)
    last: int  # the body's last non-space character (``body - 1`` when the body is blank)
    reopen: str  # the fence, with its language, that starts the block again in the next piece


def _code_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    start = text.find(_FENCE)
    while start != -1:
        close = text.find(_FENCE, start + len(_FENCE))
        if close == -1:
            break  # Discord shows an unclosed fence as plain backticks: there is no block to keep whole
        language = _LANGUAGE.match(text, start + len(_FENCE), close)
        body = language.end() if language else start + len(_FENCE)
        first = _NON_SPACE.search(text, body, close)
        last = body + len(text[body:close].rstrip()) - 1
        reopen = f"{_FENCE}{language.group(1) if language else ''}\n"
        end = close + len(_FENCE)
        blocks.append(_Block(start, body, close, end, first.start() if first else close, last, reopen))
        start = text.find(_FENCE, end)
    return blocks


class _Splitter:
    """Cuts one text into pieces; the code blocks and links are found once, then looked up by bisection."""

    def __init__(self, text: str, limit: int) -> None:
        self._text = text
        self._limit = limit
        # A block whose fences would take more than half of every piece is split as plain text instead.
        self._blocks = [b for b in _code_blocks(text) if len(b.reopen) + len(_CLOSING_FENCE) <= limit // 2]
        self._block_starts = [block.start for block in self._blocks]
        self._links = [match.span() for match in _LINK.finditer(text)]
        self._link_starts = [start for start, _ in self._links]

    def pieces(self) -> list[str]:
        """Every piece, in order; none empty, none longer than the limit."""
        text = self._text
        pieces: list[str] = []
        end = len(text.rstrip())
        start = self._resume(0)
        while start is not None and start < end:
            prefix = self._reopening(start)
            room = self._limit - len(prefix)
            if end - start <= room:
                pieces.append(prefix + text[start:end])
                break
            first = _NON_SPACE.search(text, start)
            first_text = first.start() if first else end
            if first_text - start >= room:
                start = first_text  # indentation wider than a whole piece: drop it rather than send blanks
                continue
            cut = self._best_cut(start, room, first_text)
            pieces.append(prefix + text[start:cut].rstrip() + self._closing(cut))
            start = self._resume(cut)
        return pieces

    def _best_cut(self, start: int, room: int, first: int) -> int:
        # Each kind of break is tried in the fuller half of the piece first, so a blank line near the
        # start does not leave a runt piece when a line end near the limit would do.
        half, top = start + room // 2, start + room
        for low, high in ((half, top), (start + 1, half)):
            for pattern in (_BLANK_LINE, _LINE_END, _SPACE):
                for match in reversed(list(pattern.finditer(self._text, low, high + 1))):
                    if self._can_cut(match.start(), start, room, first):
                        return self._before_block(match.start(), start, room, first)
        return self._before_block(self._hard_cut(start, room, first), start, room, first)

    def _before_block(self, cut: int, start: int, room: int, first: int) -> int:
        """The cut, or the start of the code block it falls in when that block fits whole in the next piece."""
        block = self._block_at(cut)
        if (
            block is not None
            and block.end - block.start <= self._limit
            and self._can_cut(block.start, start, room, first)
        ):
            return block.start
        return cut

    def _hard_cut(self, start: int, room: int, first: int) -> int:
        """The last resort inside a long run of text: as late as fits, but before a link or a fence."""
        cut = start + room
        if self._closing(cut):
            cut -= len(_CLOSING_FENCE)
        # A cut right after a lone backslash would move the escaped character, unescaped, to the next piece.
        slashes = len(self._text[start:cut]) - len(self._text[start:cut].rstrip("\\"))
        options = [cut - 1] if slashes % 2 else [cut]
        link = self._link_at(options[0])
        if link is not None:
            options.append(link[0])
        block = self._block_at(options[0])
        if block is not None:
            options += [block.start, block.last]
        for option in options:
            if self._can_cut(option, start, room, first):
                return option
        return cut

    def _can_cut(self, cut: int, start: int, room: int, first: int) -> bool:
        if cut <= first or cut - start + len(self._closing(cut)) > room:
            return False
        link = self._link_at(cut)
        if link is not None and link[1] - link[0] <= room:
            return False
        block = self._block_at(cut)
        if block is None or cut == block.start:
            return True
        if block.body <= cut <= block.close:
            return block.first < cut <= block.last  # no piece may carry an empty half of a block
        return cut >= block.end  # never inside a fence itself

    def _resume(self, cut: int) -> int | None:
        """Where the next piece starts: past the whitespace at the cut, but keeping a code line's indent."""
        found = _NON_SPACE.search(self._text, cut)
        if found is None:
            return None
        resume = found.start()
        if self._reopening(resume):
            line_start = self._text.rfind("\n", cut, resume)
            if line_start != -1:
                return line_start + 1
        return resume

    def _reopening(self, start: int) -> str:
        block = self._block_at(start)
        return block.reopen if block is not None and block.body <= start < block.close else ""

    def _closing(self, cut: int) -> str:
        block = self._block_at(cut)
        return _CLOSING_FENCE if block is not None and block.start < cut <= block.close else ""

    def _block_at(self, index: int) -> _Block | None:
        found = bisect_right(self._block_starts, index) - 1
        if found >= 0 and index < self._blocks[found].end:
            return self._blocks[found]
        return None

    def _link_at(self, cut: int) -> tuple[int, int] | None:
        found = bisect_left(self._link_starts, cut) - 1
        if found >= 0 and cut < self._links[found][1]:
            return self._links[found]
        return None
