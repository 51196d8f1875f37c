"""The messages of a thread in SQL, kept before and after a ticket is opened from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.store import rows
from core.store.base import SqlPort
from core.store.schema import messages

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Executable
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.messages import Address
    from core.tickets.records import ConversationMessage


def same_message(message: ConversationMessage) -> Executable:
    """The kept message with this one's platform id."""
    platform, external_id = messages.c.platform, messages.c.external_id
    return select(messages.c.id).where(platform == message.address.platform, external_id == message.external_id)


async def keep_message(conn: AsyncConnection, message: ConversationMessage, ticket: int | None) -> bool:
    """Keep ``message`` on ``ticket`` inside ``conn``'s transaction; False if its platform id was already seen."""
    # The unique (platform, external_id) constraint decides, inside a savepoint: on PostgreSQL a
    # failed statement aborts its whole transaction, and the ticket change around it must still apply.
    try:
        async with conn.begin_nested():
            await conn.execute(insert(messages).values(rows.message_values(message, ticket)))
    except IntegrityError:
        if message.external_id and (await conn.execute(same_message(message))).first() is not None:
            return False
        raise
    return True


class SqlConversations(SqlPort):
    """The ``Conversations`` port in a SQL database."""

    async def record_message(self, message: ConversationMessage) -> bool:
        """Keep a message; False (and nothing stored) if its platform id was already seen."""
        try:
            async with self._write() as conn:
                if message.ticket is not None:
                    await self._require_ticket(conn, message.ticket)
                await conn.execute(insert(messages).values(rows.message_values(message, message.ticket)))
        except IntegrityError:
            # The unique (platform, external_id) constraint decides, so two processes cannot both keep it.
            if message.external_id and await self._exists(same_message(message)):
                return False
            raise
        return True

    async def conversation(self, address: Address, *, limit: int = 50) -> list[ConversationMessage]:
        """The thread's messages not yet attached to any ticket, oldest first (the latest ``limit``)."""
        query = (
            select(messages)
            .where(rows.in_thread(messages, address), messages.c.ticket_id.is_(None))
            .order_by(messages.c.at.desc(), messages.c.id.desc())
            .limit(max(limit, 0))
        )
        return [rows.message_from(row) for row in reversed(await self._read(query))]

    async def messages(self, number: int) -> list[ConversationMessage]:
        """The messages attached to a ticket, oldest first."""
        query = select(messages).where(messages.c.ticket_id == number).order_by(messages.c.at, messages.c.id)
        return [rows.message_from(row) for row in await self._read(query)]

    async def attach_message(self, message: ConversationMessage, number: int) -> bool:
        """Attach a kept message that is on no ticket yet to ticket ``number``; False if it was not waiting."""
        c = messages.c
        which: list[ColumnElement[bool]] = [c.platform == message.address.platform]
        if message.external_id:
            which.append(c.external_id == message.external_id)
        else:
            which += [rows.in_thread(messages, message.address), c.external_id.is_(None)]
            which += [c.author_id == message.author_id, c.at == message.at, c.text == message.text]
        async with self._write() as conn:
            await self._require_ticket(conn, number)
            done = await conn.execute(update(messages).where(*which, c.ticket_id.is_(None)).values(ticket_id=number))
        return bool(done.rowcount)
