"""Buttons under the bot's messages, with custom ids that keep working after a restart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bots.discord.translate import CUSTOM_ID_PREFIX, CUSTOM_ID_TEMPLATE
from core.messages import Action, Choice

if TYPE_CHECKING:
    from discord.ui import Item


class ChoiceHandler(Protocol):
    """What a pressed button is handed to (the bot)."""

    async def handle_choice(self, interaction: discord.Interaction, value: str) -> None:
        """Act on the choice ``value`` (e.g. ``claim:12``)."""
        ...


_STYLES = {
    Action.HELPFUL: discord.ButtonStyle.success,
    Action.HUMAN: discord.ButtonStyle.primary,
    Action.OPEN_TICKET: discord.ButtonStyle.primary,
    Action.CLAIM: discord.ButtonStyle.primary,
}


class ChoiceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CUSTOM_ID_TEMPLATE):
    """A choice as a button; Discord hands its custom id back when pressed, whenever that is."""

    def __init__(self, value: str, label: str = "Choose", action: Action | None = None) -> None:
        style = _STYLES.get(action, discord.ButtonStyle.secondary) if action else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label[:80], style=style, custom_id=CUSTOM_ID_PREFIX + value))
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: Item[Any], match: re.Match[str], /
    ) -> ChoiceButton:
        """Rebuild the button from its custom id (after a restart the bot has no view in memory)."""
        return cls(match["value"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the choice to the bot."""
        client: Any = interaction.client
        if hasattr(client, "handle_choice"):
            handler: ChoiceHandler = client
            await handler.handle_choice(interaction, self.value)


def choice_view(choices: tuple[Choice, ...]) -> discord.ui.View | None:
    """A view holding one button per choice, or None when there are none."""
    if not choices:
        return None
    view = discord.ui.View(timeout=None)
    for choice in choices[:25]:
        view.add_item(ChoiceButton(choice.value, choice.label, choice.action))
    return view
