"""Signing in and out: the password form, the one-time links moderators ask for in chat, and signing out.

Sign-in forms carry their own CSRF token (there is no session yet, see ``SessionGate.form_token``). Failed
password sign-ins are counted per account and per address; past the limit the form answers 429 until the window
has passed. An unknown name and a wrong password get the same answer, after the same argon2 work.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import LOGIN_PATH, guarded
from bots.web.passwords import Passwords
from bots.web.render import page
from bots.web.sessions import SessionGate
from core.staff.ports import StaffExistsError
from core.staff.records import SignInLink, StaffAccount, StaffRole
from core.staff.tokens import token_hash

HOME = "/dashboard/"
ACCOUNT_LIMIT = 5  # failed sign-ins per account per window
ADDRESS_LIMIT = 20  # failed sign-ins per address per window
WINDOW = timedelta(minutes=15)
MAX_NAME = 200
MAX_PASSWORD = 1024  # longer is never right (nobody can set one); only this much of it is ever hashed

WRONG = "That user name and password do not match an account."
LIMITED = "Too many failed sign-ins for this account or from this address. Wait 15 minutes, then try again."
DISABLED = "This account is disabled. Ask a lead to enable it."
EXPIRED_FORM = "The sign-in form expired. It has been reloaded: try again."


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The sign-in routes; none when the gate is not the session gate (page tests let a fixed viewer in)."""
    gate = deps.gate
    if not isinstance(gate, SessionGate):
        return []
    signin = SignIn(deps, gate)
    return [
        Route("/login", signin.form, methods=["GET"]),
        Route("/login", signin.password, methods=["POST"]),
        Route("/login/{token}", signin.link_page, methods=["GET"]),
        Route("/login/{token}", signin.redeem, methods=["POST"]),
        Route("/logout", guarded(deps, signin.logout), methods=["POST"]),
    ]


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only ever a path under ``/dashboard`` on this site, else the home page."""
    decoded = unquote(value or "")  # a browser resolves %2e%2e and %5c as it would the plain characters
    if not value or ".." in decoded or "\\" in decoded or not decoded.isprintable():
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/dashboard"):
        return HOME
    if parts.path not in ("/dashboard", "/dashboard/") and not parts.path.startswith("/dashboard/"):
        return HOME
    return value


class SignIn:
    """The sign-in pages' handlers, on the dashboard's stores and its session gate."""

    def __init__(self, deps: DashboardDeps, gate: SessionGate) -> None:
        self._deps = deps
        self._gate = gate

    async def form(self, request: Request) -> Response:
        """The user name and password form (with the layout's sign-out button when already signed in)."""
        viewer = await self._gate.viewer(request)
        return self._form_page(request, 200, viewer=viewer, next=safe_next(request.query_params.get("next")))

    async def password(self, request: Request) -> Response:
        """Check the form; on success a new session and a see-other to ``next``."""
        form = await request.form()
        name, password = _field(form, "username")[:MAX_NAME].strip(), _field(form, "password")
        target = safe_next(_field(form, "next"))
        if not await self._gate.form_token_ok(request):
            return self._form_page(request, 400, next=target, name=name, error=EXPIRED_FORM)
        now = self._deps.clock.now()
        keys = [f"account:{name.casefold()}", f"address:{_address(request)}"]
        if await self._limited(keys, now):
            return self._form_page(request, 429, next=target, name=name, error=LIMITED)
        account = await self._deps.staff.get(name) if name else None
        stored = account.password_hash if account is not None and len(password) <= MAX_PASSWORD else None
        if not _password_matches(stored, password[:MAX_PASSWORD]):
            await self._deps.sessions.record_failure(keys, now)
            return self._form_page(request, 400, next=target, name=name, error=WRONG)
        assert account is not None  # a password matched its hash
        if account.disabled:
            return self._form_page(request, 403, next=target, name=name, error=DISABLED)
        await self._deps.sessions.clear_failures(keys[0])
        response = RedirectResponse(target, status_code=303)
        await self._gate.start(response, account.name, account.role, account.identity)
        return response

    async def link_page(self, request: Request) -> Response:
        """A sign-in link's page: "Sign in as NAME" and a button. Only the POST uses the link (previews GET it)."""
        token = request.path_params["token"]
        link = await self._deps.staff.link(token_hash(token))
        problem = _link_problem(link, self._deps.clock.now())
        if problem is not None:
            return self._link_refused(request, *problem)
        assert link is not None
        return self._form_page(request, 200, template="signin_link.html.j2", link=link, token=token)

    async def redeem(self, request: Request) -> Response:
        """Use the link once, find or make the account acting as its identity, and start a session."""
        token = request.path_params["token"]
        if not await self._gate.form_token_ok(request):
            return RedirectResponse(f"{LOGIN_PATH}/{token}", status_code=303)  # a fresh form for the same link
        now = self._deps.clock.now()
        link = await self._deps.staff.redeem_link(token_hash(token), now)
        if link is None:
            problem = _link_problem(await self._deps.staff.link(token_hash(token)), now) or _USED
            return self._link_refused(request, *problem)
        account = await self._account_for(link)
        if account.disabled:
            return self._link_refused(request, 403, DISABLED)
        response = RedirectResponse(HOME, status_code=303)
        # The link's identity carries the roles the moderator had when asking; the account keeps its own role.
        await self._gate.start(response, account.name, account.role, link.identity)
        return response

    async def logout(self, request: Request, viewer: Viewer) -> Response:
        """End the session and go back to the sign-in form."""
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        await self._gate.end(response, viewer)
        return response

    async def _account_for(self, link: SignInLink) -> StaffAccount:
        identity = link.identity
        account = await self._deps.staff.for_identity(identity.platform, identity.user_id)
        if account is not None:
            return account
        made = StaffAccount(identity.actor, StaffRole.AGENT, identity, self._deps.clock.now())
        try:
            await self._deps.staff.add(made)
        except StaffExistsError:  # the same person's other link won the race: use that account
            found = await self._deps.staff.for_identity(identity.platform, identity.user_id)
            if found is None:
                raise
            return found
        return made

    async def _limited(self, keys: list[str], now: datetime) -> bool:
        since = now - WINDOW
        account, address = keys
        sessions = self._deps.sessions
        return (
            await sessions.failures_since(account, since) >= ACCOUNT_LIMIT
            or await sessions.failures_since(address, since) >= ADDRESS_LIMIT
        )

    def _form_page(
        self,
        request: Request,
        status: int,
        *,
        template: str = "signin.html.j2",
        viewer: Viewer | None = None,
        **context: Any,
    ) -> Response:
        form_token, cookie = self._gate.form_token(request)
        context = {"name": "", "error": None, "next": HOME, **context}
        response = page(request, viewer, template, status=status, form_token=form_token, title="Sign in", **context)
        if status == 429:
            response.headers["Retry-After"] = str(int(WINDOW.total_seconds()))
        self._gate.keep_form_cookie(response, cookie)
        return response

    def _link_refused(self, request: Request, status: int, message: str) -> Response:
        return page(request, None, "signin_link.html.j2", status=status, link=None, message=message, title="Sign in")


_USED = (410, "This sign-in link has been used already. Ask for a new one in chat (`login`).")
_EXPIRED = (410, "This sign-in link has expired (links last 10 minutes). Ask for a new one in chat (`login`).")
_UNKNOWN = (400, "This is not a sign-in link we know. Ask for a new one in chat (`login`), and copy it whole.")


def _link_problem(link: SignInLink | None, now: datetime) -> tuple[int, str] | None:
    if link is None:
        return _UNKNOWN
    if link.used_at is not None:
        return _USED
    if now >= link.expires_at:
        return _EXPIRED
    return None


def _field(form: Any, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


def _address(request: Request) -> str:
    # Behind a reverse proxy uvicorn puts the client from X-Forwarded-For here (for the proxies it trusts).
    return request.client.host if request.client is not None else "unknown"


@functools.cache
def _passwords() -> Passwords:
    return Passwords()


@functools.cache
def _stand_in_hash() -> str:
    """A hash to check unknown names against, so they cost as much as a wrong password."""
    return _passwords().hash("no account has this password")


def _password_matches(stored: str | None, password: str) -> bool:
    return _passwords().verify(stored or _stand_in_hash(), password) and stored is not None
