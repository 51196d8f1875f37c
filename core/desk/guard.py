"""The desk's spam guard: a member's message judged spam is hidden (never answered, no ticket), and the platform
is asked to delete it or time the member out; every decision is audited, and the moderators hear of each incident
once, with the evidence, through the outbox.

It runs at the desk's entry (``SupportDesk.handle``), after the privacy door, so the evidence kept holds no
credential. Moderators and publishers are never judged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from core.community.records import Act, Enforcement, GuardAction, Verdict
from core.community.spam import Post, hosts, judge, window_for
from core.desk.context import actor_of
from core.messages import Address, Destination, IncomingMessage, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.community.records import SpamPolicy
    from core.desk.context import Desk
    from core.messages import Inbound

log = logging.getLogger("helpline.guard")
EVIDENCE_CHARS = 300  # of the message itself, quoted in the notice and the audit log


class SpamGuard:
    """Judges members' messages with the spam rules over a sliding window kept in this process."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.policy: SpamPolicy = desk.spam
        self._window = window_for(self.policy)
        self._known_sites: tuple[str, ...] | None = None  # read from the knowledge base on first use

    def screens(self, message: Inbound) -> bool:
        """True if ``message`` is one the guard judges: a member's written message on a guarded platform."""
        d = self.desk
        return (
            self.policy.enabled
            and isinstance(message, IncomingMessage)
            and message.platform in self.policy.platforms
            and not d.moderators.allows(message.platform, message.author)
            and not d.publishers.allows(message.platform, message.author)
        )

    async def screen(self, message: Inbound) -> Sequence[Reply] | None:
        """None for an ordinary message (the desk answers it); else the replies for spam (the platform's orders)."""
        if not isinstance(message, IncomingMessage) or not self.screens(message):
            return None
        text = message.text if isinstance(message.text, str) else message.text.decode("utf-8", "replace")
        now = self.desk.clock.now()
        address = message.address
        post = Post(actor_of(message), address.channel or address.thread, text, now, message.member_since)
        verdict = judge(post, self._window, self.policy, await self.known_sites())
        if verdict is None:
            return None
        action = await self._record(message, verdict, text)
        log.info("guard: %s broke %s (%s)%s", action.member, verdict.rule, verdict.evidence, _told(action))
        return _orders(verdict)

    async def known_sites(self) -> tuple[str, ...]:
        """The sites the knowledge base's articles and the dashboard live on: links to them are never spam."""
        if self._known_sites is None:  # read once, off the event loop: a large index has many passages
            self._known_sites = await asyncio.to_thread(self._read_sites)
        return self._known_sites

    def _read_sites(self) -> tuple[str, ...]:
        urls = [self.desk.policy.public_url]
        knowledge = self.desk.knowledge
        try:
            urls += [chunk.url for chunk in knowledge.passages() if chunk.url] if knowledge is not None else []
        except Exception:  # no index built yet: only the configured sites count
            log.info("guard: the knowledge base lists no sites yet")
        return tuple(dict.fromkeys(host for url in urls for host in hosts(url)))

    async def _record(self, message: IncomingMessage, verdict: Verdict, text: str) -> GuardAction:
        now = self.desk.clock.now()
        member = actor_of(message)
        last = await self.desk.stores.guard.latest(member)
        ongoing = last is not None and now - last.at <= self.policy.incident_gap
        incident = last.incident if ongoing and last is not None else f"{member}@{now.isoformat()}"
        # One line in a code span: the spam's links, mentions and markdown stay inert where moderators read it.
        quoted = " ".join(text.split())[:EVIDENCE_CHARS].replace("`", "ˋ")
        action = GuardAction(
            now,
            member,
            str(message.address),
            message.message_id,
            verdict.rule.value,
            tuple(sorted(act.value for act in verdict.acts)),
            f"{verdict.evidence}: `{quoted}`",
            incident,
        )
        notice = self._notice(message, verdict, action) if Act.NOTIFY in verdict.acts else None
        return await self.desk.stores.guard.record(action, notice)

    def _notice(self, message: IncomingMessage, verdict: Verdict, action: GuardAction) -> Outbound:
        where = self.policy.notify_channel or self.desk.tiers.resolve(message).tier.team_channel
        done = ", ".join(_done(act, verdict) for act in sorted(verdict.acts) if act is not Act.NOTIFY)
        text = (
            f"Spam guard: {message.author.name} ({action.member}) broke the {verdict.rule.value} rule in "
            f"{message.address}: {action.evidence}. Done: {done}. Further messages of this burst are handled "
            "without another notice; see `helpline guard log`."
        )
        reply = Reply(ReplyKind.WARNING, text, destination=Destination.CHANNEL, origin=message.address)
        return Outbound(Address.parse(where), reply)


def _orders(verdict: Verdict) -> list[Reply]:
    delete = Act.DELETE in verdict.acts
    timeout = verdict.timeout if Act.TIMEOUT in verdict.acts else None
    if not delete and timeout is None:
        return []  # hidden only: nothing for the platform to do
    return [Reply(ReplyKind.GUARD, "", enforcement=Enforcement(verdict.rule.value, delete, timeout))]


def _done(act: Act, verdict: Verdict) -> str:
    if act is Act.TIMEOUT and verdict.timeout is not None:
        return f"timed out for {int(verdict.timeout.total_seconds() // 60)} min"
    return {Act.HIDE: "not answered", Act.DELETE: "message deleted"}.get(act, act.value)


def _told(action: GuardAction) -> str:
    return "; moderators told" if action.notified else ""
