"""Surveys for the adapter tests: a survey reply as the core sends one, and a desk that keeps the answers.

The adapters' part is to show a survey in the platform's own UI and to hand back what the customer
picked and wrote. ``SurveyDesk`` is the real desk with the answering side of surveys played by a small
fake: it keeps every rating and comment it is handed (so a test can read exactly what reached the
core) and thanks the customer as the core does; everything else goes to the real desk.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.command_records import Rate
from core.desk.pipeline import SupportDesk
from core.messages import Action, Choice, ChoiceMessage, CommandMessage, CommandText, Inbound, Reply, ReplyKind

CSAT_QUESTION = "How did we do with ticket #1? Pick 1 (poor) to 5 (great)."
NPS_QUESTION = "How likely are you to recommend Helpline to a friend? 0 (not at all) to 10 (very)."


def csat(survey: int = 7) -> Reply:
    """A CSAT survey reply: five ratings, 1 to 5."""
    choices = tuple(Choice(str(score), Action.RATE, survey, score) for score in range(1, 6))
    return Reply(ReplyKind.INFO, CSAT_QUESTION, choices=choices, ticket=1)


def nps(survey: int = 8) -> Reply:
    """An NPS survey reply: eleven ratings, 0 to 10."""
    choices = tuple(Choice(str(score), Action.RATE, survey, score) for score in range(11))
    return Reply(ReplyKind.INFO, NPS_QUESTION, choices=choices)


class SurveyDesk(SupportDesk):
    """The real desk; ratings, comments and typed ``rate`` commands are kept in ``answers`` and thanked."""

    def __init__(self, real: SupportDesk) -> None:
        super().__init__(real.desk)
        self.answers: list[Inbound] = []
        self.seen: list[Inbound] = []  # everything handed in, survey answers or not

    async def handle(self, message: Inbound) -> Sequence[Reply]:
        """Keep a survey answer and thank for it; hand anything else to the real desk."""
        self.seen.append(message)
        if isinstance(message, ChoiceMessage) and message.action is Action.RATE:
            self.answers.append(message)
            return [Reply(ReplyKind.INFO, f"Thank you: you rated {message.score}.")]
        if isinstance(message, CommandMessage) and isinstance(message.command, Rate):
            self.answers.append(message)
            return [Reply(ReplyKind.INFO, "Thank you, your comment is kept with your rating.")]
        if isinstance(message, CommandText) and message.text.split()[:1] == ["rate"]:
            self.answers.append(message)
            return [Reply(ReplyKind.INFO, f"Thank you: kept {message.text!r}.")]
        return await super().handle(message)
