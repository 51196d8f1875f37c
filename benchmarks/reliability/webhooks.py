"""Forged, stale and replayed webhooks: every forgery is refused before anything is stored, each replay done once."""

from __future__ import annotations

import json
import time

from benchmarks.reliability import worlds
from benchmarks.reliability.figures import Figure, Tally
from bots.github.translate import sign
from tests.adapters import github_world, slack_world
from tests.adapters.slack_fake import signature_headers

JSON = "application/json"
REFUSED = (401, 403)
STALE = 6 * 60  # Slack refuses a timestamp more than five minutes away


def _slack_forgeries(body: bytes) -> dict[str, tuple[bytes, dict[str, str]]]:
    """The ways a Slack request can be forged or stale, each a body and its headers."""
    signed = signature_headers(body)
    digest = signed["X-Slack-Signature"]
    return {
        "unsigned": (body, {}),
        "signed with another secret": (body, signature_headers(body, secret="not-the-secret")),
        "stale timestamp": (body, signature_headers(body, at=time.time() - STALE)),
        "future timestamp": (body, signature_headers(body, at=time.time() + STALE)),
        "body changed after signing": (body.replace(b"down", b"dawn"), signed),
        "one digit of the signature changed": (body, {**signed, "X-Slack-Signature": digest[:-1] + "x"}),
        "timestamp changed after signing": (body, {**signed, "X-Slack-Request-Timestamp": str(int(time.time()) - 1)}),
    }


async def _slack(size: int, tally: Tally) -> None:
    """Forged and stale events refused and never queued; each genuine event three times gives one job."""
    async with worlds.slack() as world:
        for n in range(size):
            envelope = slack_world.connect_message(f"the dashboard is down for everyone {n}", f"EvForged{n:06d}")
            for how, (body, headers) in _slack_forgeries(json.dumps(envelope).encode()).items():
                response = await world.post(body, JSON, headers)
                queued = await world.queue.jobs("slack")
                tally.check(response.status_code in REFUSED and not queued, f"Slack {how}: {response.status_code}")
        for n in range(size):
            envelope = slack_world.connect_message(f"the API is down for everyone {n}", f"EvReplay{n:06d}")
            envelope["event"]["ts"] = f"{1_700_000_000 + n}.000200"
            answers = [await world.event(envelope), await world.event(envelope, retry=1), await world.event(envelope)]
            jobs = [j for j in await world.queue.jobs("slack") if j.key == f"event:EvReplay{n:06d}"]
            thread = [p for p in world.slack.posts() if p.get("thread_ts") == envelope["event"]["ts"]]
            ok = all(a.status_code == 200 for a in answers) and len(jobs) == 1 and len(thread) >= 1
            tally.check(ok, f"Slack event sent 3 times: {[a.status_code for a in answers]}, {len(jobs)} jobs")


async def _github(size: int, tally: Tally) -> None:
    """Forged deliveries refused and never queued; a delivery id seen twice is queued once."""
    async with worlds.github() as world:
        for n in range(size):
            data = github_world.opened(title=f"App restarts with exit code 137 ({n})")
            other = sign(github_world.SECRET, json.dumps(github_world.opened(title="another")).encode())
            forgeries = {
                "signed with another secret": {"sign_with": "not the secret"},
                "unsigned": {"signature": ""},
                "a sha1 signature": {"signature": "sha1=0123"},
                "another body's signature": {"signature": other},
            }
            for how, forged in forgeries.items():
                response = await world.deliver("issues", data, delivery=f"forged-{n}", **forged)
                queued = await world.queue.jobs("github")
                tally.check(response.status_code in REFUSED and not queued, f"GitHub {how}: {response.status_code}")
        for n in range(size):
            data = github_world.opened(title=f"Deploy fails with TL-E1042 ({n})")
            data["issue"]["number"] = 1000 + n
            before = len(await world.queue.jobs("github"))
            first = await world.deliver("issues", data, delivery=f"replay-{n}")
            again = await world.deliver("issues", data, delivery=f"replay-{n}")
            added = len(await world.queue.jobs("github")) - before
            ok = first.status_code == 202 and again.status_code == 200 and added == 1
            tally.check(ok, f"GitHub delivery sent twice: {first.status_code}, {again.status_code}, {added} jobs")


async def forged_stale_replayed(size: int) -> Figure:
    """Probe 1: ``size`` rounds of each forgery and ``size`` replayed events, on Slack and on GitHub."""
    tally = Tally()
    await _slack(size, tally)
    await _github(size, tally)
    return tally.figure(
        "Forged, stale and replayed webhooks",
        "Slack requests unsigned, signed with another secret, stale, from the future or changed after signing, and "
        "GitHub deliveries forged four ways, must be refused (401/403) with nothing queued; a Slack event sent three "
        "times and a GitHub delivery id sent twice must be queued once.",
    )
