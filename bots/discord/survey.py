"""Surveys in Discord's own UI: CSAT as five buttons, NPS as a select menu, and a modal for the comment.

The custom ids carry the survey's number, so they keep working after a restart; each is read back
strictly (``rating``) and anything that is not a rating we could have offered is refused.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bots.discord.views import ChoiceButton
from core.messages import Action, Choice

if TYPE_CHECKING:
    from discord.ui import Item

SCORE_TEMPLATE = r"helpline-score:(?P<survey>[0-9]{1,10})"
COMMENT_TEMPLATE = r"helpline-comment:(?P<survey>[0-9]{1,10})"
COMMENT_LIMIT = 1000
ADD_COMMENT = "Add a comment"
BUTTON_SCALE = 5  # up to this many scores are buttons (CSAT 1-5); more (NPS 0-10) become a select menu
_TOP = 10  # the highest score on any scale (NPS)


class SurveyHandler(Protocol):
    """What a survey's controls hand their answers to (the bot)."""

    async def handle_choice(self, interaction: discord.Interaction, value: str) -> None:
        """Act on the rating ``value`` (``rate:<survey>:<score>``)."""
        ...

    async def handle_comment(self, interaction: discord.Interaction, survey: int, text: str) -> None:
        """Keep ``text`` as the comment on ``survey``."""
        ...


def is_survey(choices: tuple[Choice, ...]) -> bool:
    """True when the choices are a survey's scale (every one a rating)."""
    return bool(choices) and all(choice.action is Action.RATE for choice in choices)


def rating(value: str, survey: int | None = None) -> Choice | None:
    """The rating a value stands for, or None when no survey of ours offers it (mistyped, old or forged).

    ``survey`` is the number the control itself carries: a select menu's option must name the same survey.
    """
    try:
        choice = Choice.parse(value)
    except ValueError:
        return None
    if choice.action is not Action.RATE or choice.ticket is None or choice.score is None:
        return None
    if not 0 <= choice.score <= _TOP or (survey is not None and choice.ticket != survey):
        return None
    return choice


def _handler(interaction: discord.Interaction) -> SurveyHandler | None:
    client: Any = interaction.client
    return client if hasattr(client, "handle_comment") else None


class ScoreSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SCORE_TEMPLATE):
    """An NPS survey's 0-10 as a select menu; picking a score hands it to the bot."""

    def __init__(self, survey: int, choices: tuple[Choice, ...] = ()) -> None:
        options = [discord.SelectOption(label=c.label[:100] or str(c.score), value=c.value) for c in choices[:25]]
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"helpline-score:{survey}",
            placeholder=f"Pick a score from {choices[0].score} to {choices[-1].score}" if choices else "Pick a score",
            options=options or [discord.SelectOption(label="-", value="-")],
        )
        super().__init__(select)
        self.survey = survey

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: Item[Any], match: re.Match[str], /
    ) -> ScoreSelect:
        """Rebuild the menu from its custom id; the picked value arrives with the interaction."""
        return cls(int(match["survey"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the picked score to the bot, or refuse a value the menu never offered."""
        handler = _handler(interaction)
        values = self.item.values
        if handler is None:
            return
        picked = values[0] if len(values) == 1 else ""
        if rating(picked, self.survey) is None:
            picked = f"{picked or 'nothing'} (survey {self.survey})"
        await handler.handle_choice(interaction, picked)


class CommentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=COMMENT_TEMPLATE):
    """ "Add a comment" under a rating's thanks: opens the comment form."""

    def __init__(self, survey: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=ADD_COMMENT, style=discord.ButtonStyle.secondary, custom_id=f"helpline-comment:{survey}"
        )
        super().__init__(button)
        self.survey = survey

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: Item[Any], match: re.Match[str], /
    ) -> CommentButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["survey"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the comment form (a modal must be the interaction's first answer, so nothing is deferred)."""
        await interaction.response.send_modal(CommentModal(self.survey))


class CommentModal(discord.ui.Modal):
    """The form a comment is written in; submitting it keeps the comment on the survey."""

    comment: discord.ui.TextInput[CommentModal] = discord.ui.TextInput(
        label="Your comment",
        style=discord.TextStyle.paragraph,
        placeholder="What went well, or what could we do better?",
        max_length=COMMENT_LIMIT,
    )

    def __init__(self, survey: int) -> None:
        super().__init__(title="Tell us more", custom_id=f"helpline-comment-form:{survey}")
        self.survey = survey

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Hand the comment to the bot."""
        handler = _handler(interaction)
        if handler is not None:
            await handler.handle_comment(interaction, self.survey, self.comment.value)


def survey_view(choices: tuple[Choice, ...]) -> discord.ui.View:
    """The controls of a survey: a button per score on a short scale, a select menu on a long one."""
    view = discord.ui.View(timeout=None)
    if len(choices) <= BUTTON_SCALE:
        for choice in choices:
            view.add_item(ChoiceButton(choice.value, choice.label, choice.action))
        return view
    survey = choices[0].ticket or 0
    view.add_item(ScoreSelect(survey, choices))
    return view


def comment_view(survey: int) -> discord.ui.View:
    """The "Add a comment" button sent with the thanks for a rating."""
    view = discord.ui.View(timeout=None)
    view.add_item(CommentButton(survey))
    return view
