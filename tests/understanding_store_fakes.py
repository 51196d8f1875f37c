"""The understanding domain's port in memory: intent corrections, one example per ticket."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core.understanding.ports import IntentExample
from tests.store_state import utc

if TYPE_CHECKING:
    from datetime import datetime

    from tests.store_state import MemoryState


class InMemoryIntentExamples:
    """The ``IntentExamples`` port in memory: a ticket's later correction replaces its example."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self.kept: dict[int, IntentExample] = {}

    async def keep(self, example: IntentExample) -> bool:
        """Keep ``example`` as its ticket's example, replacing an earlier one; True if one was replaced."""
        self.state.require(example.ticket)
        replaced = example.ticket in self.kept
        self.kept[example.ticket] = replace(example, at=utc(example.at))
        return replaced

    async def examples(self) -> list[IntentExample]:
        """Every kept example, by ticket number."""
        return [self.kept[number] for number in sorted(self.kept)]

    async def latest(self) -> datetime | None:
        """When the newest example was kept (None when there are none)."""
        return max((example.at for example in self.kept.values()), default=None)
