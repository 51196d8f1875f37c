"""The video-call command: its record and table, brought to every platform by ``core.command_extras``."""

from __future__ import annotations

from dataclasses import dataclass

from core.command_params import CommandSpec, Param, ParamKind
from core.command_records import ExtraCommand

# "call" alone is about the conversation's ticket (if it has one); "call 12" about ticket 12.
_TICKET = Param("ticket", ParamKind.TICKET, "The ticket the call is about (optional)", "a ticket number", "0")


@dataclass(frozen=True)
class RequestCall(ExtraCommand):
    """Ask for a video call: three free slots are offered, within the tier's monthly quota."""

    ticket: int = 0  # 0: the conversation's active ticket, if any


CALL_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "call", "call [N]", "book a video call with support (about ticket N)", RequestCall,
        lambda o: RequestCall(int(o["ticket"])), (_TICKET,), ("call",), moderator=False,
    ),
)  # fmt: skip
