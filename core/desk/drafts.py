"""Resolved tickets teach the knowledge base: a draft for review, or a phrasing of the article that answers it.

Run after a resolution has done everything else (the notice, the survey), and it never fails one: any error
is logged and the ticket stays resolved. Once a ticket has proposed something (its ``kb_proposal`` event),
resolving it again after a reopening proposes nothing more.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import IndexNotBuiltError
from core.knowledge.articles import ArticleOrigin, ArticleState, NewArticle, Phrasing
from core.knowledge.drafting import Draft, draft_from
from core.knowledge.library import Library
from core.tickets.records import TicketEvent

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.ports import SearchHit
    from core.tickets.records import Ticket

log = logging.getLogger("helpline.desk.drafts")

PROPOSED = "kb_proposal"  # the ticket event saying what the ticket gave the knowledge base
PROPOSER = "helpline"  # drafts and phrasings are Helpline's proposals; the ticket names who answered


@dataclass(frozen=True)
class Proposal:
    """What one resolved ticket gave the knowledge base: a new draft, or a phrasing of an existing article."""

    ticket: int
    draft: Draft
    article: int | None = None  # the draft's number, when one was created
    phrasing_of: str | None = None  # the doc id of the article that already answers the question
    score: float | None = None  # how well that article's best passage matched


class TicketDrafts:
    """Proposes what a resolved ticket's conversation teaches."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def resolved(self, ticket: Ticket) -> Proposal | None:
        """Propose what ``ticket`` teaches, if anything; never raises (a failure is logged, the resolution stands)."""
        try:
            return await self._propose(ticket)
        except Exception:
            log.exception("ticket #%d: proposing it for the knowledge base failed; it stays resolved", ticket.number)
            return None

    async def _propose(self, ticket: Ticket) -> Proposal | None:
        d, number = self.desk, ticket.number
        if any(event.kind == PROPOSED for event in await d.stores.tickets.events(number)):
            return None  # resolved again after a reopening: what it taught is already proposed
        messages = await d.stores.conversations.messages(number)
        # Reading a long thread's text is regular-expression work: off the event loop, like the search.
        draft = await asyncio.to_thread(draft_from, number, messages, d.policy.public_url, d.policy.drafts)
        if draft is None:
            log.info("ticket #%d: nothing to propose (no question, or no substantial human reply)", number)
            return None
        hit = await self._answered_by(draft)
        now, articles = d.clock.now(), d.stores.articles
        if hit is not None:
            doc_id = hit.chunk.doc_id
            if await articles.add_phrasing(Phrasing(doc_id, draft.phrasing, now, PROPOSER, ticket=number)):
                await Library(articles, d.knowledge, d.clock).publish()  # the phrasing helps from the next question
            proposal = Proposal(number, draft, phrasing_of=doc_id, score=hit.score)
            detail = f"a phrasing of “{hit.chunk.title}” ({doc_id}, score {hit.score:.2f})"
        else:
            state = ArticleState.IN_REVIEW
            new = NewArticle(draft.title, draft.body, ArticleOrigin.TICKET, PROPOSER, now, state=state, ticket=number)
            article = await articles.create(new)
            # The customer's own words find the article once it is published, as its other phrasings do.
            await articles.add_phrasing(Phrasing(article.doc_id, draft.phrasing, now, PROPOSER, ticket=number))
            proposal = Proposal(number, draft, article=article.number)
            detail = f"draft article #{article.number} “{article.title}”, in review"
        # Written last: a crash before it proposes again on the next resolution rather than losing the proposal.
        await d.stores.tickets.add_event(TicketEvent(number, now, PROPOSER, PROPOSED, detail))
        log.info("ticket #%d (%s): proposed %s", number, draft.link, detail)
        return proposal

    async def _answered_by(self, draft: Draft) -> SearchHit | None:
        """The best passage for the question, if its article already answers it (its score is high enough)."""
        knowledge = self.desk.knowledge
        if knowledge is None:
            log.info("ticket #%d: no knowledge base in this process to check; proposing a draft", draft.ticket)
            return None
        try:
            hits = await asyncio.to_thread(knowledge.search_text, draft.phrasing, 1)
        except IndexNotBuiltError:
            return None
        except Exception:  # a draft a reviewer may find is a duplicate beats an answer lost
            log.warning(
                "ticket #%d: the knowledge base could not be searched; proposing a draft", draft.ticket, exc_info=True
            )
            return None
        if not hits or hits[0].score < self.desk.policy.drafts.phrasing_score:
            return None
        return hits[0]
