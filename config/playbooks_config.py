"""Loading ``config/playbooks.yaml``, proactive outreach's thresholds and playbooks, into the core's
``OutreachPolicy``; a mistake is named with the file and its key (docs/customers.md, "Proactive outreach")."""

from __future__ import annotations

import string
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from config.durations import checked_duration
from config.settings import DEFAULT_PLAYBOOKS_FILE as DEFAULT_PLAYBOOKS_FILE  # re-exported: one source of truth
from config.yaml_loader import load_yaml_mapping, validation_problem
from core.customers.outreach import (
    TEMPLATE_FIELDS,
    ActionKind,
    Audience,
    OutreachPolicy,
    Playbook,
    PlaybookAction,
    Trigger,
)
from core.customers.outreach_steps import DIRECT_PLATFORMS
from core.customers.records import CustomerError, account_id, identity
from core.errors import ConfigError
from core.messages import Address
from core.sla.deadlines import parse_duration

_SHARES = (Trigger.USAGE_LIMIT, Trigger.LOW_ADOPTION)  # thresholds that are shares, 0 to 1
# The settings each trigger takes besides its actions; any other is refused rather than silently ignored.
_TAKES = {
    Trigger.HEALTH: {"threshold"},
    Trigger.USAGE_LIMIT: {"threshold"},
    Trigger.LOW_ADOPTION: {"threshold", "after"},
    Trigger.RENEWAL: {"days"},
    Trigger.ESCALATION: {"tiers"},
    Trigger.MILESTONE: {"milestones"},
}
_NEEDS = {Trigger.RENEWAL: "days", Trigger.ESCALATION: "tiers", Trigger.MILESTONE: "milestones"}


def _problem(message: str) -> PydanticCustomError:
    # A custom error keeps pydantic's "Value error, " prefix out of the message the operator reads.
    return PydanticCustomError("playbook", message)


def _template(text: str) -> str:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise _problem(f"the template cannot be read: {exc} (write {{{{ and }}}} for a literal brace)") from None
    for name in names:
        if name not in TEMPLATE_FIELDS:
            raise _problem(
                f"unknown template field {{{name}}}; use {', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}"
            )
    return text


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: int = Field(2, ge=0, le=100)  # customer messages per account per window
    window: str = "7d"
    every: str = "1h"  # how often the worker checks the triggers
    staff_channel: str | None = None
    leadership_channel: str | None = None

    @field_validator("window", "every")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    @field_validator("staff_channel", "leadership_channel")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Address.parse(value)
            except ValueError as exc:
                raise _problem(str(exc)) from None
        return value


class _AccountModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: str | None = None  # the account's shared channel: customer messages go there
    contact: str | None = None  # else a direct message to this identity

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return _Settings._address(value)

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        try:
            found = None if value is None else identity(value)
        except CustomerError as exc:
            raise _problem(str(exc)) from None
        if found is not None and found.partition(":")[0] not in DIRECT_PLATFORMS:
            platforms = ", ".join(DIRECT_PLATFORMS)
            raise _problem(f"direct messages go out on {platforms} only; give the account a shared channel instead")
        return found


class _ActionModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    notice: Audience | None = None  # csm, leadership or staff
    text: str = ""  # a notice's words after its reason
    message: str | None = None  # a message to the customer, from this template
    task: str | None = None  # a task on the account

    @field_validator("text", "message", "task")
    @classmethod
    def _templates(cls, value: str | None) -> str | None:
        return None if value is None else _template(value)

    @model_validator(mode="after")
    def _one(self) -> _ActionModel:
        given = [k for k in ("notice", "message", "task") if getattr(self, k) is not None]
        if len(given) != 1:
            raise _problem("an action is one of {notice: csm|leadership|staff}, {message: TEXT} or {task: TEXT}")
        if self.notice is Audience.CUSTOMER:
            raise _problem("a notice is for staff (csm, leadership or staff); write {message: TEXT} to the customer")
        if self.text and self.notice is None:
            raise _problem("text belongs to a notice; a message or task is its own text")
        return self

    def action(self) -> PlaybookAction:
        if self.notice is not None:
            return PlaybookAction(ActionKind.NOTICE, self.notice, self.text)
        if self.message is not None:
            return PlaybookAction(ActionKind.MESSAGE, Audience.CUSTOMER, self.message)
        return PlaybookAction(ActionKind.TASK, Audience.CSM, self.task or "")


class _PlaybookModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: Trigger
    actions: list[_ActionModel] = Field(min_length=1)
    threshold: float | None = None
    after: str | None = None
    days: list[int] = Field(default_factory=list)
    tiers: list[str] = Field(default_factory=list)
    milestones: list[int] = Field(default_factory=list)

    @field_validator("after")
    @classmethod
    def _after(cls, value: str | None) -> str | None:
        return None if value is None else checked_duration(value)

    @field_validator("days", "milestones")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(n < 1 for n in value) or len(set(value)) != len(value):
            raise _problem("give whole numbers from 1 up, each once")
        return value

    @model_validator(mode="after")
    def _fits(self) -> _PlaybookModel:
        extra = sorted(k for k in self.model_fields_set - {"trigger", "actions"} if k not in _TAKES[self.trigger])
        if extra:
            raise _problem(f"{extra[0]} is not a setting of a {self.trigger.value} playbook")
        needed = _NEEDS.get(self.trigger)
        if needed is not None and not getattr(self, needed):
            raise _problem(f"a {self.trigger.value} playbook needs {needed}")
        if "threshold" in _TAKES[self.trigger]:
            top = 1.0 if self.trigger in _SHARES else 100.0
            if self.threshold is None or not 0 < self.threshold <= top:
                what = "a share from 0 to 1, like 0.85" if top == 1.0 else "a score from 1 to 100"
                raise _problem(f"a {self.trigger.value} playbook needs a threshold, {what}")
        return self


class _PlaybooksFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    settings: _Settings = _Settings()
    accounts: dict[str, _AccountModel] = Field(default_factory=dict)
    playbooks: dict[str, _PlaybookModel] = Field(default_factory=dict)

    @field_validator("accounts")
    @classmethod
    def _account_ids(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            try:
                account_id(name)
            except CustomerError as exc:
                raise _problem(str(exc)) from None
        return value


def load_playbooks(path: Path = DEFAULT_PLAYBOOKS_FILE, tiers: Collection[str] | None = None) -> OutreachPolicy:
    """Read and check a playbooks file (escalation tiers against ``tiers`` when given); mistakes name the key."""
    data = load_yaml_mapping(path)
    try:
        parsed = _PlaybooksFile.model_validate(data)
    except ValidationError as exc:
        key, problem = validation_problem(exc, _PlaybooksFile)
        raise ConfigError(str(path), key, problem) from None
    playbooks = []
    for name, item in parsed.playbooks.items():
        if len(name) > 64 or not name.strip():
            raise ConfigError(str(path), f"playbooks.{name}", "a playbook's name is 1 to 64 characters")
        for n, tier in enumerate(item.tiers):
            if tiers is not None and tier not in tiers:
                known = ", ".join(sorted(tiers))
                raise ConfigError(str(path), f"playbooks.{name}.tiers[{n}]", f"unknown tier {tier!r}; use {known}")
        playbooks.append(
            Playbook(
                name=name,
                trigger=item.trigger,
                actions=tuple(action.action() for action in item.actions),
                threshold=item.threshold,
                days=tuple(sorted(item.days, reverse=True)),
                after=parse_duration(item.after or "30d"),
                tiers=tuple(item.tiers),
                milestones=tuple(sorted(item.milestones)),
            )
        )
    s = parsed.settings
    return OutreachPolicy(
        playbooks=tuple(playbooks),
        messages=s.messages,
        window=parse_duration(s.window),
        staff_channel=s.staff_channel,
        leadership_channel=s.leadership_channel,
        channels={a: m.channel for a, m in parsed.accounts.items() if m.channel is not None},
        contacts={a: m.contact for a, m in parsed.accounts.items() if m.contact is not None},
        every=parse_duration(s.every),
    )
