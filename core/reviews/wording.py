"""What reviews say: a ticket as the lead reads it before scoring, the agents' scores, the note to the agent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.reviews.records import AgentQuality, Reason, Rubric
from core.tickets.records import ConversationMessage, Ticket
from core.wording import person

SHOWN_MESSAGES = 2  # of each end of the conversation
MESSAGE_CHARS = 200


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MESSAGE_CHARS else flat[: MESSAGE_CHARS - 1] + "…"


def conversation_summary(messages: Sequence[ConversationMessage]) -> str:
    """The first and last messages of a ticket's thread, each cut short, and how many lie between."""
    if not messages:
        return "No messages kept."
    lines = [f"{m.role.value} {m.author_name}: {_cut(m.text)}" for m in messages]
    if len(lines) > 2 * SHOWN_MESSAGES:
        hidden = len(lines) - 2 * SHOWN_MESSAGES
        lines = [*lines[:SHOWN_MESSAGES], f"… {hidden} more …", *lines[-SHOWN_MESSAGES:]]
    return "\n".join(f"  {line}" for line in lines)


def score_template(ticket: int, rubric: Rubric) -> str:
    """``review 12 accuracy=_ tone=_ … [note]``."""
    return f"review {ticket} " + " ".join(f"{name}=_" for name in rubric.criteria) + " [note to the agent]"


def to_review(
    ticket: Ticket,
    agent: str | None,
    reason: Reason | None,
    csat: int | None,
    messages: Sequence[ConversationMessage],
    rubric: Rubric,
) -> str:
    """A ticket ready for review: why it is queued, who handled it, its conversation, and how to score it."""
    why = f" ({reason.value})" if reason is not None else ""
    rated = f", CSAT {csat}" if csat is not None else ""
    return (
        f"Review ticket #{ticket.number}{why}: {ticket.subject}\n"
        f"Handled by {person(agent)}; {ticket.tier}, {ticket.priority.value} priority{rated}.\n"
        f"Conversation ({len(messages)} messages):\n{conversation_summary(messages)}\n"
        f"Rubric: {rubric.describe()}. Score it with:\n  {score_template(ticket.number, rubric)}"
    )


def sheet(scores: Mapping[str, int], rubric: Rubric) -> str:
    """``accuracy 4/5, tone 5/5``."""
    return ", ".join(f"{name} {value}/{rubric.high}" for name, value in scores.items())


def agent_note(ticket: int, reviewer: str, scores: Mapping[str, int], note: str, rubric: Rubric) -> str:
    """What the agent reads: who reviewed which ticket, the scores, and the note."""
    said = f"\nNote: {note}" if note else ""
    return f"QA review of your ticket #{ticket} by {person(reviewer)}: {sheet(scores, rubric)}.{said}"


def quality_table(agents: Sequence[AgentQuality], criteria: Sequence[str], days: int) -> str:
    """Each agent's review count and averages, one line each."""
    if not agents:
        return f"No QA reviews in the last {days} days."
    lines = [f"QA scores, last {days} days (average per criterion, out of the rubric's scale):"]
    for agent in agents:
        parts = ", ".join(f"{name} {agent.averages[name]:.1f}" for name in criteria if name in agent.averages)
        lines.append(f"  {person(agent.agent)}: {agent.reviews} reviewed; {parts}; overall {agent.overall:.2f}")
    return "\n".join(lines)
