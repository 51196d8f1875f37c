"""``helpline intents retrain`` on a real SQLite database, with the hashing embedder in place of the model."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.messages import Address
from core.text import clean_message
from core.tickets.records import NewTicket, Priority
from core.understanding.classifier import SoftmaxHead
from core.understanding.heads import HeadFolder
from core.understanding.retrain import held_back
from tests.fakes import HashingEmbedder
from tests.intent_corrections_world import CHARGED, T0, catalog, corrections, write_intents_file


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory and the small intents file; the CLI embeds with the hashing fake."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HELPLINE_INTENTS__FILE", str(write_intents_file(tmp_path / "intents.yaml")))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("bots.cli.intents.build_embedder", lambda settings: HashingEmbedder())
    return tmp_path / "data"


async def _correct(count: int) -> None:
    stores, engine = await open_stores(load_settings())
    try:
        for example in corrections()[:count]:
            new = NewTicket(
                "acme", "community", Address("console", "", "", f"t{example.ticket}"), "ana", "Ana", example.text,
                "account_access", Priority.MEDIUM, T0, None, None,
            )  # fmt: skip
            await stores.tickets.open_ticket(new, "console:ana")
            await stores.intent_examples.keep(example)
    finally:
        await engine.dispose()


def test_retrain_prints_before_and_after_and_switches_when_accuracy_rises(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_correct(len(CHARGED)))
    assert run(["intents", "retrain"]) == 0
    out = capsys.readouterr().out
    held = sum(held_back(text) for text in CHARGED)
    assert f"held-back corrections:      before 0.0% (0/{held}), after 100.0% ({held}/{held})" in out
    before, after = re.search(r"all held back: +before ([\d.]+)%.*after ([\d.]+)%", out).groups()  # type: ignore[union-attr]
    assert float(after) > float(before)
    version = HeadFolder(data_dir / "intent_heads").current()
    assert version is not None and f"Switched to head {version}" in out
    # Run again: the old head is now the retrained one, and the same data makes a head as good, so it switches.
    assert run(["intents", "retrain"]) == 0
    again = capsys.readouterr().out
    assert f"Before: head {version}." in again and HeadFolder(data_dir / "intent_heads").current() != version


def test_retrain_refuses_clearly_without_corrections(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_correct(0))
    assert run(["intents", "retrain"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no intent corrections yet: correct a ticket's intent with `intent N NAME`")
    assert not (data_dir / "intent_heads").exists()


def test_a_worse_head_exits_with_1_and_keeps_the_old_one_unless_forced(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_correct(len(CHARGED)))
    folder = HeadFolder(data_dir / "intent_heads")
    embedder = HashingEmbedder()
    # A serving head that has seen everything, the held-back slice too, with every charged question right.
    pairs = catalog().training_pairs() + [(text, "billing") for text in CHARGED]
    vectors = embedder.embed([clean_message(text).text for text, _ in pairs])
    seen_all = folder.write(SoftmaxHead.fit(vectors, [label for _, label in pairs], 1e4), {"embedder": embedder.name})
    asyncio.run(_relabel(len(CHARGED) // 2, "bug_report"))  # half the corrections made wrong
    assert run(["intents", "retrain"]) == 1
    assert "The new head is worse on the held-back slice: kept the old one" in capsys.readouterr().out
    assert folder.current() == seen_all
    assert run(["intents", "retrain", "--force"]) == 0
    assert "Switched to head" in capsys.readouterr().out and folder.current() != seen_all


async def _relabel(first: int, intent: str) -> None:
    stores, engine = await open_stores(load_settings())
    try:
        for example in (await stores.intent_examples.examples())[first:]:
            await stores.intent_examples.keep(replace(example, intent=intent))
    finally:
        await engine.dispose()
