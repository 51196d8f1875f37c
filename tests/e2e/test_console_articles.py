"""An article's life cycle through the console: in review answers nobody; approved, it answers and is cited.

The knowledge base is the real one (``KnowledgeBase``: build, publish, search) on the hashing embedder, so
the test runs without the model; the intent is fixed, since the intents are not the point here.
"""

from __future__ import annotations

from pathlib import Path

from bots.console.app import new_identity
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.ports import SearchHit
from core.text import clean_message
from core.understanding.classifier import IntentPrediction
from core.understanding.intents import IntentCatalog
from core.understanding.understander import Understanding
from kb_index.knowledge_base import KnowledgeBase
from tests.console_world import ConsoleWorld
from tests.fakes import HashingEmbedder

MODERATOR, PUBLISHER = frozenset({"moderator"}), frozenset({"moderator", "publisher"})
TITLE = "Rotating webhook signing secrets"
BODY = (
    "Open the integrations page, press rotate next to the webhook, and paste the new signing secret "
    "into your receiver before the old one expires."
)


class IndexUnderstander:
    """Every message is a how-to question; its passages come from the knowledge base, as the real one finds them."""

    def __init__(self, catalog: IntentCatalog, knowledge: KnowledgeBase) -> None:
        self.catalog, self.knowledge = catalog, knowledge

    def understand(self, raw: str | bytes) -> Understanding:
        """The message with the passages nearest to it."""
        clean = clean_message(raw, 2000)
        spec = self.catalog.get("how_to_question")
        prediction = IntentPrediction("how_to_question", "how_to_question", 0.9, 0.5, "confident")
        hits: tuple[SearchHit, ...] = tuple(self.knowledge.search_text(clean.text, 5))
        return Understanding(clean.text, clean.truncated, prediction, spec.category, spec.base_priority, hits)


def world_on(tmp_path: Path) -> ConsoleWorld:
    source = tmp_path / "kb"
    source.mkdir()
    (source / "billing.md").write_text("# Refunds\n\nAnnual plans cancelled within thirty days get a refund.\n")
    knowledge = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    knowledge.build(source)
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    return ConsoleWorld(
        user="ana", moderator=True, understander=IndexUnderstander(catalog, knowledge), knowledge=knowledge
    )


def as_(world: ConsoleWorld, user: str, roles: frozenset[str], lines: list[str]) -> str:
    """What ``user`` (with ``roles``, in a thread of their own) sees typing ``lines``, wrapped lines joined."""
    world.identity = new_identity(user, roles)
    return " ".join(world.talk(lines).split())


def test_an_article_in_review_answers_nobody_and_once_approved_is_cited_by_its_title(tmp_path: Path) -> None:
    world = world_on(tmp_path)
    added = as_(world, "ana", MODERATOR, [f"/kb add {TITLE} | {BODY}"])
    assert "in review" in added and "kb approve 1" in added

    before = as_(world, "cara", frozenset(), ["how do I rotate the webhook signing secret?"])
    assert TITLE not in before

    queue = as_(world, "pat", PUBLISHER, ["/kb drafts"])
    assert f"#1 [in review] {TITLE} (written in chat)" in queue
    approved = as_(world, "pat", PUBLISHER, ["/kb approve 1"])
    assert "published; customers are answered from it now" in approved

    after = as_(world, "dev", frozenset(), ["where can I rotate the signing secret of my webhook"])
    source = after[after.index("source:") :]
    assert TITLE in source
    assert "ana" not in source and "pat" not in source and "added in chat" not in source  # no moderator shown
    assert "paste the new signing secret" in after
