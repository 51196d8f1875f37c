"""``login``: a moderator asks in chat for a one-time link that signs them in to the dashboard as themselves.

The link carries a fresh random token; the store keeps only its hash, bound to the moderator's platform
identity and the roles they have now, for ten minutes and one use. It is only ever given in an answer the
asker alone sees (a slash command's private answer, the local console), never in a public comment.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from core.messages import Destination, Reply, ReplyKind
from core.staff.records import Identity, SignInLink
from core.staff.tokens import new_token, token_hash

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Inbound

log = logging.getLogger("helpline.desk.signin")

LINK_LIFETIME = timedelta(minutes=10)
LOGIN_PATH = "/dashboard/login/"
NOT_PRIVATE = (
    "A sign-in link is only given where nobody else can read it: run /helpline login on Slack or Discord, "
    "or login in the console."
)
DISABLED = "Your dashboard account is disabled, so no sign-in link was made. Ask a lead to enable it."


def sign_in_url(public_url: str, token: str) -> str:
    """The link a token signs in with: ``{public_url}/dashboard/login/{token}``."""
    return f"{public_url.rstrip('/')}{LOGIN_PATH}{token}"


class SignIn:
    """Issues the one-time sign-in links moderators ask for (the moderator check is the desk's, before this)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def link(self, message: Inbound) -> Reply:
        """A new link for ``message``'s author, in a private answer; refused where the answer would be public."""
        if message.platform not in self.desk.policy.private_answer_platforms:
            return Reply(ReplyKind.ERROR, NOT_PRIVATE)
        author = message.author
        account = await self.desk.stores.staff.for_identity(message.platform, author.id)
        if account is not None and account.disabled:
            return Reply(ReplyKind.ERROR, DISABLED, destination=Destination.DIRECT)
        identity = Identity(message.platform, author.id, author.name, frozenset(author.roles))
        token, now = new_token(), self.desk.clock.now()
        await self.desk.stores.staff.issue_link(SignInLink(token_hash(token), identity, now, now + LINK_LIFETIME))
        log.info("a dashboard sign-in link was issued to %s", identity.actor)
        minutes = int(LINK_LIFETIME.total_seconds() // 60)
        text = (
            f"Your dashboard sign-in link (only you can see it): {sign_in_url(self.desk.policy.public_url, token)}\n"
            f"It signs you in once, as {author.name}, within {minutes} minutes. Do not share it."
        )
        return Reply(ReplyKind.INFO, text, destination=Destination.DIRECT)
