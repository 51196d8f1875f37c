"""The real gate: a signed session cookie, looked up by its hash in ``StaffSessions``, and each session's CSRF token.

The cookie ``helpline_session`` carries a random token signed with ``HELPLINE_DASHBOARD_SECRET`` (itsdangerous,
HMAC-SHA1 over a derived key); a cookie whose signature does not check is no session, before any lookup. The
store keeps only the token's SHA-256, so a leaked table signs nobody in, and signing out revokes the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from itsdangerous import BadSignature, Signer, TimestampSigner
from starlette.responses import Response

from bots.web.deps import Viewer
from core.staff.records import StaffSession
from core.staff.tokens import new_token, same_token, token_hash

if TYPE_CHECKING:
    from starlette.requests import Request

    from core.ports import Clock
    from core.staff.ports import StaffSessions
    from core.staff.records import Identity, StaffRole

COOKIE = "helpline_session"
FORM_COOKIE = "helpline_signin"  # the sign-in forms' own CSRF pair, before there is a session
SECRET_ENV = "HELPLINE_DASHBOARD_SECRET"  # noqa: S105 - the variable's name, not its value
MIN_SECRET = 32
SESSION_LIFETIME = timedelta(hours=12)
FORM_LIFETIME = timedelta(hours=1)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class SecretCheck:
    """The dashboard secret from the environment, or why there is none (then the dashboard is off)."""

    secret: str | None
    reason: str


def dashboard_secret(environ: Mapping[str, str]) -> SecretCheck:
    """Read ``HELPLINE_DASHBOARD_SECRET``; it must be at least 32 characters. Never generated, never stored."""
    secret = environ.get(SECRET_ENV, "")
    if not secret:
        return SecretCheck(None, f"set {SECRET_ENV} (a random string of at least {MIN_SECRET} characters)")
    if len(secret) < MIN_SECRET:
        return SecretCheck(None, f"make {SECRET_ENV} at least {MIN_SECRET} characters long (it is {len(secret)})")
    return SecretCheck(secret, f"{SECRET_ENV} set")


class SessionGate:
    """The ``Gate`` of a running dashboard: finds the session a request's cookie names, starts and ends sessions."""

    def __init__(
        self,
        secret: str,
        sessions: StaffSessions,
        clock: Clock,
        *,
        secure: bool,
        lifetime: timedelta = SESSION_LIFETIME,
    ) -> None:
        if len(secret) < MIN_SECRET:
            raise ValueError(f"{SECRET_ENV} needs at least {MIN_SECRET} characters")
        self._cookie = Signer(secret, salt="helpline.dashboard.session")
        self._form = TimestampSigner(secret, salt="helpline.dashboard.signin-form")
        self._form_cookie = Signer(secret, salt="helpline.dashboard.signin-cookie")
        self._sessions = sessions
        self._clock = clock
        self.secure = secure
        self.lifetime = lifetime

    async def viewer(self, request: Request) -> Viewer | None:
        """The live session's viewer; None for no cookie, a tampered or forged one, or an ended session."""
        token = _unsign(self._cookie, request.cookies.get(COOKIE))
        if token is None:
            return None
        session = await self._sessions.get(token_hash(token), self._clock.now())
        if session is None:
            return None
        return Viewer(session.account, session.role, session.identity, session.token_hash, session.csrf_token)

    async def csrf_ok(self, request: Request, viewer: Viewer) -> bool:
        """The header ``X-CSRF-Token`` or the form field ``csrf_token`` equals the session's token."""
        return same_token(await _sent_token(request), viewer.csrf_token)

    async def start(self, response: Response, account: str, role: StaffRole, identity: Identity) -> StaffSession:
        """A new session (always a new token: no fixation), kept by its hash, its cookie set on ``response``."""
        token, now = new_token(), self._clock.now()
        session = StaffSession(token_hash(token), account, role, identity, new_token(), now, now + self.lifetime)
        await self._sessions.start(session)
        response.set_cookie(
            COOKIE,
            self._cookie.sign(token).decode(),
            max_age=int(self.lifetime.total_seconds()),
            path="/dashboard",
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )
        return session

    async def end(self, response: Response, viewer: Viewer) -> None:
        """Revoke the viewer's session and clear its cookie."""
        await self._sessions.revoke(viewer.session, self._clock.now())
        response.delete_cookie(COOKIE, path="/dashboard", secure=self.secure, httponly=True, samesite="lax")

    def form_token(self, request: Request) -> tuple[str, str | None]:
        """The sign-in forms' CSRF token (before there is a session): a nonce signed and timed for the form, and
        the signed cookie that carries the same nonce (None when the browser has a good one already: two tabs work).
        """
        nonce = _unsign(self._form_cookie, request.cookies.get(FORM_COOKIE))
        cookie = None
        if nonce is None:
            nonce = new_token()
            cookie = self._form_cookie.sign(nonce).decode()
        return self._form.sign(nonce).decode(), cookie

    def keep_form_cookie(self, response: Response, cookie: str | None) -> None:
        """Set the sign-in form's cookie that ``form_token`` made (if it made one)."""
        if cookie is not None:
            response.set_cookie(
                FORM_COOKIE,
                cookie,
                max_age=int(FORM_LIFETIME.total_seconds()),
                path="/dashboard/login",
                secure=self.secure,
                httponly=True,
                samesite="lax",
            )

    async def form_token_ok(self, request: Request) -> bool:
        """A sign-in POST carries a fresh form token whose nonce matches its cookie's."""
        cookie = _unsign(self._form_cookie, request.cookies.get(FORM_COOKIE))
        try:
            sent = self._form.unsign(await _sent_token(request), max_age=int(FORM_LIFETIME.total_seconds()))
        except BadSignature:
            return False
        return cookie is not None and same_token(sent.decode("utf-8", "replace"), cookie)


def _unsign(signer: Signer, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return signer.unsign(value).decode("utf-8", "replace")
    except BadSignature:
        return None


async def _sent_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""
