"""The intent head in the running system: the classifier trained on the intents file, where retrained heads
live, the follower every process serves through, and the worker's scheduled retrain (``intents: retrain_every``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bots.embedders import build_embedder
from core.understanding.classifier import IntentClassifier, examples_fingerprint, train_head
from core.understanding.heads import HeadFolder, HeadFollower
from core.understanding.intents import OUT_OF_SCOPE
from core.understanding.schedule import ScheduledRetrain

if TYPE_CHECKING:
    from config.settings import Settings
    from core.ports import Clock, Embedder
    from core.stores import Stores
    from core.understanding.intents import IntentCatalog


def build_classifier(settings: Settings, catalog: IntentCatalog, embedder: Embedder | None = None) -> IntentClassifier:
    """The intent classifier, trained on the catalog's examples (or loaded from its cache)."""
    head = train_head(
        embedder or build_embedder(settings),
        catalog.training_pairs(),
        regularisation=settings.intents.regularisation,
        cache_dir=settings.data_dir / "intents",
    )
    return IntentClassifier(head, settings.intents.min_confidence, settings.intents.min_margin)


def head_folder(settings: Settings) -> HeadFolder:
    """Where ``helpline intents retrain`` keeps its versions of the head: ``<data_dir>/intent_heads``."""
    return HeadFolder(settings.data_dir / "intent_heads")


def follow_heads(
    settings: Settings, catalog: IntentCatalog, base: IntentClassifier, embedder: Embedder
) -> HeadFollower:
    """The catalog's classifier until a retrained head is switched to; then the newest, in every process."""
    labels = [intent.name for intent in catalog.intents] + [OUT_OF_SCOPE]
    fingerprint = examples_fingerprint(embedder.name, catalog.training_pairs(), settings.intents.regularisation)
    return HeadFollower(head_folder(settings), base, embedder=embedder.name, labels=labels, catalog=fingerprint)


def scheduled_retrain(
    settings: Settings,
    stores: Stores,
    clock: Clock,
    owner: str,
    embedder: Embedder | None,
    catalog: IntentCatalog,
) -> ScheduledRetrain | None:
    """The worker's retrain pass when ``intents.retrain_every`` is set (and the model is in this process)."""
    every = settings.intents.retrain_period()
    if every is None or embedder is None:
        return None
    folder = head_folder(settings)
    regularisation = settings.intents.regularisation
    return ScheduledRetrain(
        stores, clock, every, owner, embedder=embedder, catalog=catalog, folder=folder, regularisation=regularisation
    )
