"""Loading ``tiers.yaml`` into the core's ``TierDirectory``."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from config.addresses import PLATFORMS
from config.settings import DEFAULT_TIERS_FILE as DEFAULT_TIERS_FILE  # re-exported: one source of truth
from config.sla_config import (
    ALWAYS_OPEN,
    CalendarModel,
    LevelModel,
    OnCallModel,
    Share,
    SlaDefaults,
    build_calendars,
    build_on_call,
    build_tier_sla,
    calendar_problems,
    post_address,
)
from config.yaml_loader import load_yaml_mapping, validation_problem
from core.errors import ConfigError
from core.sla.deadlines import Calendar, Targets, parse_duration
from core.sla.plan import ON_CALL
from core.tickets.records import Priority
from core.tiers import COMMUNITY, Customer, Tier, TierDirectory, TierRule

_TIER_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_PLATFORM = re.compile(r"^[a-z][a-z0-9_-]*$")
_IDENTITY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(\S+)$")
_DEFAULT_CONTACT = "the support team"
# Keys that are required even though null is a valid value: say why "Field required".
_MISSING_HINTS = {
    **{priority.value: "state critical, high, medium and low (null = not covered)" for priority in Priority},
    "escalation": "give {target: ADDRESS, contact: WHO}, or null for never escalated",
}


def _problem(error_type: str, message: str) -> PydanticCustomError:
    # A custom error keeps pydantic's "Value error, " prefix out of the message the operator reads.
    return PydanticCustomError(error_type, message)


def _duration(value: object) -> timedelta | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _problem("duration", f"{value!r} is a bare number, which is ambiguous; give a unit, like 24h or 3d")
    if not isinstance(value, str):
        raise _problem("duration", "expected a duration like 30m, 3h, 2d or 1w, or null for not covered")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise _problem("duration", str(exc)) from None


def _platform_id(value: object) -> object:
    # Discord and Slack ids are often written unquoted, which YAML reads as integers.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _identity(value: object) -> str:
    text = _platform_id(value)
    match = _IDENTITY.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise _problem("identity", f"{text!r} is not an identity: expected platform:user-id, e.g. slack:U0123ABC")
    return f"{_known_platform(match.group(1))}:{match.group(2)}"


def _known_platform(value: object) -> object:
    # A rule or identity on a misspelt platform would silently never match anyone.
    name = value.lower() if isinstance(value, str) else value
    if isinstance(name, str) and _PLATFORM.match(name) and name not in PLATFORMS:
        raise _problem("platform", f"unknown platform {name!r}; platforms are {', '.join(PLATFORMS)}")
    return name


def _empty_list(value: object) -> object:
    # "rules:" with only commented-out entries under it is YAML null; it means no rules.
    return [] if value is None else value


_Duration = Annotated[timedelta | None, BeforeValidator(_duration)]
_Id = Annotated[str, BeforeValidator(_platform_id), Field(min_length=1)]
_Address = Annotated[str, BeforeValidator(post_address)]
_Identity = Annotated[str, BeforeValidator(_identity)]
_Platform = Annotated[str, BeforeValidator(_known_platform), Field(pattern=_PLATFORM.pattern)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _PerPriority(_Strict):
    # No defaults: every tier must say something about every priority, if only null.
    critical: _Duration
    high: _Duration
    medium: _Duration
    low: _Duration

    def by_priority(self) -> dict[Priority, timedelta | None]:
        """The targets keyed by ``Priority``."""
        return {priority: getattr(self, priority.value) for priority in Priority}


class _Escalation(_Strict):
    target: _Address
    contact: str = Field(_DEFAULT_CONTACT, min_length=1)
    chain: list[LevelModel] = []


class _TierModel(_Strict):
    label: str = ""
    hours: str = Field(min_length=1)
    first_response: _PerPriority
    resolution: _PerPriority
    escalation: _Escalation | None
    channels: list[_Address] = Field(min_length=1)
    priority_boost: int = Field(0, ge=0, le=3, strict=True)
    calendar: str = ALWAYS_OPEN
    next_response: _PerPriority | None = None
    warning_share: Share | None = None
    team_channel: _Address | None = None


class _RuleModel(_Strict):
    tier: str
    platform: _Platform | None = None
    workspace: _Id | None = None
    channel: _Id | None = None
    role: _Id | None = None
    customer: _Id | None = None


class _CustomerModel(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)
    name: str = ""
    tier: str
    identities: list[_Identity] = []
    calendar: str | None = None


class _TiersFile(_Strict):
    version: int = Field(1, ge=1, le=1)
    default_tier: str = COMMUNITY
    tiers: dict[str, _TierModel] = Field(min_length=1)
    rules: Annotated[list[_RuleModel], BeforeValidator(_empty_list)] = []
    customers: Annotated[list[_CustomerModel], BeforeValidator(_empty_list)] = []
    calendars: dict[str, CalendarModel] = {}
    sla: SlaDefaults = SlaDefaults()
    on_call: OnCallModel = OnCallModel()

    @field_validator("tiers", mode="before")
    @classmethod
    def _tiers_is_a_mapping(cls, value: Any) -> Any:
        if value is None:
            raise _problem("tiers", "define at least one tier")
        return value


def _pydantic_problem(exc: ValidationError) -> tuple[str, str]:
    key, problem = validation_problem(exc, _TiersFile)
    first = exc.errors()[0]
    hint = _MISSING_HINTS.get(str(first["loc"][-1])) if first["type"] == "missing" else None
    if hint is not None:
        problem = problem.replace("Field required", f"missing; {hint}", 1)
    return key, problem


def _check_tiers(parsed: _TiersFile) -> list[tuple[str, str]]:
    """Problems with tier names, tier references and rules, as ``(key, problem)`` pairs."""
    problems = [
        (f"tiers.{name}", f"{name!r} is not a tier name: use lowercase letters, digits and dashes, like white-glove")
        for name in parsed.tiers
        if not _TIER_NAME.match(name)
    ]
    known = ", ".join(parsed.tiers)
    if parsed.default_tier not in parsed.tiers:
        problems.append(("default_tier", f"unknown tier {parsed.default_tier!r}; tiers are {known}"))
    references = [(f"rules[{i}].tier", r.tier) for i, r in enumerate(parsed.rules)]
    references += [(f"customers[{i}].tier", c.tier) for i, c in enumerate(parsed.customers)]
    problems += [
        (key, f"unknown tier {tier!r}; tiers are {known}") for key, tier in references if tier not in parsed.tiers
    ]
    problems += [
        (f"rules[{i}]", "a rule needs at least one of platform, workspace, channel or role, or it matches everyone")
        for i, r in enumerate(parsed.rules)
        if r.platform is None and r.workspace is None and r.channel is None and r.role is None
    ]
    return problems


def _check_customers(parsed: _TiersFile) -> list[tuple[str, str]]:
    """Customer ids and identities must each be unique across the whole file."""
    problems: list[tuple[str, str]] = []
    ids: dict[str, int] = {}
    owners: dict[str, str] = {}
    for i, customer in enumerate(parsed.customers):
        if customer.id in ids:
            problems.append(
                (f"customers[{i}].id", f"duplicate customer id {customer.id!r} (also customers[{ids[customer.id]}])")
            )
        ids.setdefault(customer.id, i)
        for j, identity in enumerate(customer.identities):
            if identity in owners:
                problem = f"{identity!r} already belongs to customer {owners[identity]!r}"
                problems.append((f"customers[{i}].identities[{j}]", problem))
            owners.setdefault(identity, customer.id)
    return problems


def _check_sla(parsed: _TiersFile) -> list[tuple[str, str]]:
    """Calendars that cannot be built or are not defined, and on-call mentions with no rotation."""
    problems = calendar_problems(parsed.calendars)
    known = [ALWAYS_OPEN, *parsed.calendars]
    references = [(f"tiers.{name}.calendar", t.calendar) for name, t in parsed.tiers.items()]
    references += [(f"customers[{i}].calendar", c.calendar) for i, c in enumerate(parsed.customers) if c.calendar]
    problems += [
        (key, f"unknown calendar {value!r}; calendars are {', '.join(known)}")
        for key, value in references
        if value not in known
    ]
    problems += build_on_call(parsed.on_call)[1]
    for name, tier in parsed.tiers.items():
        for i, level in enumerate(tier.escalation.chain if tier.escalation else []):
            if ON_CALL in level.mention and not parsed.on_call.shifts:
                problems.append((f"tiers.{name}.escalation.chain[{i}].mention", "on-call needs on_call.shifts"))
    return problems


def _tier(name: str, model: _TierModel, calendars: dict[str, Calendar], defaults: SlaDefaults) -> Tier:
    escalation = model.escalation
    target = escalation.target if escalation else None
    contact = escalation.contact if escalation else _DEFAULT_CONTACT
    sla = build_tier_sla(
        calendars[model.calendar],
        defaults,
        model.warning_share,
        target,
        escalation.chain if escalation else [],
        contact,
    )
    if model.team_channel is not None:
        sla = replace(sla, team_channel=model.team_channel)
    next_response = model.next_response.by_priority() if model.next_response else {}
    return Tier(
        name=name,
        label=model.label or name,
        targets=Targets(model.first_response.by_priority(), model.resolution.by_priority(), next_response),
        hours=model.hours,
        escalation_target=escalation.target if escalation else None,
        escalation_contact=escalation.contact if escalation else _DEFAULT_CONTACT,
        channels=tuple(dict.fromkeys(model.channels)),
        priority_boost=model.priority_boost,
        sla=sla,
    )


def _directory(parsed: _TiersFile) -> TierDirectory:
    rules = [TierRule(r.tier, r.platform, r.workspace, r.channel, r.role, r.customer) for r in parsed.rules]
    customers = [Customer(c.id, c.name or c.id, c.tier, tuple(c.identities)) for c in parsed.customers]
    calendars = build_calendars(parsed.calendars)
    tiers = [_tier(name, model, calendars, parsed.sla) for name, model in parsed.tiers.items()]
    by_customer = {c.id: calendars[c.calendar] for c in parsed.customers if c.calendar}
    on_call = build_on_call(parsed.on_call)[0]
    return TierDirectory(tiers, rules, customers, parsed.default_tier, calendars=by_customer, on_call=on_call)


def load_tiers(path: Path) -> TierDirectory:
    """Read and validate a tiers file; problems name the file and the dotted key."""
    data = load_yaml_mapping(path)
    try:
        parsed = _TiersFile.model_validate(data)
    except ValidationError as exc:
        key, problem = _pydantic_problem(exc)
        raise ConfigError(str(path), key, problem) from None
    problems = _check_tiers(parsed) + _check_customers(parsed) + _check_sla(parsed)
    if problems:
        key, problem = problems[0]
        raise ConfigError(str(path), key, problem)
    try:
        return _directory(parsed)
    except ValueError as exc:  # the checks above should leave nothing for the core to refuse
        raise ConfigError(str(path), None, str(exc)) from None
