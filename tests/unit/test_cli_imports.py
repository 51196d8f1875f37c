"""What `helpline ask` and `helpline chat` load before their first answer: a start that imports torch, the dashboard
or every platform's SDK takes seconds longer (docs/benchmarks.md, cold start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The model stack (export and fine-tuning only), the dashboard's charts, and the platforms' SDKs (`serve` only).
HEAVY = ("torch", "sentence_transformers", "altair", "vl_convert", "github", "slack_bolt", "slack_sdk", "discord")


def _loaded_after(statement: str) -> list[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_the_command_line_and_the_desk_it_builds_import_no_model_stack_dashboard_or_platform_sdk() -> None:
    loaded = _loaded_after("import bots.cli, bots.bootstrap, bots.cli.chat")
    assert [name for name in HEAVY if name in loaded] == []


def test_serving_still_reaches_every_platform_once_it_runs() -> None:
    loaded = _loaded_after("from bots.registry import ADAPTERS")
    assert {"github", "slack_bolt", "discord"} <= set(loaded)
