"""``helpline serve --role``: a web process and a worker process sharing one PostgreSQL database."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_serve import HELPLINE, START_TIMEOUT, Served, clean_env, free_port


def start(tmp_path: Path, name: str, args: list[str], env: dict[str, str]) -> Served:
    """One ``helpline serve`` process, logging to ``<name>.log``."""
    port, log = free_port(), tmp_path / f"{name}.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [str(HELPLINE), "serve", "--port", str(port), *args],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    return Served(process, port, log)


@pytest.fixture
def processes() -> Iterator[list[Served]]:
    """Processes a test starts; killed if the test leaves them running."""
    started: list[Served] = []
    yield started
    for served in started:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()


def wait_for_log(served: Served, text: str) -> None:
    """Wait until the process has logged ``text``."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if text in served.stderr():
            return
        if served.process.poll() is not None:
            pytest.fail(f"exited with {served.process.returncode}:\n{served.stderr()}")
        time.sleep(0.2)
    pytest.fail(f"never logged {text!r}:\n{served.stderr()}")


@pytest.mark.model
def test_a_web_and_a_worker_process_share_one_postgres_database(
    tmp_path: Path, postgres_url: str, processes: list[Served]
) -> None:
    env = clean_env(tmp_path, HELPLINE_SUPPORT__DATABASE_URL=postgres_url)
    web = start(tmp_path, "web", ["--role", "web"], env)
    worker = start(tmp_path, "worker", ["--role", "worker"], env)
    processes += [web, worker]

    response = web.wait_for_health()
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["escalation_worker"] == {"runs_here": False}
    wait_for_log(worker, "escalation worker: every 60 s; database postgresql+asyncpg://")
    with pytest.raises(httpx.TransportError):  # a worker serves no HTTP
        httpx.get(f"http://127.0.0.1:{worker.port}/healthz", timeout=2.0)

    assert "role web: web" in web.stderr()
    assert "escalation worker: every" not in web.stderr()
    assert "role worker: escalation worker" in worker.stderr()
    assert "loading embedding model" not in worker.stderr()  # a worker never reads a message
    assert "building it from" not in worker.stderr()
    for served in (web, worker):
        assert served.stop() == 0
        assert "Traceback" not in served.stderr()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--role", "discord"], "--role discord needs the Discord bot token in DISCORD_TOKEN"),
        (["--role", "web", "--shard-id", "0", "--shard-count", "2"], "need --role discord or all, not web"),
        (["--role", "discord", "--shard-id", "2", "--shard-count", "2"], "--shard-id must be from 0 to 1"),
        (["--role", "cashier"], "'cashier' is not one of"),
    ],
)
def test_roles_that_cannot_work_exit_at_once_saying_why(tmp_path: Path, args: list[str], problem: str) -> None:
    done = subprocess.run(
        [str(HELPLINE), "serve", "--port", str(free_port()), *args],
        env=clean_env(tmp_path),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert done.returncode == 2
    assert problem in done.stderr
    assert "Traceback" not in done.stderr
