"""Who runs the commands feature packages bring (``core.command_extras``): one handler per record type.

A handler gets ``Desks`` (the desk, and the packages' desks the moderation keeps), the message and the command, and
returns the reply. A package adds its handlers below in one line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from core.agents.commands import AGENT_COMMANDS, EditAgent, Presence, ShowTeam
from core.calls.commands import CALL_COMMANDS, RequestCall
from core.command_params import CommandSpec
from core.command_records import ExtraCommand
from core.desk.agents import AgentDesk
from core.desk.incidents import IncidentDesk
from core.desk.reviews import ReviewDesk
from core.errors import HelplineError
from core.incidents import commands as incidents
from core.messages import Inbound, Reply
from core.requests import commands as requests
from core.reviews.commands import REVIEW_COMMANDS, ReviewTicket

if TYPE_CHECKING:
    from core.desk.calls import CallDesk
    from core.desk.context import Desk
    from core.desk.requests import RequestDesk


class Desks(Protocol):
    """What a handler may use: the desk, and the packages' own desks that live as long as the moderation's."""

    desk: Desk
    requests: RequestDesk
    calls: CallDesk


ExtraHandler = Callable[[Desks, Inbound, Any], Awaitable[Reply]]


async def _request(moderation: Desks, message: Inbound, command: requests.RequestCommand) -> Reply:
    return await moderation.requests.command(message, command)


async def _call(moderation: Desks, message: Inbound, command: RequestCall) -> Reply:
    return await moderation.calls.offer(message, command.ticket)


async def _incident(moderation: Desks, message: Inbound, command: incidents.IncidentCommand) -> Reply:
    return await IncidentDesk(moderation.desk).command(message, command)


async def _agents(moderation: Desks, message: Inbound, command: Presence | ShowTeam | EditAgent) -> Reply:
    agents = AgentDesk(moderation.desk)
    if isinstance(command, Presence):
        return await agents.presence(message, command.away)
    if isinstance(command, EditAgent):
        return await agents.edit(message, command)
    return await agents.roster()


async def _review(moderation: Desks, message: Inbound, command: ReviewTicket) -> Reply:
    return await ReviewDesk(moderation.desk).command(message, command)


def _each(specs: Iterable[CommandSpec], handler: ExtraHandler) -> dict[type[ExtraCommand], ExtraHandler]:
    """``handler`` for every record of a package's table."""
    return {record: handler for spec in specs if issubclass(record := spec.record, ExtraCommand)}


HANDLERS: Mapping[type[ExtraCommand], ExtraHandler] = {
    **_each(requests.REQUEST_COMMANDS, _request),
    **_each(CALL_COMMANDS, _call),
    **_each(incidents.INCIDENT_COMMANDS, _incident),
    **_each(AGENT_COMMANDS, _agents),
    **_each(REVIEW_COMMANDS, _review),
}


async def run_extra(moderation: Desks, message: Inbound, command: ExtraCommand) -> Reply:
    """Run a feature package's ``command`` with its handler."""
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise HelplineError(f"no handler for the command {type(command).__name__} (core.desk.extras)")
    return await handler(moderation, message, command)
