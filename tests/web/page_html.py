"""Reading the dashboard's HTML the way a browser would (``html.parser``), for the page tests."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Element:
    """A start tag with its attributes."""

    tag: str
    attrs: dict[str, str]


class Parsed(HTMLParser):
    """Every element, and the text of the page, of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the element."""
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        """Keep the text."""
        self.texts.append(data)

    @property
    def text(self) -> str:
        """The page's text with runs of white space made one space."""
        return " ".join(" ".join(self.texts).split())

    def find(self, tag: str, **attrs: str) -> list[Element]:
        """The elements with this tag whose attributes include ``attrs`` (``class_`` for ``class``)."""
        wanted = {name.rstrip("_"): value for name, value in attrs.items()}
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in wanted.items())]

    def links(self) -> list[str]:
        """Every ``href`` and ``src`` on the page."""
        return [e.attrs[a] for e in self.elements for a in ("href", "src") if a in e.attrs]


def parse(html: str) -> Parsed:
    """The parsed document."""
    parsed = Parsed()
    parsed.feed(html)
    parsed.close()
    return parsed


def injected(parsed: Parsed) -> list[str]:
    """What of a user's markup became markup: scripts other than the dashboard's, handlers, javascript: links."""
    found = []
    for element in parsed.elements:
        if element.tag == "script" and not element.attrs.get("src", "").startswith("/dashboard/static/"):
            found.append(f"<script {element.attrs}>")
        if element.tag == "img":
            found.append(f"<img {element.attrs}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"{element.tag} {name}={value!r}")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                found.append(f"{element.tag} {name}={value!r}")
    return found
