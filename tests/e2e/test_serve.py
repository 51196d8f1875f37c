"""``helpline serve`` as an operator runs it: a real process, a real port, the real model."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

HELPLINE = Path(sys.executable).parent / "helpline"
START_TIMEOUT = 120.0  # the first run loads the embedding model and builds the index
STOP_TIMEOUT = 30.0

ARTICLES = {
    "domains.md": "---\ntitle: Custom domains\n---\n# Custom domains\n\n## Add one\n"
    "Point a CNAME record at your app and wait for the certificate.\n",
    "oom.md": "# Out of memory\n\n## Why it restarts\nThe app restarts with exit code 137 when memory runs out.\n",
}


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This environment without platform credentials or Helpline settings, plus a private data dir and tiny KB.

    The session's folder of ONNX exports is kept, so each server does not export the model again.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD_", "SLACK_", "GITHUB_", "HELPLINE_")) or key == "HELPLINE_MODEL__EXPORT_DIR"
    }
    source = tmp_path / "kb"
    source.mkdir(exist_ok=True)
    for name, text in ARTICLES.items():
        (source / name).write_text(text, encoding="utf-8")
    env.update(
        HELPLINE_DATA_DIR=str(tmp_path / "data"),
        HELPLINE_KNOWLEDGE__SOURCE=str(source),
        HF_HUB_OFFLINE="1",
        **extra,
    )
    return env


@dataclass
class Served:
    """A running ``helpline serve`` and where its log goes."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stderr(self) -> str:
        """Everything the process has logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_health(self) -> httpx.Response:
        """The first ``/healthz`` answer after the escalation worker's first pass."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"helpline serve exited with {self.process.returncode}:\n{self.stderr()}")
            try:
                response = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5.0)
            except httpx.TransportError:
                time.sleep(0.25)
                continue
            if response.status_code == 503 and response.json()["escalation_worker"]["last_pass"] is None:
                time.sleep(0.1)  # up, but the worker's first pass is still running
                continue
            return response
        pytest.fail(f"helpline serve did not answer within {START_TIMEOUT:.0f} s:\n{self.stderr()}")

    def stop(self) -> int:
        """Ctrl-C, as an operator would; the exit code."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"helpline serve did not stop within {STOP_TIMEOUT:.0f} s of SIGINT:\n{self.stderr()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """``helpline serve`` on a free port, with no platform credentials; killed if a test leaves it running."""
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [str(HELPLINE), "serve", "--port", str(port)],
            env=clean_env(tmp_path),
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        yield Served(process, port, log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.model
def test_serve_reports_health_and_why_each_adapter_is_off_then_stops_cleanly(served: Served) -> None:
    response = served.wait_for_health()
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert body["status"] == "ok"
    assert body["escalation_worker"]["last_error"] is None
    adapters = body["adapters"]
    assert set(adapters) == {"discord", "slack", "github", "email"}
    assert not any(adapter["on"] for adapter in adapters.values())
    assert "DISCORD_TOKEN" in adapters["discord"]["reason"]
    assert "SLACK_BOT_TOKEN" in adapters["slack"]["reason"]
    assert "SLACK_SIGNING_SECRET" in adapters["slack"]["reason"]
    assert "GITHUB_TOKEN" in adapters["github"]["reason"]
    assert "GITHUB_WEBHOOK_SECRET" in adapters["github"]["reason"]
    assert "HELPLINE_EMAIL_MAILBOXES" in adapters["email"]["reason"]

    log = served.stderr()
    assert "discord adapter: off (DISCORD_TOKEN not set)" in log
    assert "slack adapter: off (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET not set)" in log
    assert "github adapter: off (GITHUB_WEBHOOK_SECRET not set; GITHUB_TOKEN not set" in log
    assert "dashboard off: set HELPLINE_DASHBOARD_SECRET" in log
    assert "building it from" in log  # first run: the index was built from the configured folder

    assert served.stop() == 0
    log = served.stderr()
    assert "Traceback" not in log
    assert not [line for line in log.splitlines() if line.startswith(("ERROR", "error:"))]


def test_serve_with_a_broken_tiers_file_exits_naming_the_file_and_key(tmp_path: Path) -> None:
    tiers = tmp_path / "tiers.yaml"
    tiers.write_text("tiers:\n  gold:\n    label: 1\n", encoding="utf-8")
    env = clean_env(tmp_path, HELPLINE_SUPPORT__TIERS_FILE=str(tiers))
    try:
        done = subprocess.run(
            [str(HELPLINE), "serve", "--port", str(free_port())],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"helpline serve kept running with a broken tiers file:\n{exc.stderr!r}")
    assert done.returncode != 0
    assert f"{tiers}: tiers.gold.label:" in done.stderr
    assert "Traceback" not in done.stderr
