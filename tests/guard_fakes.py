"""The in-memory ``GuardLog``: actions in a list, each incident's notice queued once in the state's outbox."""

from __future__ import annotations

from dataclasses import replace

from core.community.records import GuardAction
from core.messages import Outbound
from tests.store_state import MemoryState


class InMemoryGuardLog:
    """The guard's actions, oldest first; notices go into ``state``'s outbox, the one the drain reads."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self._state = state if state is not None else MemoryState()
        self.kept: list[GuardAction] = []
        self.told: set[str] = set()

    async def record(self, action: GuardAction, notice: Outbound | None) -> GuardAction:
        """Keep ``action``; queue ``notice`` only if its incident has had none yet."""
        notified = notice is not None and action.incident not in self.told
        if notified and notice is not None:
            self.told.add(action.incident)
            self._state.enqueue(None, None, notice)
        kept = replace(action, notified=notified)
        self.kept.append(kept)
        return kept

    async def latest(self, member: str) -> GuardAction | None:
        """The newest action about ``member``."""
        return next((a for a in reversed(self.kept) if a.member == member), None)

    async def actions(self, limit: int = 20) -> list[GuardAction]:
        """The newest ``limit`` actions, newest first."""
        return list(reversed(self.kept))[:limit]
