"""The commands feature packages bring, each package's table added here in one line.

A package defines its records (subclasses of ``ExtraCommand``) and its ``CommandSpec`` table in a module of its
own, adds the table below, and its handlers to ``core.desk.extras``: every platform then offers the commands.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.agents.commands import AGENT_COMMANDS
from core.calls.commands import CALL_COMMANDS
from core.command_params import CommandSpec
from core.incidents.commands import INCIDENT_COMMANDS, INCIDENT_GROUPS
from core.requests.commands import REQUEST_COMMANDS, REQUEST_GROUPS
from core.reviews.commands import REVIEW_COMMANDS

EXTRA_COMMANDS: tuple[CommandSpec, ...] = (
    *REQUEST_COMMANDS,
    *CALL_COMMANDS,
    *INCIDENT_COMMANDS,
    *REVIEW_COMMANDS,
    *AGENT_COMMANDS,
)
# What the groups of grouped platforms (Discord's /request) say about themselves.
EXTRA_GROUPS: Mapping[str, str] = {
    **REQUEST_GROUPS,
    **INCIDENT_GROUPS,
}
