"""The understanding domain's port: moderators' intent corrections, kept as labelled examples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class IntentExample:
    """A corrected ticket as a labelled example: its customer's question and the intent a moderator gave it."""

    ticket: int
    text: str
    intent: str
    actor: str  # who corrected it, ``platform:id``
    at: datetime


class IntentExamples(Protocol):
    """The corrections, one example per ticket: a ticket corrected again keeps only its latest."""

    async def keep(self, example: IntentExample) -> bool:
        """Keep ``example`` as its ticket's example, replacing an earlier one; True if one was replaced."""
        ...

    async def examples(self) -> list[IntentExample]:
        """Every kept example, by ticket number."""
        ...

    async def latest(self) -> datetime | None:
        """When the newest example was kept (None when there are none): what a retrain compares with."""
        ...
