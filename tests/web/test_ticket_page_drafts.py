"""Resolving on the dashboard runs the desk's resolve, so it proposes the ticket's draft as chat does."""

from __future__ import annotations

import pytest

from core.knowledge.articles import ArticleOrigin, ArticleState
from tests.web.test_ticket_page import act, crash_ticket

pytestmark = pytest.mark.asyncio

ANSWER = "The boot crash is the container running out of memory: raise the limit to 512 MB under Settings > Resources."


async def test_a_ticket_resolved_on_the_dashboard_proposes_its_draft_and_its_log_says_so() -> None:
    h = await crash_ticket()
    act(h, "reply", text=ANSWER)
    page = act(h, "resolve")
    assert "Ticket #1 resolved." in page.text
    [draft] = await h.store.articles.listed([ArticleState.IN_REVIEW])
    assert (draft.origin, draft.ticket, draft.title, draft.body) == (
        ArticleOrigin.TICKET, 1, "The app crashes at boot", ANSWER,
    )  # fmt: skip
    assert f"Helpline proposed it for the knowledge base (draft article #{draft.number}" in page.text
