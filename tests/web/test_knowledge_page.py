"""The knowledge page: search finds an article's passages, each article with its helpful / not-helpful votes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.errors import IndexNotBuiltError
from core.ports import Chunk, SearchHit
from tests.desk_fakes import OOM, TWO_FA, Harness, make_harness
from tests.web.numbers_world import client_of, words
from tests.web_fakes import dashboard_deps, viewer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.knowledge.articles import FileArticle, LiveArticle, NewArticle, Phrasing
    from core.knowledge.library import PublishInfo

SCRIPTED = Chunk(
    "x#0", "x", "<script>alert(1)</script> tips", "<b>bold</b>", "Use <img src=x onerror=alert(1)> carefully.",
    "x.md", "javascript:alert(1)",
)  # fmt: skip


@dataclass
class WordKnowledge:
    """Finds the passages containing a word of the query (the real index ranks by meaning; this is enough here)."""

    chunks: tuple[Chunk, ...] = (OOM, TWO_FA, SCRIPTED)
    broken: bool = False

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        if self.broken:
            raise IndexNotBuiltError("no knowledge base has been built yet: run helpline kb build")
        wanted = {w.lower() for w in text.split()}
        found = [c for c in self.chunks if wanted & set(f"{c.title} {c.text}".lower().split())]
        return [SearchHit(c, 0.9 - i / 10) for i, c in enumerate(found[:k])]

    def passages(self) -> list[Chunk]:
        if self.broken:
            raise IndexNotBuiltError("no knowledge base has been built yet: run helpline kb build")
        return list(self.chunks)

    def publish(self, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> PublishInfo:
        raise NotImplementedError("the knowledge page only searches")

    def file_articles(self) -> list[FileArticle]:
        return []

    def legacy_articles(self) -> list[NewArticle]:
        return []


def _voted_harness() -> Harness:
    """Three answers citing the OOM article: one voted helpful, one not helpful (a ticket), one without a vote."""
    harness = make_harness()

    async def talk() -> None:
        await harness.say("exit code 137 again", thread="a")
        await harness.say("", choice="helpful", thread="a")
        await harness.say("exit code 137 on deploy", thread="b")
        await harness.say("", choice="not_helpful", thread="b")
        await harness.say("", choice="open_ticket", thread="b")
        await harness.say("exit code 137 in staging", thread="c")

    asyncio.run(talk())
    return harness


def test_search_finds_the_article_and_shows_its_votes() -> None:
    harness = _voted_harness()
    deps = replace(dashboard_deps(harness, viewer()), knowledge=WordKnowledge())
    response = client_of(deps).get("/dashboard/knowledge", params={"q": "memory"})
    assert response.status_code == 200
    text = words(response.text.split('class="kb-cited"')[0])  # what was found, before the list of every article
    assert "App killed with exit code 137" in text
    assert "Exit code 137 means the container ran out of memory." in text
    assert "1 helpful · 1 not helpful · 3 answer(s)" in text
    assert "Two-factor authentication" not in text  # no passage of it matches


def test_without_a_query_the_cited_articles_are_listed_with_their_votes() -> None:
    harness = _voted_harness()
    response = client_of(dashboard_deps(harness, viewer())).get("/dashboard/knowledge")
    row = words(response.text.split('class="kb-cited"')[1])
    assert f"{OOM.url} 3 1 1" in row
    assert "not loaded in this process" in words(response.text)


def test_every_article_of_the_knowledge_base_is_listed_with_its_passages_and_votes() -> None:
    harness = _voted_harness()
    deps = replace(dashboard_deps(harness, viewer()), knowledge=WordKnowledge(chunks=(OOM, TWO_FA)))
    rows = words(client_of(deps).get("/dashboard/knowledge").text.split('class="kb-cited"')[1])
    assert f"{OOM.title} 1 3 1 1" in rows  # one passage, three answers, one helpful, one not
    assert f"{TWO_FA.title} 1 0 0 0" in rows  # never cited, still listed


def test_a_cited_article_gone_from_the_knowledge_base_is_still_listed_and_says_so() -> None:
    harness = _voted_harness()
    deps = replace(dashboard_deps(harness, viewer()), knowledge=WordKnowledge(chunks=(TWO_FA,)))
    rows = words(client_of(deps).get("/dashboard/knowledge").text.split('class="kb-cited"')[1])
    assert f"{OOM.url} not in the knowledge base 3 1 1" in rows


def test_article_text_is_escaped_and_a_script_link_is_not_a_link() -> None:
    deps = replace(dashboard_deps(make_harness(), viewer()), knowledge=WordKnowledge())
    page = client_of(deps).get("/dashboard/knowledge", params={"q": "tips"}).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; tips" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="javascript:' not in page


def test_a_knowledge_base_that_cannot_be_searched_is_said_in_words() -> None:
    deps = replace(dashboard_deps(make_harness(), viewer()), knowledge=WordKnowledge(broken=True))
    response = client_of(deps).get("/dashboard/knowledge", params={"q": "memory"})
    assert response.status_code == 200
    assert "could not be searched: no knowledge base has been built yet" in words(response.text)
