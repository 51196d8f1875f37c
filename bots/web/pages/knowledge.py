"""The knowledge page (agents and leads): search the articles and passages, with each article's votes.

``GET /dashboard/knowledge?q=…`` searches the desk's knowledge base (``DashboardDeps.knowledge``, the one
``kb search`` uses) and groups the passages found by article. Below, every article of the knowledge base is
listed with its passages and votes (and any article the bot cited that is no longer in it). Votes come from
the answers' read model (``ReportSource.answers``): helpful is the customer's standing vote; not helpful is an
answer the customer went past to a person (a ticket in the same thread within the deflection window), as the
report's self-service figures count it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import guarded
from bots.web.render import page
from core.analytics.records import AnswerRecord, ReportQuery
from core.errors import HelplineError
from core.knowledge.library import WAITING
from core.knowledge.lifecycle import label
from core.ports import Chunk, SearchHit

VOTES_OVER = timedelta(days=90)  # the answers whose votes are counted
MAX_QUERY = 200
PASSAGES = 20
_NOW_INCLUDED = timedelta(seconds=1)  # a period ends before its end; an answer given this second counts


@dataclass(frozen=True)
class Votes:
    """How the bot's answers citing one article turned out."""

    answers: int = 0
    helpful: int = 0
    not_helpful: int = 0


@dataclass(frozen=True)
class Passage:
    """A passage found, with its section and how close it is to the query."""

    section: str
    text: str
    score: float


@dataclass(frozen=True)
class Article:
    """An article: its title, where it is read, its votes and the passages found in it."""

    title: str
    link: str
    votes: Votes
    passages: tuple[Passage, ...] = ()
    size: int = 0  # the article's passages in the knowledge base (0: not in it, or not loaded here)

    @property
    def href(self) -> str | None:
        """The link to follow, only when it is a web address (a ``javascript:`` or file path is shown as text)."""
        return self.link if self.link.lower().startswith(("https://", "http://")) else None


def tally(answers: list[AnswerRecord], window: timedelta) -> dict[str, Votes]:
    """Votes per cited URL: answers given, helpful (the standing vote), not helpful (handed to a person)."""
    given: Counter[str] = Counter()
    helpful: Counter[str] = Counter()
    unhelpful: Counter[str] = Counter()
    for answer in answers:
        given[answer.url] += 1
        if answer.helpful:
            helpful[answer.url] += 1
        elif answer.next_ticket_at is not None and answer.at <= answer.next_ticket_at < answer.at + window:
            unhelpful[answer.url] += 1
    return {url: Votes(given[url], helpful[url], unhelpful[url]) for url in given}


def articles_of(hits: list[SearchHit], votes: dict[str, Votes]) -> list[Article]:
    """The hits grouped by article, best article first, passages best first."""
    grouped: dict[str, list[SearchHit]] = {}
    for hit in sorted(hits, key=lambda h: -h.score):
        grouped.setdefault(hit.chunk.doc_id, []).append(hit)
    found = []
    for group in grouped.values():
        first = group[0].chunk
        passages = tuple(Passage(h.chunk.section or h.chunk.title, h.chunk.text, h.score) for h in group)
        found.append(Article(first.title, first.link, votes.get(first.link, Votes()), passages))
    return found


def cited(votes: dict[str, Votes]) -> list[Article]:
    """The articles the bot answered with, most used first (titled by their address: answers keep no title)."""
    ranked = sorted(votes.items(), key=lambda item: (-item[1].answers, item[0]))
    return [Article(url or "(no address)", url, counts) for url, counts in ranked]


def every_article(chunks: list[Chunk], votes: dict[str, Votes]) -> list[Article]:
    """Every article of the knowledge base by title, with its passage count and votes; then cited ones gone from it."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    found = [
        Article(group[0].title, group[0].link, votes.get(group[0].link, Votes()), size=len(group))
        for group in by_doc.values()
    ]
    found.sort(key=lambda article: (article.title.casefold(), article.link))
    known = {article.link for article in found}
    return found + [article for article in cited(votes) if article.link not in known]


def _listing(deps: DashboardDeps, votes: dict[str, Votes]) -> tuple[list[Article], str | None]:
    """What the articles table shows: the whole knowledge base, or (without one here) the cited articles."""
    if deps.knowledge is None:
        return cited(votes), None
    try:
        return every_article(deps.knowledge.passages(), votes), None
    except HelplineError as exc:
        return cited(votes), f"The knowledge base's articles cannot be listed: {exc}"


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """``/dashboard/knowledge``, for agents and leads."""

    async def knowledge(request: Request, viewer: Viewer) -> Response:
        query = request.query_params.get("q", "").strip()[:MAX_QUERY]
        now = deps.clock.now()
        answers = await deps.stores.reports.answers(ReportQuery(now - VOTES_OVER, now + _NOW_INCLUDED))
        votes = tally(answers, deps.report_policy.deflection_window)
        error: str | None = None
        found: list[Article] = []
        if query and deps.knowledge is None:
            error = "The knowledge base is not loaded in this process, so it cannot be searched here."
        elif query and deps.knowledge is not None:
            try:
                hits = await asyncio.to_thread(deps.knowledge.search_text, query, PASSAGES)
            except HelplineError as exc:
                error = f"The knowledge base could not be searched: {exc}"
            else:
                found = articles_of(hits, votes)
        listed, listing_error = await asyncio.to_thread(_listing, deps, votes)
        waiting = await deps.stores.articles.listed(WAITING)
        return page(
            request, viewer, "knowledge.html.j2", title="Knowledge", query=query, error=error or listing_error,
            found=found, articles=listed, days=VOTES_OVER.days, searchable=deps.knowledge is not None,
            waiting=[(a, label(a.state)) for a in waiting],
        )  # fmt: skip

    return [Route("/knowledge", guarded(deps, knowledge), methods=["GET"])]
