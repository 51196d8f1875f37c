"""Resolving a ticket proposes what it taught: a draft for review, or a phrasing of the article that answers it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from core.desk.issues import IssueDesk
from core.errors import IndexNotBuiltError
from core.knowledge.articles import (
    Article,
    ArticleOrigin,
    ArticleState,
    FileArticle,
    LiveArticle,
    NewArticle,
    Phrasing,
)
from core.messages import Address, Author, IncomingMessage
from core.ports import Chunk, SearchHit
from core.stores import Stores
from core.tickets.records import ConversationMessage, Role
from tests.article_fakes import InMemoryArticles
from tests.desk_fakes import TWO_FA, Harness, make_harness
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio

QUESTION = "Hi! How do I download my invoices as PDF? thanks in advance"
ANSWER = (
    "reply 1 Hi Ana, open Settings → Billing → Invoices and click Download PDF next to the month you need. Best, Mo"
)
INVOICES = Chunk(
    "billing/invoices#0", "billing/invoices", "Invoices and receipts", "Downloading invoices",
    "Every invoice can be downloaded as a PDF from the billing page.", "billing/invoices.md",
    "https://docs.example.com/billing/invoices",
)  # fmt: skip


@dataclass
class ScriptedKnowledge:
    """A knowledge base whose best passage for any question is ``hit`` (or none), counting the searches."""

    hit: SearchHit | None = None
    broken: Exception | None = None
    searched: list[tuple[str, bool]] = field(default_factory=list)  # (text, on the event loop's thread)
    published: list[list[str]] = field(default_factory=list)  # the phrasings of every publish

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        self.searched.append((text, threading.current_thread() is threading.main_thread()))
        if self.broken is not None:
            raise self.broken
        return [self.hit] if self.hit is not None else []

    def passages(self) -> list[Chunk]:
        return [INVOICES, TWO_FA]

    def publish(self, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> Published:
        self.published.append([p.question for p in phrasings])
        return Published(0, len(phrasings), "v2")

    def file_articles(self) -> list[FileArticle]:
        return [FileArticle("billing/invoices", "Invoices and receipts", "billing/invoices.md")]

    def legacy_articles(self) -> list[NewArticle]:
        return []


@dataclass(frozen=True)
class Published:
    """What a publish reports."""

    chunks: int
    embedded: int
    version: str


def harness_with(knowledge: ScriptedKnowledge | None = None, store: Stores | None = None) -> Harness:
    h = make_harness(store=store)
    h.desk.desk.knowledge = knowledge
    return h


async def answered_and_resolved(h: Harness, answer: str = ANSWER) -> str:
    await h.say(QUESTION)
    [opened] = await h.say("", choice="open_ticket")
    assert opened.ticket == 1
    await h.mod(answer)
    return (await h.mod("resolve 1")).text


async def articles(h: Harness) -> list[Article]:
    return await h.store.articles.listed(list(ArticleState))


async def test_a_substantial_answer_becomes_a_draft_in_review_with_its_ticket() -> None:
    knowledge = ScriptedKnowledge()
    h = harness_with(knowledge)
    assert await answered_and_resolved(h) == "Ticket #1 resolved."
    [article] = await articles(h)
    assert article.state is ArticleState.IN_REVIEW and article.origin is ArticleOrigin.TICKET
    assert article.ticket == 1 and article.live_version is None
    assert article.title == "How do I download my invoices as PDF"
    assert article.body == "Open Settings → Billing → Invoices and click Download PDF next to the month you need."
    assert article.author == "helpline"
    # the customer's words are kept as the article's phrasing, and the ticket says what it proposed
    [phrasing] = await h.store.articles.phrasings()
    assert (phrasing.doc_id, phrasing.question, phrasing.ticket) == (
        article.doc_id,
        "How do I download my invoices as PDF?",
        1,
    )
    [event] = [e for e in await h.store.tickets.events(1) if e.kind == "kb_proposal"]
    assert event.detail == f"draft article #{article.number} “{article.title}”, in review"
    # the knowledge base was asked first, off the event loop; a draft is not live, so nothing is published
    assert knowledge.searched == [("How do I download my invoices as PDF?", False)]
    assert knowledge.published == []


async def test_a_trivial_answer_proposes_nothing() -> None:
    h = harness_with(ScriptedKnowledge())
    assert await answered_and_resolved(h, "reply 1 fixed, please check") == "Ticket #1 resolved."
    assert await articles(h) == [] and await h.store.articles.phrasings() == []
    assert "kb_proposal" not in [e.kind for e in await h.store.tickets.events(1)]


async def test_a_question_an_article_answers_becomes_its_phrasing_not_a_draft() -> None:
    knowledge = ScriptedKnowledge(SearchHit(INVOICES, 0.81))
    h = harness_with(knowledge)
    await answered_and_resolved(h)
    assert await articles(h) == []
    [phrasing] = await h.store.articles.phrasings()
    assert phrasing.doc_id == "billing/invoices" and phrasing.question == "How do I download my invoices as PDF?"
    [event] = [e for e in await h.store.tickets.events(1) if e.kind == "kb_proposal"]
    assert event.detail == "a phrasing of “Invoices and receipts” (billing/invoices, score 0.81)"
    # published at once, so the next customer asking it this way finds the article by it
    assert knowledge.published == [["How do I download my invoices as PDF?"]]


async def test_a_phrasing_the_article_has_already_is_not_published_again() -> None:
    knowledge = ScriptedKnowledge(SearchHit(INVOICES, 0.81))
    h = harness_with(knowledge)
    await answered_and_resolved(h)
    await h.say(QUESTION, thread="t2")  # another customer, the same words: ticket #2
    [opened] = await h.say("", choice="open_ticket", thread="t2")
    assert opened.ticket == 2
    await h.mod(ANSWER.replace("reply 1", "reply 2"))
    await h.mod("resolve 2")
    assert len(await h.store.articles.phrasings()) == 1 and len(knowledge.published) == 1


@pytest.mark.parametrize(("score", "drafted"), [(0.75, False), (0.7499, True)])
async def test_the_threshold_decides_between_phrasing_and_draft(score: float, drafted: bool) -> None:
    h = harness_with(ScriptedKnowledge(SearchHit(INVOICES, score)))
    await answered_and_resolved(h)
    assert bool(await articles(h)) is drafted
    assert [p.doc_id == "billing/invoices" for p in await h.store.articles.phrasings()] == [not drafted]


async def test_resolving_again_after_a_reopening_proposes_nothing_more() -> None:
    h = harness_with(ScriptedKnowledge())
    await answered_and_resolved(h)
    await h.mod("reopen 1")
    await h.mod("reply 1 One more thing: invoices older than a year are under Settings → Billing → Archive.")
    await h.mod("resolve 1")
    assert len(await articles(h)) == 1 and len(await h.store.articles.phrasings()) == 1
    assert [e.kind for e in await h.store.tickets.events(1)].count("kb_proposal") == 1


async def test_a_ticket_trivial_at_first_proposes_once_it_has_a_real_answer() -> None:
    h = harness_with(ScriptedKnowledge())
    await answered_and_resolved(h, "reply 1 done")
    await h.mod("reopen 1")
    await h.mod(ANSWER)
    await h.mod("resolve 1")
    [article] = await articles(h)
    assert article.ticket == 1


@pytest.mark.parametrize("knowledge", [None, ScriptedKnowledge(broken=IndexNotBuiltError("nothing built yet"))])
async def test_without_a_knowledge_base_to_check_the_answer_is_still_drafted(
    knowledge: ScriptedKnowledge | None,
) -> None:
    h = harness_with(knowledge)
    await answered_and_resolved(h)
    assert [a.state for a in await articles(h)] == [ArticleState.IN_REVIEW]


class BrokenArticles(InMemoryArticles):
    """An articles store whose writes fail (a database gone away)."""

    async def create(self, new: NewArticle) -> Article:
        raise ConnectionError("database is locked")


async def test_a_failure_is_logged_and_the_ticket_stays_resolved(caplog: pytest.LogCaptureFixture) -> None:
    store = replace(memory_stores(), articles=BrokenArticles())
    h = harness_with(ScriptedKnowledge(), store)
    with caplog.at_level(logging.ERROR, logger="helpline.desk.drafts"):
        assert await answered_and_resolved(h) == "Ticket #1 resolved."
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status.value == "resolved"
    assert "ticket #1: proposing it for the knowledge base failed" in caplog.text
    assert "database is locked" in caplog.text
    # nothing was marked as proposed, so the next resolution tries again
    assert "kb_proposal" not in [e.kind for e in await h.store.tickets.events(1)]


async def test_a_search_failure_still_drafts_rather_than_losing_the_answer(caplog: pytest.LogCaptureFixture) -> None:
    h = harness_with(ScriptedKnowledge(broken=RuntimeError("faiss exploded")))
    with caplog.at_level(logging.WARNING, logger="helpline.desk.drafts"):
        await answered_and_resolved(h)
    assert [a.state for a in await articles(h)] == [ArticleState.IN_REVIEW]
    assert "faiss exploded" in caplog.text


async def test_the_ticket_history_says_what_was_proposed() -> None:
    h = harness_with(ScriptedKnowledge())
    await answered_and_resolved(h)
    shown = (await h.mod("ticket 1")).text
    assert "Helpline proposed it for the knowledge base (draft article #1" in shown


async def test_closing_a_github_issue_after_a_maintainers_answer_proposes_a_draft() -> None:
    h = harness_with(ScriptedKnowledge())
    issue = Address("github", "acme", "cli", "7")
    issues = IssueDesk(h.desk.desk)
    question = "tideline login hangs behind our proxy\n\nIt never opens the browser. Thanks!"
    triage = await issues.triage(IncomingMessage(issue, Author("ana", "ana"), question, "issue:7"), "Login hangs")
    answer = "Set `HTTPS_PROXY` before running `tideline login`; the CLI reads it for every request it makes."
    kept = ConversationMessage(issue, "mo", "mo", Role.AGENT, answer, h.clock.now(), ticket=triage.ticket.number)
    await h.store.conversations.record_message(kept)
    await issues.closed(issue, "github:mo", "closed on GitHub")
    [article] = await articles(h)
    assert (article.ticket, article.title, article.body) == (
        triage.ticket.number,
        "Tideline login hangs behind our proxy",
        answer,
    )
