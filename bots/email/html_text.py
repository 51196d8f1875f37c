"""HTML mail bodies as plain text: blocks become lines, scripts and styles vanish, quoted blocks are marked."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr", "pre"})
_HIDDEN = frozenset({"script", "style", "head", "title"})
# Where mail programs put the history of a reply: Gmail's quote, Apple Mail's blockquote, Outlook's divider.
_QUOTE_CLASSES = ("gmail_quote", "gmail_attr", "yahoo_quoted", "moz-cite-prefix")
QUOTE_MARK = "\x00quote\x00"  # a line the stripper reads as "the history starts here"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
            return
        values = dict(attrs)
        classes = values.get("class") or ""
        element_id = values.get("id") or ""
        if (
            tag == "blockquote"
            or any(name in classes for name in _QUOTE_CLASSES)
            or element_id in ("divRplyFwdMsg", "appendonsend")
        ):
            self.parts.append(f"\n{QUOTE_MARK}\n")
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of ``html``, one line per block, runs of blank lines collapsed."""
    if not html.strip():
        return ""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
