"""``helpline serve`` with a GitHub webhook secret: the route is live, deliveries are checked, queued and worked."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from bots.github.translate import sign
from tests.e2e.test_serve import HELPLINE, Served, clean_env, free_port

PAYLOAD = Path(__file__).resolve().parents[1] / "adapters" / "payloads" / "github" / "issues.opened.payload.json"
SECRET = "e2e-secret"


@pytest.mark.model
def test_serve_takes_signed_github_deliveries_and_opens_tickets_after_answering(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    env = clean_env(tmp_path, GITHUB_WEBHOOK_SECRET=SECRET)
    with log.open("wb") as err:
        process = subprocess.Popen(
            [str(HELPLINE), "serve", "--port", str(port)], env=env, cwd=tmp_path,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    served = Served(process, port, log)
    try:
        health = served.wait_for_health().json()
        assert health["adapters"]["github"]["on"] and "GITHUB_TOKEN not set" in health["adapters"]["github"]["reason"]
        data = json.loads(PAYLOAD.read_text("utf-8"))
        data["issue"]["title"] = "App restarts with exit code 137"
        body = json.dumps(data).encode("utf-8")
        url = f"http://127.0.0.1:{port}/github/webhook"
        headers = {"X-GitHub-Event": "issues", "X-GitHub-Delivery": "e2e-1", "X-Hub-Signature-256": sign(SECRET, body)}
        first = httpx.post(url, content=body, headers=headers, timeout=10)
        again = httpx.post(url, content=body, headers=headers, timeout=10)
        forged = httpx.post(url, content=body, headers={**headers, "X-Hub-Signature-256": sign("x", body)}, timeout=10)
        assert (first.status_code, again.json()["status"], forged.status_code) == (202, "duplicate", 401)
        for n, malformed in enumerate([json.dumps({**data, "issue": {**data["issue"], "title": 42}}), "[" * 100_000]):
            wrong = malformed.encode("utf-8")
            sent = {**headers, "X-GitHub-Delivery": f"e2e-bad-{n}", "X-Hub-Signature-256": sign(SECRET, wrong)}
            assert httpx.post(url, content=wrong, headers=sent, timeout=10).status_code == 400
        assert _subjects(tmp_path / "data" / "helpline.sqlite3") == ["App restarts with exit code 137"]
        assert served.stop() == 0
        assert "Traceback" not in served.stderr()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _subjects(db: Path, timeout: float = 30.0) -> list[str]:
    """Ticket subjects, once the background worker has opened one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            subjects = [row[0] for row in conn.execute("SELECT subject FROM tickets ORDER BY id")]
        if subjects:
            return subjects
        time.sleep(0.2)
    return []
