"""Durations written in settings (``30m``, ``7d``): the one check every section's validators call."""

from __future__ import annotations

from pydantic_core import PydanticCustomError

from core.sla.deadlines import parse_duration


def checked_duration(value: str) -> str:
    """``value`` if it reads as a duration; otherwise a validation error with the reason, as the operator reads it."""
    try:
        parse_duration(value)
    except ValueError as exc:
        # A custom error keeps pydantic's "Value error, " prefix out of the message the operator reads.
        raise PydanticCustomError("duration", str(exc)) from None
    return value
