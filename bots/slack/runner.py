"""Running the Slack bot inside ``helpline serve``: HTTP at ``/slack/events``, or Socket Mode."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bots.adapters import AdapterContext, AdapterSpec
from bots.http.body import read_capped
from bots.slack.app import SlackBot, SlackOptions
from bots.slack.envelope import MAX_BODY, SlackRequestError, read_request
from bots.slack.names import NameBook
from bots.slack.outbox import ChannelPacer, NoticeOptions, SlackNotifier, SlackPoster, make_client
from bots.slack.staff import StaffDirectory
from config.settings import Settings
from core.desk.pipeline import SupportDesk
from core.errors import ConfigError
from core.messages import SLACK

if TYPE_CHECKING:
    from core.job_drain import DrainFactory

log = logging.getLogger("helpline.slack")

EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE = 10.0  # seconds acknowledged requests get to finish when the server stops


@dataclass(frozen=True)
class SlackCredentials:
    """Tokens and the signing secret, only ever from the environment."""

    bot_token: str
    signing_secret: str = ""
    app_token: str = ""  # set: Socket Mode
    api_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackCredentials:
        """``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_APP_TOKEN`` and ``SLACK_API_URL``."""
        return cls(
            env.get("SLACK_BOT_TOKEN", "").strip(),
            env.get("SLACK_SIGNING_SECRET", "").strip(),
            env.get("SLACK_APP_TOKEN", "").strip(),
            env.get("SLACK_API_URL", "").strip() or None,
        )

    @property
    def socket_mode(self) -> bool:
        """True when events arrive over Socket Mode instead of HTTP."""
        return bool(self.app_token)


def slack_options(settings: Settings) -> SlackOptions:
    """The bot's options from the ``slack`` and ``support`` settings."""
    s = settings.slack
    return SlackOptions(
        support_channels=frozenset(s.support_channels),
        staff_roles=frozenset(settings.support.moderator_roles),
        notices=NoticeOptions(s.escalation_channel, s.staff_group),
    )


def build_app(credentials: SlackCredentials) -> AsyncApp:
    """A bolt app that checks signatures over HTTP; refuses to exist without a secret unless in Socket Mode."""
    if not credentials.bot_token:
        raise ConfigError("environment", "SLACK_BOT_TOKEN", "is not set")
    if not credentials.socket_mode and not credentials.signing_secret:
        # An empty secret would make every forged request verify: never run HTTP mode without one.
        why = "is needed unless SLACK_APP_TOKEN (Socket Mode) is set"
        raise ConfigError("environment", "SLACK_SIGNING_SECRET", why)
    return AsyncApp(
        client=make_client(credentials.bot_token, credentials.api_url),
        signing_secret=credentials.signing_secret or None,
        # Listeners acknowledge at once and run the slow part in tasks the bot tracks itself.
        process_before_response=True,
        # The route checks every HTTP request's signature before bolt sees it (in constant time, before
        # parsing), and may respell a form's body for bolt (``envelope.read_request``), which bolt's own
        # check over the body would then refuse.
        request_verification_enabled=False,
        logger=logging.getLogger("helpline.slack.bolt"),
    )


class SlackRunner:
    """Owns the bolt app and (in Socket Mode) its connection; the notifier posts with the same client.

    The Slack plug-in of ``helpline serve``: without ``listen`` (a worker, a Discord process) it only posts.
    """

    name = SLACK

    def __init__(
        self,
        desk: SupportDesk,
        settings: Settings,
        credentials: SlackCredentials,
        drains: DrainFactory,
        *,
        listen: bool = True,
    ) -> None:
        self.credentials = credentials
        self._listen = listen
        app = build_app(credentials)
        s = settings.slack
        poster = SlackPoster(app.client, ChannelPacer(s.pace_seconds))
        staff = StaffDirectory(app.client, frozenset(s.staff_users), s.staff_group, s.staff_cache_seconds)
        options = slack_options(settings)
        self.bot = SlackBot(app, desk, poster, staff, NameBook(app.client), options, drains)
        self.notifier = SlackNotifier(options.notices, poster)
        secret = credentials.signing_secret
        self._verifier = SignatureVerifier(secret) if secret else None  # None: refuse every HTTP request
        self._socket: AsyncSocketModeHandler | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._draining: asyncio.Task[None] | None = None

    def routes(self) -> list[BaseRoute]:
        """The HTTP route for events, buttons and the slash command; none in Socket Mode."""
        if self.credentials.socket_mode:
            return []

        async def slack_events(request: Request) -> Response:
            """Read at most ``MAX_BODY``, check the signature, then the shape, and only then hand it to bolt."""
            body = await read_capped(request, MAX_BODY)
            if body is None:
                return PlainTextResponse(f"a Slack request is at most {MAX_BODY} bytes", status_code=413)
            # Checked before anything is parsed, so a forged body of any shape is a plain 401.
            if not self._signed(body, request.headers):
                return PlainTextResponse("invalid or missing Slack signature", status_code=401)
            try:
                text = read_request(body, request.headers.get("content-type"))
            except SlackRequestError as exc:
                log.warning("refused a signed Slack request: %s", exc)
                return PlainTextResponse(f"the request could not be read: {exc}", status_code=400)
            bolt_request = to_async_bolt_request(request, text.encode("utf-8"))
            return to_starlette_response(await self.bot.app.async_dispatch(bolt_request))

        return [Route(EVENTS_PATH, slack_events, methods=["POST"])]

    def _signed(self, body: bytes, headers: Mapping[str, str]) -> bool:
        if self._verifier is None:
            return False
        try:
            return self._verifier.is_valid_request(body, dict(headers))
        except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
            return False
        except TypeError:  # a signature with non-ASCII characters, which compare_digest refuses to compare
            return False

    async def start(self) -> None:
        """Handle stored events (those a previous run acknowledged first); connect in Socket Mode, in the background."""
        if not self._listen:
            return
        self._draining = asyncio.create_task(self.bot.events.run_forever(self._stop), name="helpline-slack-events")
        if not self.credentials.socket_mode:
            log.info("Slack bot: HTTP mode, events at %s", EVENTS_PATH)
            return
        self._socket = AsyncSocketModeHandler(self.bot.app, self.credentials.app_token)
        self._connecting = asyncio.create_task(self._connect(self._socket), name="helpline-slack-socket")
        await asyncio.sleep(0)

    async def _connect(self, socket: AsyncSocketModeHandler) -> None:
        # The Socket Mode client retries for ever, even a wrong token; so the token is tried once first.
        try:
            await self.bot.app.client.apps_connections_open(app_token=self.credentials.app_token)
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.error("Slack refused SLACK_APP_TOKEN (%s): it must be an app-level token with connections:write", error)
            return
        except (OSError, aiohttp.ClientError) as exc:  # Slack unreachable: the client keeps trying until it is
            log.warning("cannot reach Slack yet (%s); Socket Mode keeps trying", exc or type(exc).__name__)
        await socket.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack bot: Socket Mode connected")

    async def close(self) -> None:
        """Disconnect, then give acknowledged requests a moment to finish."""
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.bot.idle(), SHUTDOWN_GRACE)
        self._stop.set()  # events not handled yet stay stored for the next start
        if self._draining is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._draining, SHUTDOWN_GRACE)


def build(context: AdapterContext) -> SlackRunner:
    """The Slack bot with its credentials from the environment; it listens in a web process only."""
    credentials = SlackCredentials.from_env(context.env)
    return SlackRunner(context.desk, context.settings, credentials, context.drains, listen=context.plan.web)


# Socket Mode (SLACK_APP_TOKEN) receives events over a websocket, so it needs no signing secret.
ADAPTER = AdapterSpec(
    SLACK,
    ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
    available=True,
    alternatives=(("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"),),
    build=build,
)
