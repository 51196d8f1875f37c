"""The spam guard's orders on Discord: delete the message and time its author out, as the desk's reply says.

The desk judged the message (``core/desk/guard.py``) and recorded what it decided; this only carries it out. A
refused delete or timeout (the bot lacks Manage Messages or Moderate Members, or the member outranks it) is
logged: the message stays unanswered either way, and the moderators' notice says what was meant to happen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from core.messages import ReplyKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.community.records import Enforcement
    from core.messages import Reply

log = logging.getLogger("helpline.discord.guard")


async def enforce(message: discord.Message, replies: Sequence[Reply]) -> bool:
    """Carry out the guard's orders among ``replies``; True if the message was spam (then nothing is sent)."""
    orders = [reply for reply in replies if reply.kind is ReplyKind.GUARD]
    for reply in orders:
        if reply.enforcement is not None:
            await _delete(message, reply.enforcement)
            await _time_out(message, reply.enforcement)
    return bool(orders)


async def _delete(message: discord.Message, order: Enforcement) -> None:
    if not order.delete:
        return
    try:
        await message.delete()
    except discord.NotFound:
        pass  # deleted already, by its author or a moderator
    except discord.HTTPException as exc:
        log.warning("could not delete message %s (%s rule; needs Manage Messages): %s", message.id, order.rule, exc)


async def _time_out(message: discord.Message, order: Enforcement) -> None:
    member = message.author
    if order.timeout is None or not isinstance(member, discord.Member):
        return
    try:
        await member.timeout(order.timeout, reason=f"Helpline spam guard: the {order.rule} rule")
    except discord.HTTPException as exc:
        log.warning("could not time out member %s (%s rule; needs Moderate Members): %s", member.id, order.rule, exc)
