"""Retrained intent heads as versioned files, and a classifier that follows the newest one.

``helpline intents retrain`` writes each new head as a version in ``<data_dir>/intent_heads/``: its
arrays (``.npz``, read with ``allow_pickle=False``) and a manifest (``.json``: the labels, what it was
trained on, the arrays' SHA-256), then switches the small pointer ``CURRENT.json`` to it with one atomic
rename. Every serving process's ``HeadFollower`` stats the pointer at most once every few seconds, on the
understander's path, and loads a new version beside the one it serves; a version it cannot trust (a
digest that does not match, another model, labels the catalog does not have) is logged and not served.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from core.files import FILE_MODE, private_dir
from core.understanding.classifier import IntentClassifier, SoftmaxHead

log = logging.getLogger("helpline.intents")

POINTER = "CURRENT.json"
FORMAT = 1
KEEP = 5  # versions kept on disk, the current one among them
POLL_SECONDS = 5.0
_VERSION = re.compile(r"v\d{8}T\d{12}-[0-9a-f]{8}")


class HeadError(Exception):
    """A pointer or head version that is refused; the message says which file and why."""


@dataclass(frozen=True)
class SavedHead:
    """One version of a retrained head and what it was trained on (``meta``)."""

    version: str
    head: SoftmaxHead
    meta: dict[str, str] = field(default_factory=dict)


class HeadFolder:
    """The versions and ``CURRENT.json`` pointer of one heads folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pointer = directory / POINTER

    def write(self, head: SoftmaxHead, meta: Mapping[str, str]) -> str:
        """Write ``head`` as a new version, then point ``CURRENT.json`` at it; returns the version."""
        version = f"v{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        private_dir(self.directory)
        arrays = self.directory / f"{version}.npz"
        tmp = arrays.with_name(f".{arrays.name}.tmp")
        with os.fdopen(_private(tmp), "wb") as fh:
            np.savez(fh, weights=head.weights, bias=head.bias)
        tmp.replace(arrays)
        manifest = {
            "format": FORMAT,
            "version": version,
            "labels": list(head.labels),
            "meta": dict(meta),
            "sha256": _digest(arrays),
        }
        _write_atomically(self.directory / f"{version}.json", json.dumps(manifest, indent=1))
        _write_atomically(self.pointer, json.dumps({"version": version}))
        self._prune(version)
        return version

    def stamp(self) -> tuple[int, int, int] | None:
        """What a change of the pointer changes (its inode, size and time): one ``stat``; None when there is none."""
        try:
            found = self.pointer.stat()
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)

    def current(self) -> str | None:
        """The version the pointer names; None when no head was ever retrained; refuses a pointer it cannot trust."""
        try:
            data = json.loads(self.pointer.read_text(encoding="utf-8"))
            version = str(data["version"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            raise HeadError(f"{self.pointer}: not a head pointer") from None
        if not _VERSION.fullmatch(version):
            raise HeadError(f"{self.pointer}: {version!r} is not a head version written by Helpline")
        return version

    def load(self, version: str) -> SavedHead:
        """Read one version, checking its arrays against the manifest's digest first."""
        if not _VERSION.fullmatch(version):
            raise HeadError(f"{version!r} is not a head version written by Helpline")
        arrays, manifest_path = self.directory / f"{version}.npz", self.directory / f"{version}.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            labels = tuple(str(label) for label in manifest["labels"])
            meta = {str(k): str(v) for k, v in manifest["meta"].items()}
            digest = str(manifest["sha256"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise HeadError(f"{manifest_path}: missing or not a head manifest") from None
        if not arrays.is_file() or _digest(arrays) != digest:
            raise HeadError(f"{arrays}: missing or not what its manifest says (corrupt?)")
        try:
            with np.load(arrays, allow_pickle=False) as loaded:
                weights, bias = loaded["weights"], loaded["bias"]
        except (OSError, ValueError, KeyError) as exc:
            raise HeadError(f"{arrays}: cannot be read: {exc}") from None
        if weights.ndim != 2 or weights.shape[1] != len(labels) or bias.shape != (len(labels),):
            raise HeadError(f"{arrays}: arrays do not match {len(labels)} labels")
        return SavedHead(version, SoftmaxHead(labels, weights, bias), meta)

    def load_current(self) -> SavedHead | None:
        """The version the pointer names, loaded; None when there is none."""
        version = self.current()
        return None if version is None else self.load(version)

    def _prune(self, current: str) -> None:
        versions = sorted({p.stem for p in self.directory.glob("v*.json") if _VERSION.fullmatch(p.stem)})
        for old in versions[:-KEEP]:
            if old != current:  # processes still serving an old version have it in memory already
                for suffix in (".npz", ".json"):
                    (self.directory / f"{old}{suffix}").unlink(missing_ok=True)


class HeadFollower:
    """The classifier to use now: the catalog's, until a retrained head is switched to, then the newest one.

    ``classifier()`` is called once per message; it looks at the pointer (one ``stat``) at most every
    ``every`` seconds, and reads a version only when the pointer changed.
    """

    def __init__(
        self,
        folder: HeadFolder,
        base: IntentClassifier,
        *,
        embedder: str,
        labels: Collection[str],
        catalog: str | None = None,
        every: float = POLL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder, self.base = folder, base
        # ``catalog`` is the intents file's fingerprint: a head trained on other examples of it is stale.
        self._embedder, self._labels, self._catalog = embedder, frozenset(labels), catalog
        self._every, self._monotonic = every, monotonic
        self._current = base
        self.version: str | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._next = float("-inf")

    def classifier(self) -> IntentClassifier:
        """The classifier of the head serving now (checking for a new one when due)."""
        now = self._monotonic()
        if now >= self._next:
            self._next = now + self._every
            self.check()
        return self._current

    def check(self) -> bool:
        """Follow the pointer if it changed; True when a new head is served from now on."""
        stamp = self.folder.stamp()
        if stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            saved = self.folder.load_current()
        except HeadError as exc:
            log.warning("not serving the retrained intent head: %s", exc)
            return False
        if saved is None or saved.version == self.version:
            return False
        problem = self.refusal(saved)
        if problem is not None:
            log.warning("not serving intent head %s: %s", saved.version, problem)
            return False
        self._current = IntentClassifier(saved.head, self.base.min_confidence, self.base.min_margin)
        self.version = saved.version
        log.info("serving retrained intent head %s", saved.version)
        return True

    def refusal(self, saved: SavedHead) -> str | None:
        """Why ``saved`` cannot be served with this model and catalog; None when it can."""
        built_with = saved.meta.get("embedder")
        if built_with != self._embedder:
            return f"it was trained on {built_with!r} vectors, and this process embeds with {self._embedder!r}"
        unknown = sorted(set(saved.head.labels) - self._labels)
        if unknown:
            return f"the intents file no longer has {', '.join(unknown)}; run `helpline intents retrain` again"
        if saved.head.weights.shape[0] != self.base.head.weights.shape[0]:
            return "its vectors are not the length this model's are"
        if self._catalog is not None and saved.meta.get("catalog") != self._catalog:
            return "the intents file changed since it was trained; run `helpline intents retrain` again"
        return None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _private(path: Path) -> int:
    """A new file only this user may read (0600), open for writing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)


def _write_atomically(path: Path, text: str) -> None:
    # Readers open the pointer at any moment: they must see the old file or the new one, never half of one.
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with os.fdopen(_private(tmp), "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
