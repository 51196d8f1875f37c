"""The knowledge base's articles as people write and review them: states, versions, the audit log, phrasings.

An article's ``state`` is where its newest version stands; ``live_version`` is the version customers are
answered from, if any. So a published article edited by someone without the publisher role goes back to
review while its published text keeps answering, until the edit is approved. Articles built from files
(``helpline kb build``) are listed here too, so they have a number, but their text belongs to their files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import HelplineError

TITLE_CHARS = 200
BODY_CHARS = 20_000


class ArticleState(StrEnum):
    """Where an article's newest version stands."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ArticleOrigin(StrEnum):
    """Where an article came from, which decides who owns its text."""

    CHAT = "chat"  # written with `kb add` or on the dashboard
    TICKET = "ticket"  # proposed from a resolved ticket
    FILE = "file"  # built from the knowledge-base files by `helpline kb build`; edited there, not in chat


# The moves a state allows (rejecting sends a version back to draft; archiving stops serving it).
TRANSITIONS: Mapping[ArticleState, frozenset[ArticleState]] = {
    ArticleState.DRAFT: frozenset({ArticleState.IN_REVIEW, ArticleState.PUBLISHED, ArticleState.ARCHIVED}),
    ArticleState.IN_REVIEW: frozenset({ArticleState.DRAFT, ArticleState.PUBLISHED, ArticleState.ARCHIVED}),
    ArticleState.PUBLISHED: frozenset({ArticleState.IN_REVIEW, ArticleState.ARCHIVED}),
    ArticleState.ARCHIVED: frozenset({ArticleState.DRAFT}),
}


class ArticleConflict(HelplineError):
    """A change refused because the article is not in the state (or at the version) the change expected."""


@dataclass(frozen=True)
class Article:
    """One article, as its newest version has it."""

    number: int
    doc_id: str  # the knowledge base's id: passages, votes and citations name it
    title: str
    body: str
    state: ArticleState
    origin: ArticleOrigin
    version: int  # the newest version, from 1
    live_version: int | None  # the version customers are answered from; None when it is not served
    author: str  # who wrote the first version (``platform:id``, or a file's path for file articles)
    created_at: datetime
    updated_at: datetime
    ticket: int | None = None  # the resolved ticket a proposed draft came from
    source: str | None = None  # for file articles: the file its text lives in
    url: str | None = None  # a public link to cite, if it has one

    @property
    def editable_in_chat(self) -> bool:
        """False for file articles: their text is changed in their files."""
        return self.origin is not ArticleOrigin.FILE


@dataclass(frozen=True)
class NewArticle:
    """What creating an article takes."""

    title: str
    body: str
    origin: ArticleOrigin
    author: str
    at: datetime
    state: ArticleState = ArticleState.DRAFT
    ticket: int | None = None
    source: str | None = None
    url: str | None = None
    doc_id: str | None = None  # None: the store names it ``article/<number>``


@dataclass(frozen=True)
class ArticleVersion:
    """One saved text of an article."""

    number: int
    version: int
    title: str
    body: str
    author: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class ArticleEvent:
    """One line of an article's audit log."""

    number: int
    at: datetime
    actor: str
    action: str  # created, edited, submitted, approved, rejected, archived, restored, phrasing
    detail: str = ""


@dataclass(frozen=True)
class LiveArticle:
    """The text of an article written in Helpline (chat or ticket) that customers are answered from."""

    number: int
    doc_id: str
    title: str
    body: str  # the live version's text
    url: str | None = None


@dataclass(frozen=True)
class FileArticle:
    """An article the knowledge-base files hold, as the build found it."""

    doc_id: str
    title: str
    source: str  # the file, as the build names it
    body: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Phrasing:
    """Another way a customer asked what an article answers (from a resolved ticket, usually)."""

    doc_id: str
    question: str
    at: datetime
    actor: str
    ticket: int | None = None


def phrasing_key(question: str) -> str:
    """What two phrasings must share to count as the same: the words, case and spacing ignored."""
    return " ".join(question.casefold().split())[:255]
