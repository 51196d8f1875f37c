"""A retrained head reaches another running process without a restart: it follows the pointer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.understanding.heads import HeadFolder
from core.understanding.retrain import retrain
from tests.fakes import HashingEmbedder
from tests.intent_corrections_world import catalog, corrections

REPO = Path(__file__).resolve().parents[2]


def test_another_process_reads_with_the_new_head_once_the_pointer_switches(tmp_path: Path) -> None:
    folder = HeadFolder(tmp_path / "intent_heads")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.intent_head_reader", str(folder.directory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert reader.stdin is not None and reader.stdout is not None

    def ask(question: str) -> str:
        assert reader.stdin is not None and reader.stdout is not None
        reader.stdin.write(question + "\n")
        reader.stdin.flush()
        return reader.stdout.readline().strip()

    try:
        assert reader.stdout.readline().strip() == "ready"
        assert ask("someone charged my account") == "account_access catalog"
        version = retrain(HashingEmbedder(), catalog(), corrections(), folder).version
        assert ask("someone charged my account") == f"billing {version}"
        assert ask("I cannot log in to my account") == f"account_access {version}"
    finally:
        reader.stdin.close()
        code = reader.wait(timeout=60)
        reader.stdout.close()
    assert code == 0
