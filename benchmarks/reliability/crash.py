"""kill -9 during a burst: the web process is killed once a third of the events are acknowledged, started again
on the same database, and the events it never answered are posted again (as Slack retries them). Every event
must then be handled exactly once: one job row, done, and no reply sent twice in its thread.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.reliability.burst import CONCURRENCY, check_once, post_events, wait_until_done
from benchmarks.reliability.figures import Figure, Tally
from benchmarks.slack_burst import start_web
from bots.slack.events import LEASE
from tests.adapters.slack_fake import FakeSlack

KILL_AFTER = 1 / 3  # of the events acknowledged


async def kill_during_burst(size: int) -> Figure:
    """Probe 8: ``size`` events, the process killed with SIGKILL a third of the way, then restarted."""
    fake, tally, acked = FakeSlack(names={"U0ANA": "Ana"}), Tally(), set()
    await fake.start()
    try:
        with tempfile.TemporaryDirectory(prefix="helpline-reliability-") as name:
            folder = Path(name)
            first = await asyncio.to_thread(start_web, folder, fake.api_url, CONCURRENCY)

            def ack(n: int, _: float) -> None:
                acked.add(n)
                if len(acked) >= max(1, round(size * KILL_AFTER)) and first.process.poll() is None:
                    first.process.kill()  # SIGKILL: no shutdown, no flush, as a crashed host

            try:
                await post_events(first.port, range(size), ack)
            finally:
                if first.process.poll() is None:
                    first.process.kill()
                first.process.wait()
            before_kill = len(acked)
            began = time.perf_counter()
            second = await asyncio.to_thread(start_web, folder, fake.api_url, CONCURRENCY)
            try:
                await post_events(second.port, [n for n in range(size) if n not in acked], ack)
                keys = {f"event:Ev{n:08d}" for n in acked}
                rows = await wait_until_done(folder / "data" / "helpline.sqlite3", keys)
                recovered = time.perf_counter() - began
            finally:
                await asyncio.to_thread(second.stop)
            check_once(tally, size, acked, rows, fake)
    finally:
        await fake.close()
    return tally.figure(
        "kill -9 during a burst",
        f"{size} signed Slack events into one web process, killed with SIGKILL once a third were acknowledged, "
        "then started again on the same SQLite database; the events never answered are posted again, as Slack "
        "retries. Each event must have exactly one job row, done, and no reply posted twice in its thread.",
        f"{before_kill} acknowledged before the kill; after the restart everything was handled in {recovered:.1f} s: "
        f"the restart's model load, and the jobs the killed process had taken waiting out their lease ({LEASE}).",
    )
