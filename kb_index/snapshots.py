"""Versioned snapshots of the knowledge index, shared by every process that reads one folder.

A build writes a complete new version under ``snapshots/`` (passages as JSON lines, vectors as
``.npy`` or a FAISS file, and a manifest with each file's SHA-256), then switches the small
pointer file ``CURRENT.json`` to it with one atomic rename. A version also holds
``headings.npz``, one vector per distinct section heading (``kb_index.ranking``); a version written
before heading vectors existed still loads, and its sections are ranked on passage vectors alone.
A version with phrasings (other wordings of an article's question) holds them in ``phrasings.npz``:
their vectors, articles and texts; a version without the file simply has none.
Readers poll the pointer and load a new version beside the one they serve. Nothing is unpickled,
and a snapshot is only loaded when its pointer names a folder inside ``snapshots/`` and every
file matches the manifest's digest.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from core.files import FOLDER_MODE, private_dir
from core.ports import Chunk
from kb_index.faiss_index import IndexOptions, load_index
from kb_index.ranking import HeadingVectors, PhrasingVectors
from kb_index.vector_index import VectorIndex

SNAPSHOTS = "snapshots"
POINTER = "CURRENT.json"
MANIFEST = "manifest.json"
PASSAGES = "chunks.jsonl"
INDEX_FILES = ("index.npy", "index.faiss")
HEADINGS = "headings.npz"
PHRASINGS = "phrasings.npz"
FORMAT = 1
_VERSION = re.compile(r"v\d{8}T\d{12}-[0-9a-f]{8}")
_CHUNK_FIELDS = ("chunk_id", "doc_id", "title", "section", "text", "source", "url")


class SnapshotError(Exception):
    """A pointer or snapshot that is refused; the message says which file and why."""


@dataclass(frozen=True)
class Snapshot:
    """One loaded version: its passages, their content hashes, the vectors and what built them."""

    version: str
    chunks: list[Chunk]
    hashes: list[str]
    index: VectorIndex
    meta: dict[str, str] = field(default_factory=dict)
    headings: HeadingVectors | None = None
    phrasings: PhrasingVectors | None = None


def new_version(now: datetime | None = None) -> str:
    """A version name that sorts by creation time: ``v20261201T120501123456-1a2b3c4d``."""
    return f"v{(now or datetime.now(UTC)):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"


class SnapshotFolder:
    """The ``snapshots/`` folder and ``CURRENT.json`` pointer of one knowledge-base directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.root = directory / SNAPSHOTS
        self.pointer = directory / POINTER

    def write(
        self,
        chunks: list[Chunk],
        hashes: list[str],
        index: VectorIndex,
        meta: dict[str, str],
        headings: HeadingVectors | None = None,
        phrasings: PhrasingVectors | None = None,
    ) -> str:
        """Write a complete new version, then point ``CURRENT.json`` at it; returns its name."""
        version = new_version()
        staging = self.root / f".tmp-{version}"
        private_dir(self.directory)
        private_dir(self.root)
        staging.mkdir(mode=FOLDER_MODE)
        index_name = INDEX_FILES[0] if index.kind == "numpy" else INDEX_FILES[1]
        index.save(staging / index_name)
        names = [PASSAGES, index_name]
        if headings is not None:
            with (staging / HEADINGS).open("wb") as fh:
                np.savez(fh, vectors=headings.vectors, rows=headings.rows)
            names.append(HEADINGS)
        if phrasings is not None and phrasings.docs:
            with (staging / PHRASINGS).open("wb") as fh:
                np.savez(
                    fh, vectors=phrasings.vectors, docs=np.asarray(phrasings.docs), texts=np.asarray(phrasings.texts)
                )
            names.append(PHRASINGS)
        lines = (
            json.dumps({**_chunk_dict(c), "hash": h}, ensure_ascii=False) for c, h in zip(chunks, hashes, strict=True)
        )
        (staging / PASSAGES).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "version": version,
            "created": time.time(),
            "meta": meta,
            "files": {name: _digest(staging / name) for name in names},
        }
        _write_atomically(staging / MANIFEST, json.dumps(manifest, indent=1))
        staging.rename(self.root / version)
        _write_atomically(self.pointer, json.dumps({"version": version, "path": f"{SNAPSHOTS}/{version}"}))
        return version

    def current(self) -> str | None:
        """The version the pointer names, None when nothing was ever built; refuses a pointer it cannot trust."""
        try:
            raw = self.pointer.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SnapshotError(f"{self.pointer}: cannot be read: {exc}") from None
        try:
            data = json.loads(raw)
            version, path = str(data["version"]), str(data["path"])
        except (ValueError, KeyError, TypeError):
            raise SnapshotError(f"{self.pointer}: not a snapshot pointer") from None
        self._checked_folder(version, path)
        return version

    def _checked_folder(self, version: str, path: str) -> Path:
        folder = (self.directory / path).resolve()
        if not folder.is_relative_to(self.root.resolve()) or folder.parent != self.root.resolve():
            raise SnapshotError(f"{self.pointer}: names {path!r}, which is outside {self.root}")
        if not _VERSION.fullmatch(version) or folder.name != version:
            raise SnapshotError(f"{self.pointer}: {version!r} is not a snapshot version written by Helpline")
        return folder

    def load(self, version: str, options: IndexOptions) -> Snapshot:
        """Read one version, checking every file against the manifest's digests first."""
        folder = self._checked_folder(version, f"{SNAPSHOTS}/{version}")
        manifest = _manifest(folder)
        files: dict[str, str] = manifest["files"]
        index_names = set(files) & set(INDEX_FILES)
        if set(files) - {PASSAGES, HEADINGS, PHRASINGS, *INDEX_FILES} or PASSAGES not in files or len(index_names) != 1:
            raise SnapshotError(f"{folder / MANIFEST}: unexpected file list {sorted(files)}")
        for name, digest in files.items():
            if not (folder / name).is_file() or _digest(folder / name) != digest:
                raise SnapshotError(f"{folder / name}: missing or not what this snapshot's manifest says (corrupt?)")
        chunks, hashes = _read_passages(folder / PASSAGES)
        index_name = index_names.pop()
        try:
            index = load_index(folder / index_name, options)
        except Exception as exc:  # FAISS raises RuntimeError, NumPy ValueError: both mean "not an index"
            raise SnapshotError(f"{folder / index_name}: cannot be loaded: {exc}") from None
        if len(index) != len(chunks):
            raise SnapshotError(f"{folder}: {len(chunks)} passages but {len(index)} vectors")
        meta = {str(k): str(v) for k, v in manifest["meta"].items()}
        headings = _read_headings(folder / HEADINGS, len(chunks), index.dimension) if HEADINGS in files else None
        phrasings = _read_phrasings(folder / PHRASINGS, index.dimension) if PHRASINGS in files else None
        return Snapshot(version, chunks, hashes, index, meta, headings, phrasings)

    def size_bytes(self, version: str) -> int:
        """Bytes on disk of one version."""
        folder = self.root / version
        return sum(path.stat().st_size for path in folder.iterdir() if path.is_file()) if folder.is_dir() else 0

    def prune(self, grace_seconds: float, keep: set[str]) -> list[str]:
        """Delete versions replaced more than ``grace_seconds`` ago (and stale half-written ones); returns them.

        A version counts as replaced when the next newer one was created; ``keep`` (the current and the
        ones this process serves) is never deleted.
        """
        if not self.root.is_dir():
            return []
        now = time.time()
        versions = sorted(p.name for p in self.root.iterdir() if _VERSION.fullmatch(p.name))
        removed = []
        for older, newer in itertools.pairwise(versions):
            replaced = _created(self.root / newer)
            if older not in keep and replaced is not None and now - replaced > grace_seconds:
                shutil.rmtree(self.root / older, ignore_errors=True)
                removed.append(older)
        for stale in self.root.glob(".tmp-*"):
            if now - stale.stat().st_mtime > max(grace_seconds, 3600):  # a build that died half-way
                shutil.rmtree(stale, ignore_errors=True)
        return removed


def _chunk_dict(chunk: Chunk) -> dict[str, Any]:
    return {name: getattr(chunk, name) for name in _CHUNK_FIELDS}


def _read_passages(path: Path) -> tuple[list[Chunk], list[str]]:
    chunks, hashes = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
            chunks.append(Chunk(*(row[name] for name in _CHUNK_FIELDS)))
            hashes.append(str(row["hash"]))
        except (ValueError, KeyError, TypeError):
            raise SnapshotError(f"{path}:{number}: not a passage record") from None
    return chunks, hashes


def _read_headings(path: Path, passages: int, dimension: int) -> HeadingVectors:
    """The heading vectors of a version, checked against its passages and vector size; never unpickles."""
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors, rows = np.asarray(data["vectors"], dtype=np.float32), np.asarray(data["rows"], dtype=np.int64)
    except (OSError, ValueError, KeyError) as exc:
        raise SnapshotError(f"{path}: cannot be loaded: {exc}") from None
    fits = vectors.ndim == 2 and vectors.shape[1] == dimension and rows.shape == (passages,)
    if not fits or (rows.size and (rows.min() < -1 or rows.max() >= len(vectors))):
        raise SnapshotError(f"{path}: does not match the version's {passages} passages of {dimension} dimensions")
    return HeadingVectors(vectors, rows)


def _read_phrasings(path: Path, dimension: int) -> PhrasingVectors:
    """The phrasing vectors of a version with their articles and texts, checked; never unpickles."""
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors, docs, texts = np.asarray(data["vectors"], dtype=np.float32), data["docs"], data["texts"]
    except (OSError, ValueError, KeyError) as exc:
        raise SnapshotError(f"{path}: cannot be loaded: {exc}") from None
    rows = len(vectors)
    shapes = vectors.ndim == 2 and vectors.shape[1] == dimension and docs.shape == texts.shape == (rows,)
    if not shapes or docs.dtype.kind != "U" or texts.dtype.kind != "U":
        raise SnapshotError(f"{path}: not {dimension}-dimension phrasing vectors with their articles and texts")
    return PhrasingVectors(vectors, [str(d) for d in docs], [str(t) for t in texts])


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{folder}: no such snapshot (pruned, or never written)") from None
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{folder / MANIFEST}: unreadable: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != folder.name:
        raise SnapshotError(f"{folder / MANIFEST}: not a format-{FORMAT} manifest of version {folder.name}")
    if not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("meta"), dict):
        raise SnapshotError(f"{folder / MANIFEST}: no file list or metadata")
    return manifest


def _created(folder: Path) -> float | None:
    try:
        return float(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["created"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    # Readers open the pointer at any moment: they must see the old file or the new one, never half of one.
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
