"""The customer API a CRM or billing system keeps Helpline current with: ``PUT /api/customers/{id}`` and
``POST /api/usage``.

Off unless ``HELPLINE_API_TOKEN`` is set: then every request must send ``Authorization: Bearer <token>``
(compared in constant time); without it both routes answer 503 saying how to turn them on. Bodies are JSON,
at most ``MAX_BODY`` bytes, checked strictly (``customer_body``); a refused body changes nothing.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bots.http.body import read_capped
from bots.http.customer_body import BodyError, account_entry, usage_of
from core.customers.journeys_import import ImportJourneys, known_identities
from core.customers.records import AccountNotFoundError, IdentityTakenError

if TYPE_CHECKING:
    from starlette.requests import Request

    from core.customers.ports import CustomerAccounts
    from core.ports import Clock

log = logging.getLogger("helpline.http.customers")

TOKEN_ENV = "HELPLINE_API_TOKEN"  # noqa: S105 - the variable's name, not a secret
MAX_BODY = 256 * 1024
OFF = f"the customer API is off: set {TOKEN_ENV} to a long random secret to turn it on"
Handler = Callable[["Request"], Awaitable[Response]]


def _error(status: int, message: str, field: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status)


def _guarded(token: str | None, handler: Handler) -> Handler:
    """``handler`` behind the bearer token; without a token configured, the 503 that says the API is off."""

    async def guarded(request: Request) -> Response:
        if not token:
            return _error(503, OFF)
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            client = request.client.host if request.client else "unknown client"
            log.warning("%s %s refused to %s: missing or wrong bearer token", request.method, request.url.path, client)
            response = _error(401, "a valid Authorization: Bearer token is required")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return await handler(request)

    return guarded


async def _json(request: Request) -> object:
    """The request's JSON body; ``BodyError`` (as a 4xx the caller answers) when it is too big or not JSON."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise _Refused(415, "send the body as application/json")
    body = await read_capped(request, MAX_BODY)
    if body is None:
        raise _Refused(413, f"the body is larger than {MAX_BODY} bytes")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Refused(400, f"the body is not JSON: {exc}") from None


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def customer_routes(
    accounts: CustomerAccounts,
    tiers: Collection[str],
    clock: Clock,
    token: str | None,
    after_usage: Callable[[str], Awaitable[object]] | None = None,
    imports: ImportJourneys | None = None,
) -> list[Route]:
    """The API's routes over the customer store, guarded by ``token`` (off without one).

    ``after_usage`` is told of each account whose usage was stored (proactive outreach scores it again and
    checks its triggers); its failure is logged, and the report stays stored. With ``imports``, each new
    direct-message identity of a saved account's people starts that person's onboarding journey.
    """

    async def put_customer(request: Request) -> Response:
        try:
            entry = account_entry(request.path_params["account"], await _json(request), tiers)
            known = await accounts.get(entry.account.id) is not None
            identities = await known_identities(accounts) if imports is not None else set()
            await accounts.save([entry], clock.now())
        except _Refused as exc:
            return _error(exc.status, str(exc))
        except BodyError as exc:
            return _error(422, str(exc), exc.field)
        except IdentityTakenError as exc:
            return _error(409, str(exc), "people")
        if imports is not None:
            try:
                await imports.after_import(accounts, [entry.account.id], identities, clock.now())
            except Exception:  # the account is saved; a journey that could not start is no reason to refuse it
                log.exception("starting the journeys of account %s failed", entry.account.id)
        people = await accounts.people(entry.account.id)
        log.info("account %s %s through the API", entry.account.id, "updated" if known else "created")
        body = {
            "account": entry.account.id,
            "created": not known,
            "people": [{"id": p.id, "name": p.name, "identities": list(p.identities)} for p in people],
        }
        return JSONResponse(body, status_code=200 if known else 201)

    async def post_usage(request: Request) -> Response:
        try:
            usage = usage_of(await _json(request), clock.now())
            await accounts.record_usage(usage)
        except _Refused as exc:
            return _error(exc.status, str(exc))
        except BodyError as exc:
            return _error(422, str(exc), exc.field)
        except AccountNotFoundError as exc:
            return _error(404, str(exc), "account")
        if after_usage is not None:
            try:
                await after_usage(usage.account)
            except Exception:  # the figures are kept; the worker's next check sees them
                log.exception("checking outreach after usage of account %s failed", usage.account)
        return JSONResponse({"stored": {"account": usage.account, "at": usage.at.isoformat()}}, status_code=201)

    return [
        Route("/api/customers/{account}", _guarded(token, put_customer), methods=["PUT"]),
        Route("/api/usage", _guarded(token, post_usage), methods=["POST"]),
    ]
