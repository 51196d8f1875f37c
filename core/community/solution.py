"""A peer solution accepted in a help thread: what the solutions side tells the reputation side.

The desk's solutions flow (the asker or a moderator marks the message that solved a thread) builds one
``AcceptedSolution`` and hands it to every ``SolutionListener`` it was given; reputation is one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class SolverKind(StrEnum):
    """Who wrote the accepted answer: a community member, a staff member, or Helpline's own bot."""

    MEMBER = "member"
    STAFF = "staff"
    BOT = "bot"


@dataclass(frozen=True, slots=True)
class AcceptedSolution:
    """One accepted answer. Identities are ``platform:id`` (e.g. ``discord:1234``)."""

    platform: str
    conversation: str  # the thread's key as the desk names it (platform, workspace, channel, thread)
    asker: str
    helper: str
    solver: SolverKind
    accepted_by: str  # the asker, or the moderator who marked it
    answer_message_id: str
    question: str
    answer: str
    accepted_at: datetime
    ticket: int | None = None  # the thread's ticket, when it had one


class SolutionListener(Protocol):
    """Told once per accepted solution (a second mark of the same thread is not a new solution)."""

    async def solution_accepted(self, solution: AcceptedSolution) -> None: ...
