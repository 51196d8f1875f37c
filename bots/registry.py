"""The platform adapters this build has, one line each (see ``bots.adapters`` for what a line needs)."""

from __future__ import annotations

from bots.adapters import AdapterSpec
from bots.discord import runner as discord
from bots.email import runner as email
from bots.github import runner as github
from bots.slack import runner as slack

ADAPTERS: tuple[AdapterSpec, ...] = (discord.ADAPTER, slack.ADAPTER, github.ADAPTER, email.ADAPTER)
