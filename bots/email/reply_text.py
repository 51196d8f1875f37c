"""The new words of a reply: quoted history and signatures cut off, in the shapes Gmail, Outlook and Apple
Mail write them."""

from __future__ import annotations

import re

from bots.email.html_text import QUOTE_MARK

# "On Tue, 1 Dec 2026 at 10:00, Helpline <support@…> wrote:" (Gmail, Apple Mail; may wrap over two lines).
_WROTE = re.compile(r"^\s*(on|am|le|el)\b.{0,300}\b(wrote|schrieb|a écrit|escribió)\s*:\s*$", re.I | re.S)
_OUTLOOK = (
    re.compile(r"^\s*-{2,}\s*original message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above "From: … Sent: …"
    re.compile(r"^\s*from:\s.+$", re.I),  # a header block starting the history
)
_SIGNATURE = (
    re.compile(r"^--\s?$"),  # the standard "-- " delimiter
    re.compile(r"^\s*sent from my (iphone|ipad|android|mobile|phone)", re.I),
    re.compile(r"^\s*get outlook for (ios|android)", re.I),
)


def new_text(body: str) -> str:
    """``body`` without the history it quotes and without the sender's signature."""
    lines = body.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line.strip() == QUOTE_MARK or line.lstrip().startswith(">"):
            break
        if _WROTE.match(line) or _WROTE.match(" ".join(lines[index : index + 2])):
            break
        if any(pattern.match(line) for pattern in _OUTLOOK) and index > 0:
            break
        if any(pattern.match(line) for pattern in _SIGNATURE):
            break
        kept.append(line)
    text = "\n".join(kept).strip()
    return text if text else body.replace(QUOTE_MARK, "").strip()
