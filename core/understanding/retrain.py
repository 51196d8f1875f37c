"""Retraining the intent head on the catalog's examples plus moderators' corrections.

One in five examples is held back, chosen by a hash of its text, so the same ones are held back on every
run and no head ever trains on them: the old head and the new one are measured on the same slice, fairly.
The catalog's own head (trained on every catalog example) has seen the held-back catalog examples, so
while no retrained head exists the "before" is that head refitted without them. A new head that scores
lower on the slice is not switched to unless forced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt

from core.errors import HelplineError
from core.ports import Embedder, Vectors
from core.text import clean_message
from core.understanding.classifier import SoftmaxHead, examples_fingerprint
from core.understanding.heads import HeadError, HeadFolder, SavedHead
from core.understanding.intents import OUT_OF_SCOPE, IntentCatalog
from core.understanding.ports import IntentExample

HOLD_BACK = 5  # one example in this many is held back for measuring
CATALOG_HEAD = "the catalog's head (refitted without the held-back examples)"


class NoCorrectionsError(HelplineError):
    """There is nothing to retrain on: no moderator has corrected an intent yet."""


def held_back(text: str) -> bool:
    """Whether an example is in the measuring slice: the same answer for the same text, on every run."""
    digest = hashlib.sha256(clean_message(text).text.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % HOLD_BACK == 0


@dataclass(frozen=True)
class Accuracy:
    """How many of a slice's examples a head gave their intent (its top label)."""

    right: int
    total: int

    @property
    def rate(self) -> float:
        """The share right, 0 for an empty slice."""
        return self.right / self.total if self.total else 0.0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.right + other.right, self.total + other.total)

    def words(self) -> str:
        """``91.7% (22/24)``."""
        return f"{100 * self.rate:.1f}% ({self.right}/{self.total})" if self.total else "nothing held back"


@dataclass(frozen=True)
class Retrained:
    """What a retrain measured and whether it switched the serving head."""

    old: str  # which head "before" is
    catalog: tuple[Accuracy, Accuracy]  # before, after on the held-back catalog examples
    corrections: tuple[Accuracy, Accuracy]  # before, after on the held-back corrections
    trained_on: int
    used: int  # corrections trained on or held back
    skipped: int  # corrections of intents the catalog no longer has
    version: str | None  # the new head's version, when switched to

    @property
    def before(self) -> Accuracy:
        """The old head on the whole held-back slice."""
        return self.catalog[0] + self.corrections[0]

    @property
    def after(self) -> Accuracy:
        """The new head on the whole held-back slice."""
        return self.catalog[1] + self.corrections[1]

    @property
    def worse(self) -> bool:
        """True when the new head scores lower than the old one on the held-back slice."""
        return self.after.rate < self.before.rate

    def lines(self) -> list[str]:
        """The report ``helpline intents retrain`` prints."""
        out = [
            f"Trained on {self.trained_on} examples (the intents file's and {self.used} correction(s)); "
            f"held back and never trained on (one in {HOLD_BACK}, by its text): {self.catalog[0].total} "
            f"example(s) and {self.corrections[0].total} correction(s).",
            f"Before: {self.old}. After: the new head.",
            f"  held-back catalog examples: before {self.catalog[0].words()}, after {self.catalog[1].words()}",
            f"  held-back corrections:      before {self.corrections[0].words()}, after {self.corrections[1].words()}",
            f"  all held back:              before {self.before.words()}, after {self.after.words()}",
        ]
        if self.skipped:
            out.append(f"  ({self.skipped} correction(s) to intents the intents file no longer has were left out)")
        if self.corrections[0].total == 0:
            out.append(f"  (no correction is held back yet: one in {HOLD_BACK} is, chosen by its text)")
        if self.version is not None:
            out.append(f"Switched to head {self.version}; serving processes pick it up within seconds.")
        else:
            out.append("The new head is worse on the held-back slice: kept the old one (--force switches anyway).")
        return out


def retrain(
    embedder: Embedder,
    catalog: IntentCatalog,
    corrections: Sequence[IntentExample],
    folder: HeadFolder,
    *,
    regularisation: float = 10.0,
    force: bool = False,
) -> Retrained:
    """Train a new head on the catalog and the corrections, measure it against the serving one, switch if not worse."""
    if not corrections:
        raise NoCorrectionsError(
            "no intent corrections yet: correct a ticket's intent with `intent N NAME` (or on the dashboard) first"
        )
    known = {intent.name for intent in catalog.intents} | {OUT_OF_SCOPE}
    usable = [c for c in corrections if c.intent in known]
    base = catalog.training_pairs()
    fixes = [(c.text, c.intent) for c in usable]
    texts = [text for text, _ in base + fixes]
    vectors = embedder.embed([clean_message(text).text for text in texts])
    held = np.array([held_back(text) for text in texts], dtype=bool)
    labels = [label for _, label in base + fixes]
    is_fix = np.array([False] * len(base) + [True] * len(fixes), dtype=bool)
    train = ~held
    new = SoftmaxHead.fit(vectors[train], [labels[i] for i in np.flatnonzero(train)], regularisation)
    current = _current(folder, embedder.name, new)
    if current is not None:
        old, old_name = current.head, f"head {current.version}"
    else:
        catalog_train = train & ~is_fix
        old = SoftmaxHead.fit(
            vectors[catalog_train], [labels[i] for i in np.flatnonzero(catalog_train)], regularisation
        )
        old_name = CATALOG_HEAD
    on_catalog = (_accuracy(old, vectors, labels, held & ~is_fix), _accuracy(new, vectors, labels, held & ~is_fix))
    on_fixes = (_accuracy(old, vectors, labels, held & is_fix), _accuracy(new, vectors, labels, held & is_fix))
    skipped = len(corrections) - len(usable)
    result = Retrained(old_name, on_catalog, on_fixes, int(train.sum()), len(usable), skipped, None)
    if result.worse and not force:
        return result
    latest = max(c.at for c in corrections)
    meta = {
        "embedder": embedder.name,
        "catalog": examples_fingerprint(embedder.name, base, regularisation),
        "corrections": str(len(usable)),
        "corrections_through": latest.isoformat(),
        "trained_on": str(result.trained_on),
    }
    return replace(result, version=folder.write(new, meta))


def corrections_through(saved: SavedHead | None) -> datetime | None:
    """The newest correction the saved head was trained with; None for none (or a head that does not say)."""
    raw = saved.meta.get("corrections_through") if saved is not None else None
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _current(folder: HeadFolder, embedder: str, new: SoftmaxHead) -> SavedHead | None:
    """The serving retrained head, if it is one this model and these vectors can be measured with."""
    try:
        saved = folder.load_current()
    except HeadError:
        return None
    if saved is None or saved.meta.get("embedder") != embedder:
        return None
    return saved if saved.head.weights.shape[0] == new.weights.shape[0] else None


def _accuracy(head: SoftmaxHead, vectors: Vectors, labels: Sequence[str], where: npt.NDArray[np.bool_]) -> Accuracy:
    rows = [int(row) for row in np.flatnonzero(where)]
    if not rows:
        return Accuracy(0, 0)
    top = [int(best) for best in np.argmax(head.probabilities(vectors[rows]), axis=1)]
    right = sum(1 for row, best in zip(rows, top, strict=True) if head.labels[best] == labels[row])
    return Accuracy(right, len(rows))
