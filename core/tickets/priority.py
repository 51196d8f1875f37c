"""Ticket priority: a module of its own, so the command records can name it without importing the messages."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    """Ticket priority, most urgent first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for critical up to 3 for low."""
        return list(Priority).index(self)

    def raised(self, levels: int = 1) -> Priority:
        """This priority moved ``levels`` steps towards critical, capped at critical."""
        order = list(Priority)
        return order[max(0, self.rank - levels)]
