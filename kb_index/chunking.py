"""Turning a knowledge-base document into titled sections and embedding-sized pieces.

Pure functions over strings: reading files and reporting problems is ``ingest``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import yaml

# CommonMark: a fence is three or more backticks or tildes, indented at most three spaces;
# a backtick fence's info string may not contain a backtick.
_FENCE_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}(?=[^`]*$)|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*))?$")
_CLOSING_HASHES_RE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_LINE_GAP_RE = re.compile(r"\n")
_SPACE_GAP_RE = re.compile(r"\s+")
# Where one sentence ends and the next begins; a line break inside a paragraph (a list
# item, a soft-wrapped line) is as good a place to cut as a full stop.
_SENTENCE_GAP_RE = re.compile(r"(?<=[.!?])[ \t]+|(?<=[.!?][\"'”’)\]])[ \t]+|[ \t]*\n\s*")
MAX_TITLE_CHARS = 100


@dataclass(frozen=True)
class Section:
    """The text under one heading of a document."""

    heading: str
    text: str


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` YAML block from the body; raise ``ValueError`` if it is malformed."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        raise ValueError("front matter has no closing '---' line")
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        mark = getattr(exc, "problem_mark", None)
        # +2: the mark counts from 0 and from the line after the opening '---'.
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ValueError(f"front matter is not valid YAML: {problem}{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        # ValueError, not TypeError: to the caller this is one more kind of malformed front matter.
        kind = type(data).__name__
        raise ValueError(f"front matter must be a mapping of keys, not a {kind}")
    # Lists and nested mappings (tags, authors) are of no use to the index; keep plain values.
    meta = {str(k): str(v) for k, v in data.items() if v is not None and not isinstance(v, list | dict)}
    return meta, "\n".join(lines[end + 1 :])


class _FenceTracker:
    """Follows fenced code blocks line by line, so ``#`` comments in code are not headings."""

    def __init__(self) -> None:
        self.open_fence: str | None = None

    def feed(self, line: str) -> bool:
        """Return True if ``line`` is part of a code block (its fences included)."""
        match = _FENCE_RE.match(line)
        if self.open_fence is None:
            if match:
                self.open_fence = match.group("fence")
            return match is not None
        fence = self.open_fence
        # A closing fence uses the opening's character, is at least as long, and has no info string.
        closes = match is not None and match.group("fence").startswith(fence) and not line.strip().strip(fence[0])
        if closes:
            self.open_fence = None
        return True


def _atx_heading(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading line, or None."""
    match = _ATX_RE.match(line)
    if match is None:
        return None
    text = _CLOSING_HASHES_RE.sub("", (match.group("text") or "").strip())
    return len(match.group("hashes")), text.strip()


def split_markdown(body: str) -> tuple[str | None, list[Section]]:
    """Return the first level-1 heading and the non-empty sections under each ATX heading."""
    title: str | None = None
    raw: list[tuple[str | None, list[str]]] = [(None, [])]
    fences = _FenceTracker()
    for line in body.split("\n"):
        heading = None if fences.feed(line) else _atx_heading(line)
        if heading is None:
            raw[-1][1].append(line)
            continue
        level, text = heading
        if level == 1 and title is None:
            title = text
        raw.append((text, []))
    sections = []
    for heading_text, lines in raw:
        text = "\n".join(lines).strip("\n")
        if text.strip():
            sections.append(
                Section(
                    heading=heading_text if heading_text is not None else title or "",
                    text=text,
                )
            )
    return title, sections


def split_plain_text(text: str, fallback_title: str) -> tuple[str, list[Section]]:
    """Take a short first line followed by a blank line as the title; the rest is one section."""
    lines = text.strip("\n").split("\n")
    first = lines[0].strip()
    if len(lines) >= 2 and 0 < len(first) <= MAX_TITLE_CHARS and not lines[1].strip():
        title, rest = first, "\n".join(lines[2:]).strip("\n")
    else:
        title, rest = fallback_title, "\n".join(lines).strip("\n")
    return title, [Section(heading=title, text=rest)] if rest.strip() else []


@dataclass(frozen=True)
class _Unit:
    """A span of the text that is never cut further; pieces are runs of units."""

    start: int
    end: int
    words: int
    block: int
    split: bool  # True when its block was too long and had to be cut into units
    code: bool = False
    prefix: str = ""  # a fence to reopen when a piece starts inside a code block
    suffix: str = ""  # a fence to close when a piece ends inside a code block


def _count(text: str) -> int:
    return len(text.split())


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Paragraphs and fenced code blocks as ``(start, end, is_code)``; blank lines separate them."""
    blocks: list[tuple[int, int, bool]] = []
    fences = _FenceTracker()
    start: int | None = None
    in_code = False
    offset = 0
    for line in text.split("\n"):
        was_open = fences.open_fence is not None
        code = fences.feed(line)
        if start is not None and ((not line.strip() and not code) or code != in_code or (code and not was_open)):
            blocks.append((start, offset - 1, in_code))
            start = None
        if start is None and (line.strip() or code):
            start, in_code = offset, code
        offset += len(line) + 1
    if start is not None:
        blocks.append((start, len(text), in_code))
    return blocks


def _spans(text: str, start: int, end: int, gap: re.Pattern[str]) -> list[tuple[int, int]]:
    """Non-blank spans of ``text[start:end]`` between matches of ``gap``, in absolute offsets."""
    spans, cursor = [], start
    for match in gap.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _block_units(text: str, index: int, block: tuple[int, int, bool], max_words: int) -> list[_Unit]:
    """One unit for a block that fits; otherwise its sentences (or code lines), and words if need be."""
    start, end, code = block
    end = start + len(text[start:end].rstrip())
    if not code:
        start = end - len(text[start:end].lstrip())
    words = _count(text[start:end])
    if words <= max_words:
        return [_Unit(start, end, words, index, split=False, code=code)]
    spans: list[tuple[int, int]] = []
    for s, e in _spans(text, start, end, _LINE_GAP_RE if code else _SENTENCE_GAP_RE):
        fits = _count(text[s:e]) <= max_words
        spans += [(s, e)] if fits else _spans(text, s, e, _SPACE_GAP_RE)
    units = [_Unit(s, e, _count(text[s:e]), index, split=True) for s, e in spans]
    return _refenced(text, units, start, end) if code else units


def _refenced(text: str, units: list[_Unit], start: int, end: int) -> list[_Unit]:
    """Code units that reopen and close their block's fence, so every piece is whole Markdown."""
    opening = text[start:end].split("\n", 1)[0]
    match = _FENCE_RE.match(opening)
    fence = match.group("fence") if match else "```"
    refenced = []
    for unit in units:
        line = text[unit.start : unit.end].strip()
        is_closing = unit.start > start and unit.end == end and not line.strip(fence[0])
        prefix = f"{opening.strip()}\n" if unit.start > start else ""
        suffix = "" if is_closing else f"\n{fence}"
        refenced.append(replace(unit, code=True, prefix=prefix, suffix=suffix))
    return refenced


def _render(text: str, units: list[_Unit]) -> str:
    return (units[0].prefix + text[units[0].start : units[-1].end] + units[-1].suffix).strip("\n")


def _cost(units: list[_Unit]) -> int:
    """Words a run of units takes, counting any fence lines added around it."""
    return sum(u.words for u in units) + _count(units[0].prefix) + _count(units[-1].suffix)


def _overlap(previous: list[_Unit], nxt: _Unit, overlap_words: int, max_words: int) -> list[_Unit]:
    """Trailing prose units of the same paragraph, up to ``overlap_words``, to repeat in the next piece."""
    if nxt.code or not nxt.split or not previous or previous[-1].block != nxt.block:
        return []
    seed: list[_Unit] = []
    for unit in reversed(previous):
        if unit.block != nxt.block or sum(u.words for u in seed) + unit.words > overlap_words:
            break
        seed.insert(0, unit)
    while seed and _cost([*seed, nxt]) > max_words:
        seed.pop(0)
    return seed


def window(text: str, max_words: int = 150, overlap_words: int = 30) -> list[str]:
    """Cut ``text`` into pieces of at most about ``max_words`` words for embedding.

    Cuts fall between paragraphs where possible, then between sentences (or lines of
    code), then between words; a fenced code block is only cut when it alone is too long,
    and its pieces are re-fenced. A paragraph too long for one piece starts a new piece,
    and only when a paragraph is cut does the next piece repeat the previous piece's last
    whole sentences that fit in ``overlap_words`` (its last words, when a sentence alone
    was too long; at most half a piece), so a passage keeps the lines leading into it.
    """
    if max_words < 1 or overlap_words < 0:
        raise ValueError("need max_words >= 1 and overlap_words >= 0")
    # A small max_words (for a small model) should not need a matching overlap_words.
    overlap_words = min(overlap_words, max_words // 2)
    if not text.strip():
        return []
    if _count(text) <= max_words:
        return [text]
    units = [u for i, block in enumerate(_blocks(text)) for u in _block_units(text, i, block, max_words)]
    pieces: list[str] = []
    current: list[_Unit] = []
    for unit in units:
        starts_cut_block = unit.split and current and current[-1].block != unit.block
        if current and (starts_cut_block or _cost([*current, unit]) > max_words):
            pieces.append(_render(text, current))
            current = _overlap(current, unit, overlap_words, max_words)
        current.append(unit)
    if current:
        pieces.append(_render(text, current))
    return pieces


def join_pieces(pieces: Sequence[str]) -> str:
    """The text ``window`` cut into ``pieces``, each piece's repeat of the one before dropped (spacing aside)."""
    joined = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        repeated = _repeated_length(joined, piece)
        rest = piece[repeated:].strip()
        if rest:
            joined += (" " if repeated else "\n\n") + rest
    return joined


def _repeated_length(before: str, piece: str) -> int:
    """How much of ``piece``'s start, cut at a space, repeats the end of ``before`` (0 when nothing does)."""
    ends = [m.start() for m in _SPACE_GAP_RE.finditer(piece)] + [len(piece)]
    return next((end for end in reversed(ends) if end <= len(before) and before.endswith(piece[:end])), 0)
