"""A burst of signed Slack events into one ``helpline serve --role web`` process (the real model, a fresh SQLite
database, the fake Slack): how fast each is acknowledged, and whether each is handled exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx

from benchmarks.reliability.figures import Figure, Tally, latency_note
from benchmarks.slack_burst import RETRIES, event, start_web
from tests.adapters.slack_fake import FakeSlack, signature_headers

IN_FLIGHT = 50
CONCURRENCY = 8  # jobs.concurrency of the web process
HANDLED_TIMEOUT = 1800.0


async def post_events(port: int, numbers: Iterable[int], acked: Callable[[int, float], None]) -> dict[int, int]:
    """Post the events ``numbers``, ``IN_FLIGHT`` at once, each retried as Slack does; each event's last status.

    ``acked(n, seconds)`` is told of each 200 and how long that request took.
    """
    gate, last = asyncio.Semaphore(IN_FLIGHT), {}
    async with httpx.AsyncClient(timeout=60.0) as client:

        async def one(n: int) -> None:
            _, body = event(n)
            for attempt in range(RETRIES + 1):
                async with gate:
                    began = time.perf_counter()
                    try:
                        response = await client.post(f"http://127.0.0.1:{port}/slack/events", content=body,
                                                     headers=signature_headers(body))  # fmt: skip
                        last[n] = response.status_code
                    except httpx.TransportError:
                        last[n] = 0  # the process is gone (killed): no answer at all
                        return
                if last[n] == 200:
                    acked(n, time.perf_counter() - began)
                    return
                await asyncio.sleep(1.0 + attempt)

        await asyncio.gather(*(one(n) for n in numbers))
    return last


def handled(db: Path) -> dict[str, tuple[int, str]]:
    """Per Slack job key (``event:Ev…``): how many job rows it has and the last one's status."""
    rows: dict[str, tuple[int, str]] = {}
    with contextlib.closing(sqlite3.connect(db)) as conn:
        for key, status in conn.execute("SELECT key, status FROM jobs WHERE queue = 'slack' ORDER BY id"):
            rows[key] = (rows.get(key, (0, ""))[0] + 1, status)
    return rows


async def wait_until_done(db: Path, keys: set[str], timeout: float = HANDLED_TIMEOUT) -> dict[str, tuple[int, str]]:
    """The job rows once every one of ``keys`` is done (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await asyncio.to_thread(handled, db)
        if all(rows.get(k, (0, ""))[1] == "done" for k in keys) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.5)


def repeated_posts(fake: FakeSlack) -> Counter[str]:
    """Per thread, how many of its posts repeat an earlier post's text there (a reply sent twice)."""
    seen: Counter[tuple[str, str]] = Counter()
    for call in fake.method_calls("chat.postMessage"):
        seen[(str(call.args.get("thread_ts", "")), str(call.args.get("text", "")))] += 1
    repeats: Counter[str] = Counter()
    for (thread, _), times in seen.items():
        repeats[thread] += times - 1
    return repeats


def check_once(tally: Tally, count: int, acked: set[int], rows: dict[str, tuple[int, str]], fake: FakeSlack) -> None:
    """One case per event: acknowledged, one job row, done, and no reply in its thread sent twice."""
    repeats = repeated_posts(fake)
    for n in range(count):
        ts, _ = event(n)
        jobs, status = rows.get(f"event:Ev{n:08d}", (0, ""))
        ok = n in acked and jobs == 1 and status == "done" and repeats[ts] == 0
        tally.check(ok, f"event {n}: acked {n in acked}, {jobs} job rows, {status or 'no job'}, {repeats[ts]} repeats")


async def signed_burst(size: int) -> Figure:
    """Probe 7: ``size`` signed events, ``IN_FLIGHT`` at once, into one web process."""
    fake, tally, latencies, acked = FakeSlack(names={"U0ANA": "Ana"}), Tally(), [], set()

    def ack(n: int, seconds: float) -> None:
        acked.add(n)
        latencies.append(seconds)

    await fake.start()
    try:
        with tempfile.TemporaryDirectory(prefix="helpline-reliability-") as name:
            folder = Path(name)
            web = await asyncio.to_thread(start_web, folder, fake.api_url, CONCURRENCY)
            try:
                began = time.perf_counter()
                await post_events(web.port, range(size), ack)
                accepted = time.perf_counter() - began
                keys = {f"event:Ev{n:08d}" for n in acked}
                rows = await wait_until_done(folder / "data" / "helpline.sqlite3", keys)
                drained = time.perf_counter() - began
            finally:
                await asyncio.to_thread(web.stop)
            check_once(tally, size, acked, rows, fake)
    finally:
        await fake.close()
    notes = f"{latency_note(latencies)}; all accepted in {accepted:.1f} s, all handled in {drained:.1f} s."
    return tally.figure(
        "A burst of signed events",
        f"{size} signed Slack events, {min(IN_FLIGHT, size)} in flight, into one `helpline serve --role web` (real "
        "model, SQLite, the fake Slack, jobs.concurrency 8), retried as Slack retries: each must be acknowledged, "
        "have exactly one job row, done, and no reply posted twice in its thread.",
        notes,
    )
