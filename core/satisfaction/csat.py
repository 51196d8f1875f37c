"""The satisfaction questions as replies, and the rules an answer to them must keep."""

from __future__ import annotations

from datetime import datetime

from core.messages import Action, Choice, Destination, Reply, ReplyKind
from core.satisfaction.policy import SatisfactionPolicy
from core.satisfaction.records import SCALES, Survey, SurveyKind

COMMENT_INVITE = "Add a comment? Reply with a comment, or ask anything else as usual."


def csat_question(survey: Survey) -> Reply:
    """ "How did we do with ticket #N?" with one choice per rating, 1 to 5."""
    choices = tuple(Choice(str(score), Action.RATE, survey.id, score) for score in SCALES[SurveyKind.CSAT])
    text = f"How did we do with ticket #{survey.ticket}? Pick 1 (poor) to 5 (great)."
    return Reply(ReplyKind.SURVEY, text, choices=choices, ticket=survey.ticket)


def nps_question(survey: Survey, product: str, destination: Destination) -> Reply:
    """ "How likely are you to recommend ...?" with one choice per rating, 0 to 10."""
    choices = tuple(Choice(str(score), Action.RATE, survey.id, score) for score in SCALES[SurveyKind.NPS])
    text = (
        f"How likely are you to recommend {product} to a friend or colleague? "
        "Pick 0 (not at all likely) to 10 (extremely likely)."
    )
    return Reply(ReplyKind.SURVEY, text, choices=choices, destination=destination)


def refusal(
    survey: Survey | None, person: str, score: int | None, now: datetime, policy: SatisfactionPolicy
) -> str | None:
    """Why ``person`` may not give ``score`` (None: a comment alone) on ``survey`` now; None when they may."""
    if survey is None:
        return "That survey does not exist. Use the buttons under the question, or `rate SCORE` in its thread."
    if survey.person != person:
        return "Only the person this survey was sent to can answer it."
    scale = SCALES[survey.kind]
    if score is not None and score not in scale:
        return f"{score} is not on this survey's scale; pick {scale.start} to {scale.stop - 1}."
    if survey.answered_at is not None and now > survey.answered_at + policy.change_window:
        days = policy.change_window.days or 1
        return (
            f"Your rating can only be changed within {days} day(s) of giving it; it stays {survey.score}. "
            "Reply in the thread if something is still wrong."
        )
    if score is None and survey.score is None:
        return "Rate first (`rate SCORE [comment]`), then add a comment."
    return None


def thanks(survey: Survey, changed: bool) -> Reply:
    """What the customer reads after rating: thanks, and the invitation to comment."""
    what = f"ticket #{survey.ticket}" if survey.ticket is not None else "us"
    said = "Your rating is now" if changed else "Thanks for rating"
    text = f"{said} {survey.score} for {what}." if changed else f"{said} {what}: {survey.score}."
    return Reply(ReplyKind.INFO, f"{text} {COMMENT_INVITE}", ticket=survey.ticket)


def read_score(text: str) -> int | None:
    """The rating typed as ``text`` (digits only); None if it is not a whole number."""
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() and len(stripped) <= 3 else None


def looks_like_comment(text: str) -> bool:
    """A short remark, not a question: no question mark, at most 500 characters, not starting with a question word."""
    stripped = text.strip()
    first = stripped.split(maxsplit=1)[0].lower().strip(",.!") if stripped else ""
    return bool(stripped) and "?" not in stripped and len(stripped) <= 500 and first not in _QUESTION_WORDS


_QUESTION_WORDS = frozenset(
    {"how", "what", "why", "when", "where", "who", "which", "can", "could", "does", "do", "is", "are", "will"}
    | {"would", "should", "may", "help"}
)


def ready(survey: Survey, at: datetime, policy: SatisfactionPolicy) -> bool:
    """True when a message at ``at`` is still within the comment window of ``survey``'s latest rating."""
    rated = survey.updated_at or survey.answered_at
    return survey.score is not None and not survey.comment and rated is not None and at <= rated + policy.comment_window
