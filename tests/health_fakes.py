"""The in-memory ``HealthHistory``: one score per account and day, like the SQL store's unique index."""

from __future__ import annotations

from datetime import date

from core.customers.health_history import HealthDay


class InMemoryHealthHistory:
    """Scores in a dictionary keyed by account and day."""

    def __init__(self) -> None:
        self.days: dict[tuple[str, date], HealthDay] = {}

    async def add(self, score: HealthDay) -> bool:
        """Keep the score unless the account has one for the day."""
        key = (score.account, score.day)
        if key in self.days:
            return False
        self.days[key] = score
        return True

    async def put(self, score: HealthDay) -> None:
        """Keep the score, replacing the day's."""
        self.days[(score.account, score.day)] = score

    async def history(self, account_id: str, since: date) -> list[HealthDay]:
        """The account's scores from ``since`` on, oldest first."""
        return sorted((h for (a, d), h in self.days.items() if a == account_id and d >= since), key=lambda h: h.day)

    async def every_history(self, since: date) -> list[HealthDay]:
        """Every account's scores from ``since`` on, by account then day."""
        return sorted((h for (_, d), h in self.days.items() if d >= since), key=lambda h: (h.account, h.day))

    async def scored_on(self, day: date) -> set[str]:
        """The accounts with a score for ``day``."""
        return {a for a, d in self.days if d == day}
