"""``link``: a person joins their identities on two platforms with a one-time code; moderators link and unlink.

``link`` with no code gives the asker a fresh code in an answer only they see (as ``login`` does), valid once
for ten minutes; ``link CODE`` entered as someone else (another platform, another account) joins the two
identities into one person. Codes are rate-limited per person both ways (see ``core.customers.codes``), kept
only as their hash, and every link and unlink is written to the link audit. Nothing is joined by a guess.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from core.commands import Link, LinkIdentities, UnlinkIdentity
from core.customers.codes import (
    CODE_LIFETIME,
    CODES_PER_HOUR,
    WRONG_CODE_WINDOW,
    WRONG_CODES,
    code_hash,
    new_code,
    normalised,
)
from core.customers.records import CustomerError, LinkCode, Person
from core.desk.context import actor_of
from core.desk.people import linked_identities
from core.messages import Destination, Reply, ReplyKind

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Inbound

log = logging.getLogger("helpline.desk.linking")

HOUR = timedelta(hours=1)
NOT_PRIVATE = (
    "A link code is only given where nobody else can read it: run /link on Slack or Discord, or link in the console."
)
WRONG = (
    "That code does not work: it may be mistyped, used already or older than 10 minutes. "
    "Ask for a new one with /link where you are signed in as your other account."
)
TOO_MANY_CODES = "You have asked for {count} link codes in the last hour; please use the newest one or try again later."
TOO_MANY_WRONG = "Too many wrong codes were entered for you; please try again in 15 minutes."
OWN_CODE = (
    "That code was made for this same account. Enter it as your other account (on the other platform); "
    "ask there for a new one with /link."
)


class Linking:
    """Runs ``link``, ``customer link`` and ``customer unlink`` (the moderator check is the desk's, before this)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def run(self, message: Inbound, command: Link | LinkIdentities | UnlinkIdentity) -> Reply:
        """The answer to one of the linking commands."""
        try:
            match command:
                case Link(code=code) if code.strip():
                    return await self._enter(message, code)
                case Link():
                    return await self._issue(message)
                case LinkIdentities(first=first, second=second):
                    return await self._link(message, first, second)
                case UnlinkIdentity(identity=identity):
                    return await self._unlink(message, identity)
        except CustomerError as exc:
            return Reply(ReplyKind.ERROR, str(exc), destination=self._private(message))
        raise AssertionError(command)  # pragma: no cover - the match is exhaustive

    def _private(self, message: Inbound) -> Destination:
        """Answers about a person's own links go to them alone where the platform can do that."""
        private = message.platform in self.desk.policy.private_answer_platforms
        return Destination.DIRECT if private else Destination.THREAD

    async def _issue(self, message: Inbound) -> Reply:
        if message.platform not in self.desk.policy.private_answer_platforms:
            return Reply(ReplyKind.ERROR, NOT_PRIVATE)
        d, mine = self.desk, actor_of(message)
        now = d.clock.now()
        asked = await d.stores.links.codes_since(await linked_identities(d, message), now - HOUR)
        if asked >= CODES_PER_HOUR:
            log.info("%s was refused a link code: %d asked for within the hour", mine, asked)
            return Reply(ReplyKind.ERROR, TOO_MANY_CODES.format(count=asked), destination=Destination.DIRECT)
        code = new_code()
        await d.stores.links.issue_code(LinkCode(code_hash(code), mine, now, now + CODE_LIFETIME))
        log.info("a link code was issued to %s", mine)
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        text = (
            f"Your link code (only you can see it): {code}\n"
            f"Within {minutes} minutes, send /link {code} as yourself on your other platform (Slack, Discord, "
            "GitHub or the console). It works once. Do not share it: whoever enters it is joined to you."
        )
        return Reply(ReplyKind.INFO, text, destination=Destination.DIRECT)

    async def _enter(self, message: Inbound, typed: str) -> Reply:
        d, mine = self.desk, actor_of(message)
        now, where = d.clock.now(), self._private(message)
        identities = await linked_identities(d, message)
        if await d.stores.links.failures_since(identities, now - WRONG_CODE_WINDOW) >= WRONG_CODES:
            log.warning("%s entered too many wrong link codes; refused without checking", mine)
            return Reply(ReplyKind.ERROR, TOO_MANY_WRONG, destination=where)
        used = None if normalised(typed) is None else await d.stores.links.redeem_code(code_hash(typed), now)
        if used is None:
            await d.stores.links.record_failure(mine, now)
            log.info("%s entered a wrong link code", mine)
            return Reply(ReplyKind.ERROR, WRONG, destination=where)
        if used.identity == mine:
            return Reply(ReplyKind.ERROR, OWN_CODE, destination=where)
        before = await d.stores.links.person_of(mine)
        person = await d.stores.links.link(used.identity, mine, mine, now)
        if before is not None and before.id == person.id and used.identity in before.identities:
            return Reply(ReplyKind.INFO, f"You are linked to {used.identity} already.", destination=where)
        log.info("%s linked itself to %s with a code", mine, used.identity)
        text = f"Linked: {_others(person, mine)} and this account are one person now; tickets and tier are shared."
        return Reply(ReplyKind.INFO, text, destination=where)

    async def _link(self, message: Inbound, first: str, second: str) -> Reply:
        one, two = _named(message, first), _named(message, second)
        if one == two:
            return Reply(ReplyKind.ERROR, f"{one} and {two} are the same identity; name two different ones.")
        person = await self.desk.stores.links.link(one, two, actor_of(message), self.desk.clock.now())
        log.info("%s linked %s and %s", actor_of(message), one, two)
        account = f" (account {person.account})" if person.account else ""
        return Reply(ReplyKind.INFO, f"Linked: {', '.join(person.identities)} are one person{account}.")

    async def _unlink(self, message: Inbound, first: str) -> Reply:
        one = _named(message, first)
        before = await self.desk.stores.links.person_of(one)
        await self.desk.stores.links.unlink(one, actor_of(message), self.desk.clock.now())
        log.info("%s unlinked %s", actor_of(message), one)
        rest = [i for i in before.identities if i != one] if before is not None else []
        return Reply(ReplyKind.INFO, f"Unlinked: {one} is no longer the same person as {', '.join(rest)}.")


def _named(message: Inbound, typed: str) -> str:
    """``@id`` (a mention on the command's platform) as ``platform:id``; ``platform:id`` as it is."""
    return f"{message.platform}:{typed[1:]}" if typed.startswith("@") else typed


def _others(person: Person, mine: str) -> str:
    return ", ".join(identity for identity in person.identities if identity != mine)
