"""A burst of signed Slack events into one ``helpline serve --role web`` process: events drained per second and
how long after Slack's ack each reply is posted, with the job drain running one job at a time and several.

Run from the repository root::

    .venv/bin/python -m benchmarks.slack_burst [--events 1000] [--in-flight 50] [--concurrency 1 8]

Each run starts a web process (it loads the real model; the knowledge base is the small one of the serve
tests) on a fresh SQLite database, against the fake Slack Web API the adapter tests use, running in this
process. It then posts ``--events`` signed ``message`` events, each a new question in a support channel (so
each its own conversation), with ``--in-flight`` requests at once. *Drained/s* counts from the first post to
the last reply; the delay of an event is from its ack (the 200 this client got) to the fake Slack receiving
the first ``chat.postMessage`` in its thread. An event answered with anything but 200 is posted again a moment
later, as Slack retries it; *not acked* counts those answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from tests.adapters.slack_fake import BOT_TOKEN, SIGNING_SECRET, FakeSlack, payload, signature_headers
from tests.e2e.test_serve import HELPLINE, Served, clean_env, free_port

RETRIES = 3
QUESTIONS = (
    "My deploy fails with exit code 137 right after the build step. What does that mean?",
    "How do I reset my password?",
    "The custom domain certificate is stuck on pending",
    "Can I get an invoice for last month?",
)


def start_web(folder: Path, api_url: str, concurrency: int) -> Served:
    """One web process with the Slack adapter on the fake Slack; returns once it answers /healthz."""
    env = clean_env(
        folder,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        HELPLINE_SLACK__SUPPORT_CHANNELS="C0HELPDESK",
        HELPLINE_SLACK__PACE_SECONDS="0",
        HELPLINE_JOBS__CONCURRENCY=str(concurrency),
    )
    port, log = free_port(), folder / f"web-{concurrency}.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [str(HELPLINE), "serve", "--role", "web", "--port", str(port)],
            env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    served = Served(process, port, log)
    served.wait_for_health()
    return served


def event(n: int) -> tuple[str, bytes]:
    """The ts and signed body of question ``n``: a new message in the support channel."""
    envelope = payload("event_message")
    ts = f"{1_800_000_000 + n}.000100"
    envelope["event_id"] = f"Ev{n:08d}"
    envelope["event"].update(ts=ts, event_ts=ts, text=QUESTIONS[n % len(QUESTIONS)], client_msg_id=f"bench-{n}")
    envelope["event"].pop("blocks", None)
    return ts, json.dumps(envelope).encode()


async def burst(web: Served, fake: FakeSlack, count: int, in_flight: int) -> tuple[float, list[float], int]:
    """Post ``count`` events; the seconds until the last reply, each reply's delay after its ack, and refusals."""
    prepared = [event(n) for n in range(count)]
    acked: dict[str, float] = {}
    refused: list[int] = []
    gate = asyncio.Semaphore(in_flight)
    async with httpx.AsyncClient(timeout=60.0) as client:

        async def one(ts: str, body: bytes) -> None:
            for attempt in range(RETRIES + 1):  # as Slack, which retries an event that got no ack
                async with gate:
                    url = f"http://127.0.0.1:{web.port}/slack/events"
                    response = await client.post(url, content=body, headers=signature_headers(body))
                if response.status_code == 200:
                    acked[ts] = time.monotonic()
                    return
                refused.append(response.status_code)
                await asyncio.sleep(1.0 + attempt)
            raise SystemExit(f"event {ts} answered {response.status_code}; see {web.log}:\n{web.stderr()[-3000:]}")

        began = time.monotonic()
        await asyncio.gather(*(one(ts, body) for ts, body in prepared))
        replied: dict[str, float] = {}
        deadline = time.monotonic() + 1800
        while len(replied) < count and time.monotonic() < deadline:
            for call in fake.method_calls("chat.postMessage"):
                thread = str(call.args.get("thread_ts", ""))
                if thread in acked and thread not in replied:
                    replied[thread] = call.at
            await asyncio.sleep(0.2)
    if len(replied) < count:
        raise SystemExit(f"only {len(replied)} of {count} events were answered")
    return max(replied.values()) - began, [replied[ts] - acked[ts] for ts in acked], len(refused)


async def run(count: int, in_flight: int, concurrency: int) -> str:
    """One Markdown row: a fresh process and database, one burst."""
    fake = FakeSlack(names={"U0ANA": "Ana"})
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            web = await asyncio.to_thread(start_web, Path(folder), fake.api_url, concurrency)
            try:
                seconds, delays, refused = await burst(web, fake, count, in_flight)
            finally:
                await asyncio.to_thread(web.stop)
    finally:
        await fake.close()
    p50, p90 = (statistics.quantiles(delays, n=10)[i] for i in (4, 8))
    rate = count / seconds
    return f"| {concurrency} | {count} | {in_flight} | {rate:.1f} | {p50:.1f} | {p90:.1f} | {refused} |"


def main() -> None:
    """Print one row per drain concurrency."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    print("| jobs.concurrency | events | in flight | drained/s | reply after ack p50 (s) | p90 (s) | not acked |")
    print("|---|---|---|---|---|---|---|")
    for concurrency in args.concurrency:
        print(asyncio.run(run(args.events, args.in_flight, concurrency)), flush=True)


if __name__ == "__main__":
    main()
