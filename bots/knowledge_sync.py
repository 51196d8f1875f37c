"""Keeping the article store in line with the knowledge index: at start-up and after ``helpline kb build``.

The index lists the articles its files hold and the ones added in chat before articles had a life cycle;
the store lists the file articles (read-only, so ``kb show`` can say where each lives) and imports the old
chat articles once. A failure here is logged and never stops a start: the index serves what it holds.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from core.errors import HelplineError
from core.knowledge.library import Library, Settled, settle

if TYPE_CHECKING:
    from core.desk.context import KnowledgeEditor
    from core.ports import Clock
    from core.stores import Stores

log = logging.getLogger("helpline.knowledge")


async def settle_articles(stores: Stores, knowledge: KnowledgeEditor, clock: Clock) -> Settled | None:
    """Import the old chat articles and sync the file articles; None (logged) when the index cannot say."""
    try:
        files = await asyncio.to_thread(knowledge.file_articles)
        legacy = await asyncio.to_thread(knowledge.legacy_articles)
        settled = await settle(Library(stores.articles, knowledge, clock), files, legacy)
    except HelplineError as error:  # no index yet: the first build settles it
        log.info("knowledge: articles not synced with the index: %s", error)
        return None
    if settled.imported or settled.files_changed:
        log.info(
            "knowledge: %d article(s) added in chat imported, %d file article(s) changed",
            settled.imported,
            settled.files_changed,
        )
    return settled
