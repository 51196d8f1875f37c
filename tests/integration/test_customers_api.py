"""``PUT /api/customers/{id}`` and ``POST /api/usage`` on the HTTP app, over the fake and a SQLite store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from bots.http.app import create_app
from bots.http.customers_api import MAX_BODY, customer_routes
from config.journeys_config import load_journeys
from core.clock import ManualClock
from core.customers.journeys_import import ImportJourneys
from core.customers.records import Account, Usage
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOKEN = "s3cret-token-of-enough-length"
TIERS = ("community", "professional", "enterprise")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ACME: dict[str, Any] = {
    "name": "Acme Corp",
    "tier": "enterprise",
    "csm": "slack:U0CSM",
    "contract_start": "2025-01-01",
    "renewal_date": "2026-12-31",
    "seats": 50,
    "external_id": "crm-1",
    "people": [
        {"name": "Ada", "identities": ["slack:U0ADA", "discord:81234"]},
        {"name": "Bob", "identities": ["github:bob"]},
    ],
}


@pytest_asyncio.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stores]:
    """An empty store of each kind."""
    if request.param == "memory":
        yield memory_stores()
        return
    engine = create_engine_for(sqlite_url(tmp_path / "helpline.db"))
    try:
        await upgrade_schema(engine)
        yield sql_stores(engine)
    finally:
        await engine.dispose()


async def _call(
    store: Stores, method: str, path: str, *, token: str | None = TOKEN, headers: dict[str, str] | None = None,
    json: object = None, content: bytes | None = None,
) -> httpx.Response:  # fmt: skip
    routes = customer_routes(store.customers, TIERS, ManualClock(NOW), token)
    app = create_app(None, ManualClock(NOW), (), interval=60.0, routes=routes)
    sent = {**AUTH, **(headers or {})}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://helpline") as http:
        if content is not None:
            sent.setdefault("Content-Type", "application/json")
            return await http.request(method, path, content=content, headers=sent)
        return await http.request(method, path, json=json, headers=sent)


async def test_put_creates_then_updates_an_account_with_its_people(store: Stores) -> None:
    created = await _call(store, "PUT", "/api/customers/acme", json=ACME)
    assert created.status_code == 201, created.text
    assert created.json()["created"] is True
    assert [p["identities"] for p in created.json()["people"]] == [["discord:81234", "slack:U0ADA"], ["github:bob"]]
    assert await store.customers.get("acme") == Account(
        "acme", "Acme Corp", "enterprise", "slack:U0CSM", NOW.date().replace(2025, 1, 1),
        NOW.date().replace(2026, 12, 31), 50, "crm-1",
    )  # fmt: skip
    renewed = {"name": "Acme Inc", "tier": "professional", "people": [{"name": "Ada L", "identities": ["slack:U0ADA"]}]}
    updated = await _call(store, "PUT", "/api/customers/acme", json=renewed)
    assert (updated.status_code, updated.json()["created"]) == (200, False)
    account = await store.customers.get("acme")
    assert account is not None and (account.name, account.tier, account.seats) == ("Acme Inc", "professional", None)
    assert [p.name for p in await store.customers.people("acme")] == ["Ada L", "Bob"]  # people are never dropped


@pytest.mark.parametrize(
    ("path", "body", "field", "problem"),
    [
        ("/api/customers/acme", [1, 2], "(body)", "must be a JSON object"),
        ("/api/customers/acme", {**ACME, "colour": "red"}, "colour", "unknown key colour"),
        ("/api/customers/acme", {**ACME, "tier": "gold"}, "tier", "tier 'gold' is not a tier"),
        ("/api/customers/acme", {**ACME, "seats": "50"}, "seats", "seats must be a whole number"),
        ("/api/customers/acme", {**ACME, "seats": True}, "seats", "seats must be a whole number"),
        ("/api/customers/acme", {**ACME, "renewal_date": "31/12/2026"}, "renewal_date", "is not a date"),
        ("/api/customers/Acme%20Corp", ACME, "id", "is not an account id"),
        ("/api/customers/acme", {**ACME, "name": ""}, "name", "name is empty"),
        (
            "/api/customers/acme",
            {**ACME, "people": [{"name": "Ada", "identities": ["slack:U1", "fax:9"]}]},
            "people[0].identities",
            "'fax:9' is not an identity",
        ),
        ("/api/customers/acme", {**ACME, "people": [{"name": "Ada"}]}, "people[0].identities", "must be a list"),
        ("/api/customers/acme", {**ACME, "people": [{"name": "A", "identities": ["x:1"], "age": 3}]}, "age", "unknown"),
    ],
)
async def test_a_bad_account_body_is_refused_with_its_field_and_nothing_is_kept(
    store: Stores, path: str, body: object, field: str, problem: str
) -> None:
    response = await _call(store, "PUT", path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field and problem in response.json()["error"]
    assert await store.customers.accounts() == []


async def test_not_json_too_big_or_the_wrong_type_is_refused(store: Stores) -> None:
    broken = await _call(store, "PUT", "/api/customers/acme", content=b"{name: acme")
    assert broken.status_code == 400 and "not JSON" in broken.json()["error"]
    huge = await _call(store, "PUT", "/api/customers/acme", content=b" " * (MAX_BODY + 1))
    assert huge.status_code == 413
    plain = {"Content-Type": "text/plain"}
    form = await _call(store, "PUT", "/api/customers/acme", content=b"name=acme", headers=plain)
    assert form.status_code == 415
    assert await store.customers.accounts() == []


async def test_an_identity_of_another_account_is_a_conflict(store: Stores) -> None:
    await _call(store, "PUT", "/api/customers/acme", json=ACME)
    other = {"name": "Globex", "tier": "community", "people": [{"name": "Ada?", "identities": ["github:bob"]}]}
    response = await _call(store, "PUT", "/api/customers/globex", json=other)
    assert response.status_code == 409 and "github:bob belongs to someone in account 'acme'" in response.json()["error"]
    assert await store.customers.get("globex") is None


async def test_a_wrong_or_missing_token_is_refused_and_without_one_the_api_is_off(store: Stores) -> None:
    wrong = await _call(store, "PUT", "/api/customers/acme", json=ACME, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    bare = await _call(store, "POST", "/api/usage", json={"account": "acme", "seats": 1}, headers={"Authorization": ""})
    assert bare.status_code == 401
    off = await _call(store, "PUT", "/api/customers/acme", json=ACME, token=None)
    assert off.status_code == 503 and "HELPLINE_API_TOKEN" in off.json()["error"]
    assert (await _call(store, "POST", "/api/usage", json={}, token=None)).status_code == 503
    assert await store.customers.accounts() == []


async def test_usage_is_stored_per_account_and_checked(store: Stores) -> None:
    await _call(store, "PUT", "/api/customers/acme", json=ACME)
    figures = {"account": "acme", "at": "2026-03-01T12:00:00+01:00", "active_users": 31, "feature_adoption": 0.4}
    stored = await _call(store, "POST", "/api/usage", json=figures)
    assert stored.status_code == 201, stored.text
    plain = await _call(store, "POST", "/api/usage", json={"account": "acme", "seats": 44, "plan_usage": 1})
    assert plain.status_code == 201
    assert await store.customers.usage("acme") == [
        Usage("acme", NOW, seats=44, plan_usage=1.0),
        Usage("acme", datetime(2026, 3, 1, 11, 0, tzinfo=UTC), active_users=31, feature_adoption=0.4),
    ]
    for body, field in (
        ({"account": "nobody", "seats": 1}, "account"),
        ({"account": "acme", "feature_adoption": 1.5}, "feature_adoption"),
        ({"account": "acme", "active_users": -1}, "active_users"),
        ({"account": "acme", "at": "2026-03-01T12:00:00", "seats": 1}, "at"),
        ({"account": "acme"}, "(body)"),
        ({"account": "acme", "seats": 1, "mrr": 9}, "mrr"),
    ):
        refused = await _call(store, "POST", "/api/usage", json=body)
        assert refused.status_code in (404, 422) and refused.json()["field"] == field, (body, refused.text)
    assert len(await store.customers.usage("acme")) == 2


async def test_put_starts_the_journey_of_each_person_with_a_new_dm_identity_once(store: Stores) -> None:
    imports = ImportJourneys(store.journeys, load_journeys(tiers=TIERS))
    routes = customer_routes(store.customers, TIERS, ManualClock(NOW), TOKEN, imports=imports)
    app = create_app(None, ManualClock(NOW), (), interval=60.0, routes=routes)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://helpline") as http:
        assert (await http.put("/api/customers/acme", json=ACME, headers=AUTH)).status_code == 201
        [ada] = await store.journeys.active()  # Bob has only GitHub, which has no direct messages
        assert (ada.person, ada.tier, ada.name, ada.source) == ("discord:81234", "enterprise", "Ada", "import")
        again = {**ACME, "people": [{"name": "Ada", "identities": ["slack:U0ADA", "discord:81234", "slack:U0ADA2"]}]}
        assert (await http.put("/api/customers/acme", json=again, headers=AUTH)).status_code == 200
    assert [p.person for p in await store.journeys.active()] == ["discord:81234"]  # one journey per person
