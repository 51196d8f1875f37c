"""The knowledge index as versioned snapshots shared by several processes reading one folder."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import subprocess
import sys
import textwrap
import threading
from contextlib import closing
from dataclasses import astuple
from pathlib import Path

import pytest

from bots.cli.roles import follow_knowledge
from core.errors import IndexNotBuiltError
from kb_index.faiss_index import IndexOptions
from kb_index.knowledge_base import KnowledgeBase
from kb_index.records import INSERT_CHUNK, SCHEMA
from kb_index.snapshots import POINTER, SNAPSHOTS
from kb_index.vector_index import ExactIndex
from tests.fakes import HashingEmbedder
from tests.unit.test_knowledge_base import ARTICLES, write_kb

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", ARTICLES)


def docs(knowledge: KnowledgeBase, query: str) -> set[str]:
    return {hit.chunk.doc_id.split("-")[0] for hit in knowledge.search_text(query, 5)}


def newest_folder(data: Path) -> Path:
    return sorted((data / SNAPSHOTS).glob("v*"))[-1]


def test_an_article_added_through_one_process_is_found_by_another_after_its_refresh(
    tmp_path: Path, kb_dir: Path
) -> None:
    writer = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    reader = KnowledgeBase(tmp_path / "data", HashingEmbedder())
    writer.build(kb_dir)
    before = reader.search_text("webhook signature header", 1)  # loads the first version
    assert not reader.refresh()  # nothing new yet

    writer.add_article("Verifying webhook signatures", "Compare the signature header in constant time.", "mo")
    assert "added/verifying" not in docs(reader, "webhook signature header")  # not before its refresh
    assert reader.refresh()
    assert "added/verifying" in docs(reader, "webhook signature header")
    assert before[0].chunk.doc_id != "added/verifying"  # what a search already returned stays as it was
    assert reader.stats().version == writer.stats().version


def test_a_build_in_another_process_is_served_here_after_a_refresh(tmp_path: Path, kb_dir: Path) -> None:
    data = tmp_path / "data"
    here = KnowledgeBase(data, HashingEmbedder())
    here.build(kb_dir)
    assert "troubleshooting/oom" in docs(here, "exit code 137 memory")
    (kb_dir / "troubleshooting" / "oom.md").unlink()
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from kb_index.knowledge_base import KnowledgeBase
        from tests.fakes import HashingEmbedder
        KnowledgeBase(Path({str(data)!r}), HashingEmbedder()).build(Path({str(kb_dir)!r}))
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True, timeout=120)
    assert "troubleshooting/oom" in docs(here, "exit code 137 memory")  # still the version it loaded
    assert here.refresh()
    assert "troubleshooting/oom" not in docs(here, "exit code 137 memory")


def test_a_pointer_outside_the_snapshots_folder_is_refused_and_the_index_kept(
    tmp_path: Path, kb_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    knowledge = KnowledgeBase(data, HashingEmbedder())
    knowledge.build(kb_dir)
    served = knowledge.stats().version
    elsewhere = tmp_path / "elsewhere" / served
    elsewhere.parent.mkdir()
    newest_folder(data).rename(elsewhere)  # a complete snapshot, but not where Helpline keeps them
    (data / POINTER).write_text(json.dumps({"version": served, "path": f"../elsewhere/{served}"}), encoding="utf-8")
    knowledge._current = None  # as a process starting now would be
    with pytest.raises(IndexNotBuiltError, match="outside"):
        knowledge.search_text("refund", 1)

    knowledge.build(kb_dir)
    (data / POINTER).write_text(json.dumps({"version": served, "path": f"../elsewhere/{served}"}), encoding="utf-8")
    with caplog.at_level(logging.ERROR, "helpline.kb"):
        assert not knowledge.refresh()
    assert "outside" in caplog.text and "still serving version" in caplog.text
    assert "billing/refunds" in docs(knowledge, "refund invoice")


@pytest.mark.parametrize("damage", ["passages", "vectors", "missing", "pointer"])
def test_a_corrupt_or_missing_snapshot_is_refused_and_the_index_kept(
    tmp_path: Path, kb_dir: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    data = tmp_path / "data"
    writer, reader = KnowledgeBase(data, HashingEmbedder()), KnowledgeBase(data, HashingEmbedder())
    writer.build(kb_dir)
    served = reader.stats().version
    writer.add_article("Webhook signatures", "Compare the signature header in constant time.", "mo")
    folder = newest_folder(data)
    if damage == "passages":
        with (folder / "chunks.jsonl").open("a", encoding="utf-8") as fh:
            fh.write('{"chunk_id": "evil"}\n')
    elif damage == "vectors":
        [index] = folder.glob("index.*")
        index.write_bytes(index.read_bytes()[:-16])
    elif damage == "missing":
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    else:
        (data / POINTER).write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.ERROR, "helpline.kb"):
        assert not reader.refresh()
    assert f"still serving version {served}" in caplog.text
    assert reader.stats().version == served
    assert "billing/refunds" in docs(reader, "refund invoice")


def test_builds_from_two_processes_at_once_keep_both_articles(tmp_path: Path, kb_dir: Path) -> None:
    data = tmp_path / "data"
    KnowledgeBase(data, HashingEmbedder()).build(kb_dir)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from kb_index.knowledge_base import KnowledgeBase
        from tests.fakes import HashingEmbedder
        kb = KnowledgeBase(Path({str(data)!r}), HashingEmbedder())
        kb.add_article(sys.argv[1], sys.argv[1] + " explained in a few words.", "mo")
        """
    )
    titles = ["Rotating tokens", "Custom headers"]
    children = [subprocess.Popen([sys.executable, "-c", script, title], cwd=REPO) for title in titles]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    reader = KnowledgeBase(data, HashingEmbedder())
    assert {"added/rotating", "added/custom"} <= docs(reader, "rotating tokens custom headers explained")


class ThreadRecordingKnowledgeBase(KnowledgeBase):
    """Remembers which threads ran ``refresh``."""

    threads: set[int]

    def refresh(self) -> bool:
        """Record the thread, then refresh."""
        self.threads.add(threading.get_ident())
        return super().refresh()


@pytest.mark.asyncio
async def test_serve_follows_new_versions_within_seconds_loading_them_off_the_event_loop(
    tmp_path: Path, kb_dir: Path
) -> None:
    data = tmp_path / "data"
    writer = KnowledgeBase(data, HashingEmbedder())
    writer.build(kb_dir)
    reader = ThreadRecordingKnowledgeBase(data, HashingEmbedder())
    reader.threads = set()
    stop = asyncio.Event()
    following = asyncio.create_task(follow_knowledge(reader, 0.05, stop))
    try:
        await asyncio.to_thread(
            writer.add_article, "Webhook signatures", "Compare the signature in constant time.", "mo"
        )
        for _ in range(100):
            if reader.stats().version == writer.stats().version:
                break
            await asyncio.sleep(0.05)
        assert "added/webhook" in docs(reader, "webhook signature constant time")
    finally:
        stop.set()
        await following
    assert reader.threads and threading.get_ident() not in reader.threads


def test_an_index_built_before_snapshots_is_served_and_its_vectors_reused(tmp_path: Path, kb_dir: Path) -> None:
    """A data folder from Helpline 0.1: chunks in kb.sqlite3 beside one index file, no pointer."""
    data, embedder = tmp_path / "data", HashingEmbedder()
    KnowledgeBase(tmp_path / "new", embedder, IndexOptions(kind="numpy")).build(kb_dir)
    snapshot = KnowledgeBase(tmp_path / "new", embedder)._snapshot()
    data.mkdir()
    ExactIndex.load(next((newest_folder(tmp_path / "new")).glob("index.*"))).save(
        data / "index-20261101T000000-1a2b3c4d.npy"
    )
    with closing(sqlite3.connect(data / "kb.sqlite3")) as conn, conn:
        conn.executescript(SCHEMA)
        rows = [(row, *astuple(c), h) for row, (c, h) in enumerate(zip(snapshot.chunks, snapshot.hashes, strict=True))]
        conn.executemany(INSERT_CHUNK, rows)
        meta = {"index_file": "index-20261101T000000-1a2b3c4d.npy", "embedder": embedder.name, "source": str(kb_dir)}
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())

    old = KnowledgeBase(data, HashingEmbedder())
    assert "billing/refunds" in docs(old, "refund invoice")
    report = old.build(kb_dir)
    assert (report.embedded, report.reused) == (0, len(snapshot.chunks))
    assert (data / POINTER).is_file() and old.stats().version.startswith("v")
