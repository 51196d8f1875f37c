"""Where the guard's decisions are kept: one audit port, which also queues each incident's one notice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.community.records import GuardAction
    from core.messages import Outbound


class GuardLog(Protocol):
    """Every action the spam guard took."""

    async def record(self, action: GuardAction, notice: Outbound | None) -> GuardAction:
        """Keep ``action``; queue ``notice`` (in the outbox) only if its incident has had none yet.

        Returns the action as kept: ``notified`` says whether this one queued the incident's notice.
        """
        ...

    async def latest(self, member: str) -> GuardAction | None:
        """The newest action about ``member`` (``platform:id``), if any."""
        ...

    async def actions(self, limit: int = 20) -> list[GuardAction]:
        """The newest ``limit`` actions, newest first."""
        ...
