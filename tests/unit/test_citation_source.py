"""An answer from an article written in Helpline cites its title and URL (or its id), never who wrote it."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from pathlib import Path

import pytest

from bots.console.render import show, terminal
from bots.discord.translate import render as discord_render
from bots.slack.translate_blocks import render as slack_render
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.knowledge.articles import LiveArticle
from core.messages import Reply, ReplyKind
from core.ports import Chunk
from kb_index.knowledge_base import KnowledgeBase
from kb_index.snapshots import MANIFEST, SNAPSHOTS
from tests.desk_fakes import RULES, KeywordUnderstander, make_harness
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import ARTICLES, write_kb

LINKED = LiveArticle(
    7,
    "article/7",
    "Rotating webhook signing secrets",
    "Press rotate next to the webhook and paste the new signing secret into your receiver.",
    url="https://help.example/articles/7",
)
UNLINKED = LiveArticle(8, "article/8", "Exporting invoices as CSV", "Choose a date range and press export.")


@pytest.fixture
def knowledge(tmp_path: Path) -> KnowledgeBase:
    """An index of the files."""
    kb = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    kb.build(write_kb(tmp_path / "kb", ARTICLES))
    return kb


def answer_citing(chunk: Chunk) -> Reply:
    """What the desk answers when ``chunk`` is the passage found (the keyword ``137`` finds it)."""
    understander = KeywordUnderstander(load_intents(DEFAULT_INTENTS_FILE), RULES, {"137": chunk})
    harness = make_harness(understander=understander)
    [reply] = asyncio.run(harness.say("exit code 137 again"))
    assert reply.kind is ReplyKind.ANSWER and reply.citation is not None
    return reply


def rendered(reply: Reply) -> dict[str, str]:
    """The answer as each platform shows it."""
    out = io.StringIO()
    show(terminal(out, colour=False, width=200), reply)
    [discord] = discord_render(reply)
    assert discord.embed is not None
    return {
        "console": out.getvalue(),
        "slack": json.dumps(slack_render(reply).blocks),
        "discord": json.dumps(discord.embed.to_dict()),
    }


def found(knowledge: KnowledgeBase, query: str) -> Chunk:
    return knowledge.search_text(query, 1)[0].chunk


def test_an_old_chat_article_is_cited_without_its_author(knowledge: KnowledgeBase) -> None:
    knowledge.add_article("Webhook retries", "Failed webhook deliveries are retried for a day.", "dana")
    reply = answer_citing(found(knowledge, "webhook deliveries retried"))
    for platform, text in rendered(reply).items():
        assert "Webhook retries" in text, platform
        assert "dana" not in text and "added in chat" not in text, platform


def test_a_published_article_is_cited_by_its_title_and_url(knowledge: KnowledgeBase) -> None:
    knowledge.publish([LINKED, UNLINKED], [])
    linked = answer_citing(found(knowledge, "rotate webhook signing secret"))
    assert linked.citation is not None
    assert (linked.citation.title, linked.citation.url) == (LINKED.title, "https://help.example/articles/7")
    for platform, text in rendered(linked).items():
        assert LINKED.title in text and "https://help.example/articles/7" in text, platform
    unlinked = answer_citing(found(knowledge, "export invoices date range"))
    assert unlinked.citation is not None and unlinked.citation.url == "article/8"
    for platform, text in rendered(unlinked).items():
        assert UNLINKED.title in text and "article/8" in text, platform


def test_the_published_article_is_still_cited_after_a_restart(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    kb.build(write_kb(tmp_path / "kb", ARTICLES))
    kb.add_article("Webhook retries", "Failed webhook deliveries are retried for a day.", "dana")
    kb.publish([LINKED], [])
    restarted = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    assert all("dana" not in f"{chunk.source} {chunk.link}" for chunk in restarted.passages())


def test_a_version_written_before_names_no_author_either(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    added = knowledge.add_article("Webhook retries", "Failed webhook deliveries are retried for a day.", "dana")
    folder = sorted((tmp_path / "data" / SNAPSHOTS).glob("v*"))[-1]
    passages = folder / "chunks.jsonl"
    old = passages.read_text(encoding="utf-8").replace(
        f'"source": "{added.doc_id}"', '"source": "added in chat by dana"'
    )
    assert "added in chat by dana" in old
    passages.write_text(old, encoding="utf-8")  # as the previous release wrote it, digest and all
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["chunks.jsonl"] = hashlib.sha256(passages.read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    reopened = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    chunk = found(reopened, "webhook deliveries retried")
    assert (chunk.doc_id, chunk.source) == (added.doc_id, added.doc_id)
    assert all("dana" not in text for text in rendered(answer_citing(chunk)).values())
