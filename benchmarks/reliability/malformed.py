"""Malformed payloads into every webhook: truncated, binary, huge and wrong-typed bodies, all correctly signed.

Held means no 5xx (which Slack and GitHub retry), nothing queued for a refused body, and no job given up on.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from benchmarks.reliability import worlds
from benchmarks.reliability.figures import Figure, Tally
from benchmarks.reliability.sampling import binary, drawn, truncated
from bots.github.webhook import MAX_BODY as GITHUB_MAX
from bots.slack.envelope import MAX_BODY as SLACK_MAX
from core.jobs import JobQueue, JobStatus
from tests.adapters import github_world
from tests.adapters.fuzzing import mutated
from tests.adapters.github import test_malformed as github_fixed
from tests.adapters.github.test_translate_fuzz import deliveries
from tests.adapters.slack import test_malformed as slack_fixed
from tests.adapters.slack.test_translate_fuzz import BUTTON_READS, EVENT_READS, EVENTS
from tests.adapters.slack_fake import payload, signature_headers
from tests.adapters.slack_world import World as SlackWorld

JSON, FORM = "application/json", "application/x-www-form-urlencoded"


def _slack_cases(size: int) -> list[tuple[str, bytes, str]]:
    """Named Slack bodies with their content types: the adapter tests' list, then drawn ones."""
    cases = [(name, body, kind) for name, (body, kind) in slack_fixed.MALFORMED.items()]
    # Found by this probe's drawn presses: an action without its action_id.
    no_action_id = _form(payload("block_actions") | {"actions": [{}]})
    cases.append(("a button press whose action has no action_id", no_action_id, FORM))
    events = st.sampled_from(EVENTS).flatmap(lambda name: mutated(payload(name), EVENT_READS))
    cases += [("a wrong-typed event", json.dumps(e).encode(), JSON) for e in drawn(events, size)]
    presses = drawn(mutated(payload("block_actions"), BUTTON_READS), size)
    cases += [("a wrong-typed button press", _form(p), FORM) for p in presses]
    cases += [("a truncated event", body, JSON) for body in truncated(payload("event_message"), size)]
    cases += [("binary", body, kind) for body in binary(size) for kind in (JSON, FORM)]
    cases.append(("a body over the limit", b'{"x": "' + b"a" * SLACK_MAX + b'"}', JSON))
    return cases


def _github_cases(size: int) -> list[tuple[str, str, bytes]]:
    """Named GitHub deliveries with their event names: the adapter tests' list, then drawn ones."""
    cases = [(name, event, _bytes(data)) for name, (event, data, _) in github_fixed.MALFORMED.items()]
    cases += [("a wrong-typed delivery", event, _bytes(data)) for event, data in drawn(deliveries, size)]
    opened = github_world.opened()
    cases += [("a truncated delivery", "issues", body) for body in truncated(opened, size)]
    cases += [("binary", "issues", body) for body in binary(size)]
    cases.append(("a body over the limit", "issues", b'{"x": "' + b"a" * GITHUB_MAX + b'"}'))
    return cases


def _form(press: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(press)}).encode()


def _bytes(data: bytes | dict[str, Any] | Any) -> bytes:
    return data if isinstance(data, bytes) else json.dumps(data).encode()


async def _failed(queue: JobQueue, name: str) -> int:
    return len(await queue.jobs(name, JobStatus.FAILED))


async def _slack(size: int, tally: Tally) -> None:
    async with worlds.slack() as world:
        for name, body, kind in _slack_cases(size):
            before = await _state(world)
            response = await world.post(body, kind, signature_headers(body))
            queued, failed = (now - was for now, was in zip(await _state(world), before, strict=True))
            refused_cleanly = response.status_code >= 400 and queued == 0
            ok = response.status_code < 500 and failed == 0 and (response.status_code < 400 or refused_cleanly)
            tally.check(ok, f"Slack, {name}: {response.status_code}, {queued} queued, {failed} given up")


async def _state(world: SlackWorld) -> tuple[int, int]:
    return len(await world.queue.jobs("slack")), await _failed(world.queue, "slack")


async def _github(size: int, tally: Tally) -> None:
    async with worlds.github() as world:
        for n, (name, event, body) in enumerate(_github_cases(size)):
            before = len(await world.queue.jobs("github"))
            response = await world.deliver(event, body, delivery=f"malformed-{n}")
            queued = len(await world.queue.jobs("github")) - before
            await world.drain()
            failed = await _failed(world.queue, "github")
            ok = response.status_code < 500 and failed == 0 and (response.status_code < 400 or queued == 0)
            tally.check(ok, f"GitHub, {name}: {response.status_code}, {queued} queued, {failed} given up")


async def malformed_payloads(size: int) -> Figure:
    """Probe 2: the adapter tests' malformed bodies and ``size`` of each drawn kind, into Slack and GitHub."""
    tally = Tally()
    await _slack(size, tally)
    await _github(size, tally)
    return tally.figure(
        "Malformed payloads",
        "Signed bodies into /slack/events and /github/webhook: the adapter tests' malformed list, then recorded "
        "payloads with values replaced by any JSON (hypothesis), JSON cut short, random bytes and a body over the "
        "limit. Each must get an answer below 500, a refused one must queue nothing, and no job may be given up.",
    )
