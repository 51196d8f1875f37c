"""The rules every ``Articles`` store applies to a change: which moves and edits a state allows, and what they log."""

from __future__ import annotations

from core.knowledge.articles import TRANSITIONS, ArticleConflict, ArticleState

CREATED = "created"
EDITED = "edited"
PHRASING = "phrasing"

_LABELS = {
    ArticleState.DRAFT: "draft",
    ArticleState.IN_REVIEW: "in review",
    ArticleState.PUBLISHED: "published",
    ArticleState.ARCHIVED: "archived",
}


def label(state: ArticleState) -> str:
    """A state as a person reads it."""
    return _LABELS[state]


def check_move(number: int, current: ArticleState, expected: ArticleState, to: ArticleState) -> None:
    """Refuse a move unless the article is still in ``expected`` and ``expected`` allows ``to``."""
    if current is not expected:
        raise ArticleConflict(f"Article {number} is {label(current)} now, not {label(expected)}; nothing was changed.")
    if to not in TRANSITIONS[expected]:
        raise ArticleConflict(f"Article {number} is {label(expected)}; it cannot be made {label(to)}.")


def check_revise(number: int, current: ArticleState, newest: int, expected: int, to: ArticleState) -> None:
    """Refuse an edit made on an older version, or one that would leave the article in a state it cannot reach."""
    if newest != expected:
        raise ArticleConflict(
            f"Article {number} has version {newest} now, not {expected}; someone else changed it. "
            "Look at it again before editing."
        )
    if to is ArticleState.ARCHIVED or (to is not current and to not in TRANSITIONS[current]):
        raise ArticleConflict(f"Article {number} is {label(current)}; an edit cannot make it {label(to)}.")


def move_action(was: ArticleState, to: ArticleState) -> str:
    """The audit log's word for a move."""
    if to is ArticleState.IN_REVIEW:
        return "submitted"
    if to is ArticleState.PUBLISHED:
        return "approved"
    if to is ArticleState.ARCHIVED:
        return "archived"
    return "restored" if was is ArticleState.ARCHIVED else "rejected"


def live_after(to: ArticleState, newest: int, live: int | None) -> int | None:
    """The version customers are answered from after the article moves to ``to`` (the newest being ``newest``).

    Publishing serves the newest version; archiving serves none; review and draft keep what was served, so a
    published article's edit waits for review while its published text keeps answering.
    """
    if to is ArticleState.PUBLISHED:
        return newest
    if to is ArticleState.ARCHIVED:
        return None
    return live


def created_detail(state: ArticleState, ticket: int | None) -> str:
    """The audit log's detail for an article's creation."""
    return label(state) if ticket is None else f"{label(state)}, from ticket {ticket}"


def phrasing_detail(question: str, ticket: int | None) -> str:
    """The audit log's detail for a phrasing kept for an article."""
    return question if ticket is None else f"{question} (ticket {ticket})"
