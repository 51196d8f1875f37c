"""The journeys pass: on the escalation worker's pass, every active journey whose next step is due sends it.

A step's message is queued in the outbox in the transaction that moves the journey past it (a conditional
update on the step), so of two workers only one sends it, and a crash before the send does not lose it; the
worker's outbox drain delivers it. Steps wait for the tier's business hours (``due_at``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from core.customers.journeys import (
    JourneySettings,
    JourneyState,
    PlannedStep,
    Progress,
    after_send,
    due_at,
    due_step,
    preview,
    render_step,
)
from core.messages import GITHUB, Destination, Mention, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from datetime import datetime

    from core.ports import Clock
    from core.sla.deadlines import Calendar
    from core.stores import Stores
    from core.tiers import TierDirectory

log = logging.getLogger("helpline.journeys")

# The getting-started articles the welcome lists, as "title: link" lines; none when there is no knowledge base.
ArticleFinder = Callable[[str, int], Sequence[str]]


def no_articles(query: str, count: int) -> Sequence[str]:
    """The finder without a knowledge base: the welcome lists nothing."""
    return ()


def step_notice(progress: Progress, text: str) -> Outbound:
    """A step's message: a direct message to the person (on GitHub, a comment in their issue)."""
    platform, _, user = progress.person.partition(":")
    if platform == GITHUB:
        return Outbound(progress.address, Reply(ReplyKind.INFO, text))
    reply = Reply(ReplyKind.INFO, text, destination=Destination.DIRECT, mentions=(Mention(platform, "user", user),))
    return Outbound(progress.address, reply)


class JourneyPass:
    """Sends every due journey step once; run on every pass of the escalation worker."""

    def __init__(
        self,
        stores: Stores,
        clock: Clock,
        tiers: TierDirectory,
        settings: JourneySettings,
        articles: ArticleFinder = no_articles,
    ) -> None:
        self._stores, self._clock, self._tiers = stores, clock, tiers
        self.settings, self._articles = settings, articles

    def calendars(self) -> dict[str, Calendar]:
        """Each journey tier's business calendar."""
        return {name: self._tiers.get(name).sla.calendar for name in self.settings.journeys}

    def next_due(self, progress: Progress) -> datetime | None:
        """When the person's next step is due (business hours applied); None when none is left or unknown."""
        journey = self.settings.journeys.get(progress.tier)
        return None if journey is None else due_at(journey, progress, self.calendars()[progress.tier])

    async def run_once(self) -> int:
        """Send the due steps; how many this worker sent (a step another worker took is not counted)."""
        now, calendars, sent = self._clock.now(), self.calendars(), 0
        for progress in await self._stores.journeys.active():
            journey = self.settings.journeys.get(progress.tier)
            if journey is None:  # the tier's journey was taken out of journeys.yaml: it waits, sending nothing
                continue
            step = due_step(journey, progress, calendars[progress.tier], now)
            if step is None:
                continue
            try:
                text = render_step(step, progress, await self._welcome_articles(step.template))
                last = after_send(journey, progress) is JourneyState.COMPLETED
                notice = step_notice(progress, text)
                sent += await self._stores.journeys.advance(progress.person, progress.step, notice, now, last=last)
            except Exception:  # one person's broken journey must not hold up the others
                log.exception(
                    "the journey step %r for %s failed; trying again on the next pass", step.name, progress.person
                )
        if sent:
            log.info("%d onboarding journey step(s) queued", sent)
        return sent

    async def _welcome_articles(self, template: str) -> Sequence[str]:
        if "{articles}" not in template or self.settings.article_count == 0:
            return ()
        # A knowledge-base search: off the event loop, like every search of the index.
        return await asyncio.to_thread(self._articles, self.settings.article_query, self.settings.article_count)

    async def preview(self, days: int) -> list[PlannedStep]:
        """Who would get which step when in the next ``days`` days; reads only, sends nothing."""
        people = await self._stores.journeys.active()
        return preview(self.settings.journeys, people, self.calendars(), self._clock.now(), days)
