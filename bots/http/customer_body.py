"""The customer API's JSON bodies, checked strictly: known keys only, the right types, the account rules.

A mistake raises ``BodyError`` with the key it is about, so the API answers 422 saying where and what.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from core.customers.checks import account_of, identities_of
from core.customers.records import AccountEntry, CustomerError, PersonDraft, Usage

ACCOUNT_KEYS = frozenset({"name", "tier", "csm", "contract_start", "renewal_date", "seats", "external_id", "people"})
PERSON_KEYS = frozenset({"name", "identities"})
USAGE_KEYS = frozenset({"account", "at", "active_users", "seats", "feature_adoption", "plan_usage"})
MAX_PEOPLE = 1000
MAX_IDENTITIES = 20
MAX_COUNT = 10_000_000


class BodyError(ValueError):
    """A body that cannot be used: ``field`` names where (``people[2].identities[0]``), the message what."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


def account_entry(account: str, body: object, tiers: Collection[str]) -> AccountEntry:
    """The account ``PUT /api/customers/{account}`` describes, with its people."""
    fields = _object("(body)", body, ACCOUNT_KEYS)
    texts: dict[str, str | None] = {}
    for key in ACCOUNT_KEYS - {"people", "seats"}:
        texts[key] = _text(key, fields.get(key))
    seats = fields.get("seats")
    if seats is not None and (not isinstance(seats, int) or isinstance(seats, bool)):
        raise BodyError("seats", "seats must be a whole number or null")
    texts["seats"] = None if seats is None else str(seats)
    try:
        checked = account_of(texts, tiers, account)
    except CustomerError as exc:
        raise BodyError(_field_of(str(exc)), str(exc)) from None
    people = fields.get("people", [])
    if not isinstance(people, list):
        raise BodyError("people", "people must be a list of {name, identities}")
    if len(people) > MAX_PEOPLE:
        raise BodyError("people", f"people lists more than {MAX_PEOPLE} people; send them in several requests")
    return AccountEntry(checked, tuple(_person(f"people[{n}]", person) for n, person in enumerate(people)))


def usage_of(body: object, now: datetime) -> Usage:
    """The figures ``POST /api/usage`` reports (``at`` defaults to ``now``)."""
    fields = _object("(body)", body, USAGE_KEYS)
    account = fields.get("account")
    if not isinstance(account, str) or not account.strip():
        raise BodyError("account", "account must be the account's id")
    at = _time(fields.get("at"), now)
    counts = {key: _count(key, fields.get(key)) for key in ("active_users", "seats")}
    shares = {key: _share(key, fields.get(key)) for key in ("feature_adoption", "plan_usage")}
    if all(value is None for value in (*counts.values(), *shares.values())):
        raise BodyError(
            "(body)", "no figures given; send at least one of active_users, seats, feature_adoption, plan_usage"
        )
    return Usage(
        account.strip(), at, counts["active_users"], counts["seats"], shares["feature_adoption"], shares["plan_usage"]
    )


def _object(field: str, value: object, keys: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BodyError(field, f"{field} must be a JSON object")
    unknown = sorted(str(key) for key in value if key not in keys)
    if unknown:
        raise BodyError(
            unknown[0],
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; known: {', '.join(sorted(keys))}",
        )
    return value


def _text(key: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BodyError(key, f"{key} must be text or null")


def _person(field: str, value: object) -> PersonDraft:
    fields = _object(field, value, PERSON_KEYS)
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BodyError(f"{field}.name", f"{field}.name must be the person's name")
    identities = fields.get("identities")
    if not isinstance(identities, list) or not identities or not all(isinstance(i, str) for i in identities):
        raise BodyError(f"{field}.identities", f"{field}.identities must be a list of platform:id texts")
    if len(identities) > MAX_IDENTITIES:
        raise BodyError(f"{field}.identities", f"{field}.identities lists more than {MAX_IDENTITIES}")
    try:
        return PersonDraft(name.strip(), identities_of(identities, f"{field}.identities"))
    except CustomerError as exc:
        raise BodyError(f"{field}.identities", str(exc)) from None


def _count(key: str, value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise BodyError(key, f"{key} must be a whole number from 0 to {MAX_COUNT:,}")
    return value


def _share(key: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not 0 <= value <= 1:
        raise BodyError(key, f"{key} must be a fraction from 0 to 1 (0.42 for 42 %)")
    return float(value)


def _time(value: object, now: datetime) -> datetime:
    if value is None:
        return now
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise BodyError("at", "at must be an ISO-8601 time with its offset, e.g. 2026-03-02T09:00:00Z")
    return parsed.astimezone(UTC)


def _field_of(problem: str) -> str:
    """The key an account check's message starts with (``tier 'gold' is not a tier`` is about ``tier``)."""
    first = problem.split(" ", 1)[0].rstrip(":")
    return first if first in ACCOUNT_KEYS else "id"
