"""Retraining the intent head with corrections: measured on a held-back slice, saved as versions, followed live."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.text import clean_message
from core.understanding.classifier import IntentClassifier, SoftmaxHead, examples_fingerprint
from core.understanding.heads import HeadFolder, HeadFollower
from core.understanding.retrain import CATALOG_HEAD, NoCorrectionsError, held_back, retrain
from core.understanding.understander import Understander
from tests.fakes import HashingEmbedder
from tests.intent_corrections_world import CHARGED, catalog, corrections

QUESTION = "someone charged my account"  # a phrasing neither the catalog nor the corrections have


def _catalog_classifier(embedder: HashingEmbedder) -> IntentClassifier:
    pairs = catalog().training_pairs()
    vectors = embedder.embed([clean_message(text).text for text, _ in pairs])
    return IntentClassifier(SoftmaxHead.fit(vectors, [label for _, label in pairs]), 0.0, 0.0)


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _follower(folder: HeadFolder, embedder: HashingEmbedder, ticks: Ticks) -> HeadFollower:
    labels = ["billing", "account_access", "bug_report", "oos"]
    return HeadFollower(folder, _catalog_classifier(embedder), embedder=embedder.name, labels=labels, monotonic=ticks)


def test_corrections_fix_a_systematic_mistake_and_the_held_back_accuracy_rises(tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    result = retrain(embedder, catalog(), corrections(), HeadFolder(tmp_path))
    before, after = result.corrections
    assert before.total == after.total == sum(held_back(text) for text in CHARGED) > 0
    assert before.rate == 0.0 and after.rate == 1.0  # every held-back "charged" question was read as access before
    assert result.after.rate > result.before.rate and not result.worse
    assert result.old == CATALOG_HEAD and result.version is not None
    lines = "\n".join(result.lines())
    assert f"held-back corrections:      before {before.words()}, after {after.words()}" in lines
    assert f"Switched to head {result.version}" in lines
    assert HeadFolder(tmp_path).current() == result.version


def test_the_held_back_slice_is_the_same_on_every_run_and_never_trained_on() -> None:
    assert [held_back(text) for text in CHARGED] == [held_back(text) for text in CHARGED]
    assert held_back("My  account was charged twice ") == held_back("My account was charged twice")  # cleaned first
    assert 0 < sum(held_back(text) for text in CHARGED) < len(CHARGED)
    result = retrain(HashingEmbedder(), catalog(), corrections(), _NoWrites())
    held = sum(held_back(t) for t, _ in catalog().training_pairs()) + sum(held_back(t) for t in CHARGED)
    assert result.trained_on == len(catalog().training_pairs()) + len(CHARGED) - held


def test_no_corrections_is_refused_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NoCorrectionsError, match=r"no intent corrections yet: correct a ticket's intent with"):
        retrain(HashingEmbedder(), catalog(), [], HeadFolder(tmp_path))
    assert HeadFolder(tmp_path).current() is None


def test_a_worse_head_is_not_switched_to_unless_forced(tmp_path: Path) -> None:
    embedder, folder = HashingEmbedder(), HeadFolder(tmp_path)
    # A head serving now that has seen everything, the held-back slice too: no fair head can beat it there.
    pairs = catalog().training_pairs() + [(text, "billing") for text in CHARGED]
    vectors = embedder.embed([clean_message(text).text for text, _ in pairs])
    seen_all = folder.write(SoftmaxHead.fit(vectors, [label for _, label in pairs], 1e4), {"embedder": embedder.name})
    wrong = corrections(CHARGED[:10]) + corrections(CHARGED[10:], "bug_report")  # half the fixes are wrong
    kept = retrain(embedder, catalog(), wrong, folder)
    assert kept.worse and kept.version is None and kept.old == f"head {seen_all}"
    assert "The new head is worse on the held-back slice: kept the old one (--force switches anyway)." in kept.lines()
    assert folder.current() == seen_all
    forced = retrain(embedder, catalog(), wrong, folder, force=True)
    assert forced.worse and forced.version is not None and folder.current() == forced.version


def test_a_corrected_intent_the_catalog_no_longer_has_is_left_out_and_said(tmp_path: Path) -> None:
    result = retrain(
        HashingEmbedder(), catalog(), [*corrections(), *corrections(("a",), "refunds")], HeadFolder(tmp_path)
    )
    assert (result.used, result.skipped) == (len(CHARGED), 1)
    assert "  (1 correction(s) to intents the intents file no longer has were left out)" in result.lines()


def test_heads_are_plain_arrays_and_json_checked_by_digest_never_pickled(tmp_path: Path) -> None:
    folder = HeadFolder(tmp_path)
    version = retrain(HashingEmbedder(), catalog(), corrections(), folder).version
    assert version is not None
    assert json.loads((tmp_path / "CURRENT.json").read_text()) == {"version": version}
    manifest = json.loads((tmp_path / f"{version}.json").read_text())
    assert set(manifest) == {"format", "version", "labels", "meta", "sha256"}
    assert manifest["meta"]["embedder"] == "fake/hashing" and manifest["meta"]["corrections"] == str(len(CHARGED))
    with np.load(tmp_path / f"{version}.npz", allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ["bias", "weights"]
    assert (tmp_path / f"{version}.npz").stat().st_mode & 0o777 == 0o600
    (tmp_path / f"{version}.npz").write_bytes(b"not the arrays")
    with pytest.raises(Exception, match="not what its manifest says"):
        folder.load(version)


def test_a_second_understander_picks_up_the_new_head_when_the_pointer_switches(tmp_path: Path) -> None:
    embedder, folder, ticks = HashingEmbedder(), HeadFolder(tmp_path), Ticks()
    serving = [Understander(embedder, _follower(folder, embedder, ticks).classifier(), catalog(), None)]
    followers = [_follower(folder, embedder, ticks) for _ in range(2)]
    understanders = [
        Understander(embedder, f.base, catalog(), None, heads=f) for f in followers
    ] + serving  # the last one follows nothing: it keeps the catalog's head
    assert [u.understand(QUESTION).prediction.best for u in understanders] == ["account_access"] * 3
    version = retrain(embedder, catalog(), corrections(), folder).version
    # Not looked at again until the poll interval has passed: one stat every few seconds, not one per message.
    assert [u.understand(QUESTION).prediction.best for u in understanders] == ["account_access"] * 3
    ticks.now += 5.0
    assert [u.understand(QUESTION).prediction.best for u in understanders] == ["billing", "billing", "account_access"]
    assert [f.version for f in followers] == [version, version]


def test_a_head_that_cannot_be_trusted_is_not_served_and_the_old_one_stays(tmp_path: Path) -> None:
    embedder, folder, ticks = HashingEmbedder(), HeadFolder(tmp_path), Ticks()
    follower = _follower(folder, embedder, ticks)
    good = retrain(embedder, catalog(), corrections(), folder).version
    assert follower.check() and follower.version == good
    other_model = retrain(HashingEmbedder(name="fake/other"), catalog(), corrections(), folder, force=True).version
    assert folder.current() == other_model
    assert not follower.check() and follower.version == good  # trained on another model's vectors
    unknown = SoftmaxHead(("billing", "refunds"), np.zeros((256, 2), np.float32), np.zeros(2, np.float32))
    folder.write(unknown, {"embedder": embedder.name})
    assert not follower.check() and follower.version == good  # an intent the catalog does not have
    (tmp_path / "CURRENT.json").write_text('{"version": "../../etc/passwd"}')
    assert not follower.check() and follower.version == good
    assert follower.classifier().head.labels == ("account_access", "billing", "bug_report")


class _NoWrites(HeadFolder):
    """A folder with no head, that must not be written to."""

    def __init__(self) -> None:
        super().__init__(Path("/nonexistent-heads"))

    def write(self, head: SoftmaxHead, meta: object) -> str:
        """A version name, with nothing written."""
        return "v00000000T000000000000-00000000"


def test_a_head_trained_on_other_intents_file_examples_is_stale_and_not_served(tmp_path: Path) -> None:
    embedder, folder, ticks = HashingEmbedder(), HeadFolder(tmp_path), Ticks()
    now = examples_fingerprint(embedder.name, catalog().training_pairs(), 10.0)
    labels = ["billing", "account_access", "bug_report", "oos"]
    base = _catalog_classifier(embedder)
    current = HeadFollower(folder, base, embedder=embedder.name, labels=labels, catalog=now, monotonic=ticks)
    edited = HeadFollower(folder, base, embedder=embedder.name, labels=labels, catalog="0" * 16, monotonic=ticks)
    version = retrain(embedder, catalog(), corrections(), folder).version
    assert current.check() and current.version == version
    assert not edited.check() and edited.version is None  # the intents file changed since: its own head serves
