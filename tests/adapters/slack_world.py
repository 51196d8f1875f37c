"""The real slack-bolt app on a desk of fakes, served over ASGI, with its Web API client on the fake Slack."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from bots.adapters import AdapterContext, AdapterStatus
from bots.cli.roles import ALL
from bots.http.app import create_app
from bots.slack import runner as slack_adapter
from bots.slack.runner import SlackRunner
from config.intents import load_intents
from config.jobs_config import JobSettings
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings, SlackSettings, SupportSettings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.customers.journeys import JourneySettings
from core.desk.context import MessageUnderstander, Moderators
from core.jobs import JobQueue
from core.messages import SLACK
from core.notify import RoutingNotifier
from core.ports import Embedder
from core.sla.calendars import parse_opening
from core.sla.oncall import OnCall, Shift
from core.sla.plan import ON_CALL, EscalationLevel
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tiers import TierDirectory, TierRule
from core.understanding.understander import Understanding
from tests.adapters.slack_fake import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack, payload, signature_headers
from tests.desk_fakes import RULES, START, KeywordUnderstander, fake_system
from tests.fakes import memory_stores

ACME = "T0ACME"  # a Slack Connect customer's own workspace
GOLD_CHANNEL = "C0GOLDSHARED"
SUPPORT_CHANNELS = ("C0HELPDESK", "C0ACMESHARED", GOLD_CHANNEL)
ESCALATION_CHANNEL, ENTERPRISE_CHANNEL, STAFF_GROUP = "C0ESCALATE", "C0ENTERPRISE", "S0STAFF"
STAFF, LEAD, ANA = "U0MO", "U0LEAD", "U0ANA"
EMEA, ENGINEERS = "S0EMEA", "S0ENGINEERS"  # Slack user groups named by on-call shifts and chain levels


def tiers(slack_people: bool = False) -> TierDirectory:
    """Shipped tiers; enterprise escalates to its own Slack channel, white-glove to plain ``slack``.

    With ``slack_people`` the enterprise chain and the on-call shifts name Slack users and groups (as a
    production config does) instead of the shipped console groups.
    """
    targets = {"enterprise": f"slack:{ENTERPRISE_CHANNEL}", "white-glove": "slack"}
    shipped = load_tiers(DEFAULT_TIERS_FILE)
    changed = [
        dataclasses.replace(t, escalation_target=targets[t.name]) if t.name in targets else t for t in shipped.tiers
    ]
    rules = [
        TierRule("enterprise", platform=SLACK, workspace=ACME, customer="acme"),
        TierRule("white-glove", platform=SLACK, channel=GOLD_CHANNEL, customer="gold"),  # a shared channel
    ]
    if not slack_people:
        return TierDirectory(changed, rules)
    chain = (
        EscalationLevel("L1 first contact", None, (ON_CALL,), timedelta(hours=1)),
        EscalationLevel("L2 engineering", None, (f"slack:group:{ENGINEERS}", f"slack:user:{LEAD}", "console:group:x")),
    )
    changed = [
        dataclasses.replace(t, sla=dataclasses.replace(t.sla, chain=chain)) if t.name == "enterprise" else t
        for t in changed
    ]
    shifts = [
        Shift("americas", parse_opening("00:00-08:00"), ("slack:group:S0AMERICAS",)),
        Shift("emea", parse_opening("08:00-16:00"), (f"slack:group:{EMEA}", "discord:group:81234")),
        Shift("apac", parse_opening("16:00-24:00"), ("slack:group:S0APAC",)),
    ]
    return TierDirectory(changed, rules, on_call=OnCall("UTC", shifts))


def settings(concurrency: int = JobSettings().concurrency, **slack: Any) -> Settings:
    """Settings for the bot under test (``concurrency``: jobs.concurrency); no pacing unless a test asks for it."""
    base: dict[str, Any] = {
        "support_channels": SUPPORT_CHANNELS,
        "escalation_channel": ESCALATION_CHANNEL,
        "staff_group": STAFF_GROUP,
        "staff_users": (LEAD,),
        "pace_seconds": 0.0,
    }
    return Settings(
        slack=SlackSettings(**{**base, **slack}),
        support=SupportSettings(moderator_roles=("moderator", "support")),
        jobs=JobSettings(concurrency=concurrency),
    )


@dataclasses.dataclass
class World:
    """The fake Slack, the bot's runner and an HTTP client posting into the bot's route."""

    slack: FakeSlack
    runner: SlackRunner
    http: httpx.AsyncClient
    store: Stores
    clock: ManualClock
    worker: EscalationWorker
    queue: JobQueue

    async def close(self) -> None:
        """Finish the bot's work and stop everything."""
        await self.runner.close()
        await self.http.aclose()
        await self.slack.close()

    async def settle(self) -> None:
        """Wait until everything the bot acknowledged has been handled."""
        await self.runner.bot.idle()

    async def post(self, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> httpx.Response:
        """A raw request to /slack/events (signed only if ``headers`` sign it)."""
        sent = {"Content-Type": content_type, **(headers or {})}
        response = await self.http.post("/slack/events", content=body, headers=sent)
        await self.settle()
        return response

    async def event(self, envelope: dict[str, Any], retry: int | None = None) -> httpx.Response:
        """Deliver an Events API envelope, signed, as Slack does (with its retry headers on a retry)."""
        body = json.dumps(envelope).encode()
        headers = signature_headers(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(body, "application/json", headers)

    async def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        """Deliver a button press (form field ``payload``), signed."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded", signature_headers(body))

    async def command(self, form: dict[str, str]) -> httpx.Response:
        """Deliver a slash command's form, signed."""
        body = urlencode(form).encode()
        return await self.post(body, "application/x-www-form-urlencoded", signature_headers(body))


async def make_world(
    understander: MessageUnderstander | None = None,
    *,
    socket_mode: bool = False,
    app_token: str = APP_TOKEN,
    directory: TierDirectory | None = None,
    store: Stores | None = None,
    queue: JobQueue | None = None,
    clock: ManualClock | None = None,
    embedder: Embedder | None = None,
    concurrency: int = JobSettings().concurrency,
    journeys: JourneySettings | None = None,
    **slack: Any,
) -> World:
    """Start the fake Slack and the bot on it, as ``helpline serve`` wires them."""
    fake = FakeSlack(staff=[STAFF], names={STAFF: "Mo", ANA: "Ana", "U0ACMEBOB": "Bob Stone"})
    await fake.start()
    directory, store, clock = (
        directory or tiers(),
        store or memory_stores(),
        clock or ManualClock(START),
    )
    if queue is not None:  # passing the store (its queue) and clock of an earlier world is a restart
        store = dataclasses.replace(store, jobs=queue)
    notifier = RoutingNotifier({})
    system = fake_system(
        settings(concurrency, **slack),
        understander=understander,
        tiers=directory,
        stores=store,
        notifier=notifier,
        clock=clock,
        moderators=Moderators(frozenset({"moderator", "support"})),
        embedder=embedder,
        journeys=journeys,
    )
    # Socket Mode needs no signing secret: events arrive over the bot's own websocket.
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake.api_url}
    env |= {"SLACK_APP_TOKEN": app_token} if socket_mode else {"SLACK_SIGNING_SECRET": SIGNING_SECRET}
    context = AdapterContext(system.desk, settings(concurrency, **slack), env, ALL, system.drains(), notifier, clock)
    runner = slack_adapter.build(context)
    notifier.add(runner.name, runner.notifier)
    worker = system.worker
    app = create_app(worker, clock, [AdapterStatus(SLACK, True, "test")], interval=60, routes=runner.routes())
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://helpline.test")
    await runner.start()
    return World(fake, runner, http, store, clock, worker, store.jobs)


def buttons(message: Mapping[str, Any]) -> list[str]:
    """The action ids of a posted message's buttons."""
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def shown(message: Mapping[str, Any]) -> str:
    """Everything a posted message shows as text: its blocks' mrkdwn and its notification text."""
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def connect_message(text: str, event_id: str = "Ev07CONNECT01") -> dict[str, Any]:
    """A Slack Connect customer (workspace T0ACME) writing in the shared support channel."""
    envelope = payload("event_connect_message")
    envelope["event"]["text"] = text
    envelope["event_id"] = event_id
    return envelope


def thread_reply(user: str, text: str, thread_ts: str, channel: str, event_id: str) -> dict[str, Any]:
    """A reply in a thread, by ``user``."""
    envelope = payload("event_thread_reply")
    envelope["event"] |= {"user": user, "text": text, "thread_ts": thread_ts, "channel": channel}
    envelope["event"]["ts"] = f"{float(thread_ts) + 30:.6f}"
    envelope["event_id"] = event_id
    return envelope


def slash(user: str, text: str, world: World, trigger: str = "7312345678904.1") -> dict[str, str]:
    """``/helpline text`` from ``user``, answered at the fake's response URL."""
    form = payload("slash_command")
    form |= {"user_id": user, "user_name": user.lower(), "text": text, "trigger_id": trigger}
    form["response_url"] = f"{world.slack.url}/hooks/commands/T0VENDOR/{trigger}"
    return {key: str(value) for key, value in form.items()}


async def outage(world: World, text: str = "Our whole API is down, every request fails") -> str:
    """A Slack Connect customer reports an outage; the thread's ts."""
    envelope = connect_message(text)
    assert (await world.event(envelope)).status_code == 200
    return str(envelope["event"]["ts"])


class GatedUnderstander:
    """The keyword understander, held until the test opens the gate (a slow model)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self._inner = KeywordUnderstander(load_intents(DEFAULT_INTENTS_FILE), RULES)

    def understand(self, raw: str | bytes) -> Understanding:
        assert self.gate.wait(10), "the test never opened the gate"
        return self._inner.understand(raw)
