"""Typed settings: shipped defaults, then ``helpline.yaml``, then ``HELPLINE_*`` variables.

Every problem is reported with the file and the dotted key that caused it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from config.analytics_config import AnalyticsSettings
from config.calls_config import CallsSettings, check_call_tiers
from config.community_config import CommunitySettings
from config.digest_config import DigestSettings
from config.durations import checked_duration
from config.gaps_config import GapsSettings
from config.incidents_config import IncidentSettings
from config.jobs_config import JobSettings
from config.journeys_config import DEFAULT_JOURNEYS_FILE
from config.platform_config import DiscordSettings as DiscordSettings
from config.platform_config import GitHubLabels as GitHubLabels
from config.platform_config import GitHubSettings as GitHubSettings
from config.platform_config import SlackSettings as SlackSettings
from config.privacy_config import PrivacySettings, check_originals_key, check_retention_tiers
from config.requests_config import RequestSettings, check_weight_tiers
from config.reviews_config import ReviewSettings
from config.routing_config import RoutingSettings, check_routing
from config.satisfaction_config import SatisfactionSettings, check_tier_names
from config.server_config import ServerSettings
from config.yaml_loader import load_yaml_mapping, validation_problem
from core.errors import ConfigError
from core.privacy.sealing import KEY_VARIABLE
from core.sla.deadlines import parse_duration
from core.store.engine import DatabaseUrlError, async_database_url

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_INTENTS_FILE = CONFIG_DIR / "intents.yaml"
DEFAULT_TIERS_FILE = CONFIG_DIR / "tiers.yaml"
DEFAULT_PLAYBOOKS_FILE = CONFIG_DIR / "playbooks.yaml"
MIN_RETRAIN_EVERY = timedelta(hours=1)  # a retrain embeds every example: not on every worker pass
ENV_PREFIX = "HELPLINE_"
# Secrets read from the environment by the parts that use them, never settings: they share the prefix only.
NOT_SETTINGS_PREFIX = "HELPLINE_EMAIL_"  # the e-mail adapter's mailboxes and credentials (bots/email/settings.py)
NOT_SETTINGS = frozenset(
    {"HELPLINE_CONFIG", "HELPLINE_DASHBOARD_SECRET", "HELPLINE_API_TOKEN", "HELPLINE_METRICS_TOKEN", KEY_VARIABLE}
)
# A Slack channel, user or user-group id as Slack shows it: C0123ABC, U0123ABC, S0123ABC.


def default_data_dir() -> Path:
    """Where Helpline keeps its index and caches unless told otherwise."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "helpline"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSettings(_Section):
    """The embedding model."""

    name: str = "bundled"
    # How the model runs: exported to ONNX and quantised to int8 (the default), exported unquantised, or on torch.
    backend: Literal["onnx-int8", "onnx", "torch"] = "onnx-int8"
    # Where ONNX exports are kept (one folder per model hash and backend); by default <data_dir>/models.
    export_dir: Path | None = None
    batch_size: int = Field(64, ge=1, le=4096)
    # One inference thread beats two on a small machine where the bot shares the cores.
    threads: int | None = Field(1, ge=1, le=256)
    device: str = "cpu"
    max_chars: int = Field(2000, ge=16, le=100_000)
    # Languages the model reads well (ISO 639-1); ["*"] for a multilingual model. Messages in others go to a person.
    languages: tuple[str, ...] = Field(("en",), min_length=1)

    @field_validator("languages", mode="before")
    @classmethod
    def _language_list(cls, value: object) -> object:
        # The environment carries the list as "en,de,es".
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if code != "*" and not (len(code) == 2 and code.isascii() and code.isalpha()):
                raise PydanticCustomError("language", f"{code!r} is not a two-letter ISO 639-1 code or '*'")
        return tuple(code.lower() for code in value)


class KnowledgeSettings(_Section):
    """Where the knowledge base comes from and how it is indexed."""

    source: Path | None = None
    index: Literal["auto", "flat", "hnsw", "ivf-sq8", "numpy"] = "auto"
    approximate_above: int = Field(20_000, ge=1, le=1_000_000_000)
    hnsw_m: int = Field(32, ge=4, le=128)
    ef_construction: int = Field(80, ge=8, le=4096)
    ef_search: int = Field(512, ge=8, le=65_536)
    ivf_above: int = Field(250_000, ge=1, le=1_000_000_000)
    ivf_nprobe: int = Field(8, ge=1, le=65_536)
    top_k: int = Field(5, ge=1, le=100)
    # Every process checks this often whether another one built a newer version, and switches to it.
    refresh_interval: float = Field(2.0, ge=0.1, le=3600.0)
    # A replaced version is deleted this many seconds later (processes may still be loading it).
    keep_replaced: float = Field(600.0, ge=0.0, le=86_400.0)
    # Moderators with one of these roles (or listed as platform:user-id) publish articles; others send to review.
    publishers: tuple[str, ...] = ("publisher",)
    publisher_users: tuple[str, ...] = ()

    @field_validator("publishers", "publisher_users", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # Environment variables carry lists as "publisher,lead".
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    # Knowledge gaps: tier weights, the low-confidence margin, the smallest cluster (core/knowledge/gaps.py).
    gaps: GapsSettings = GapsSettings()


class IntentSettings(_Section):
    """Intent examples and when to call a message out of scope."""

    file: Path = DEFAULT_INTENTS_FILE
    min_confidence: float = Field(0.30, ge=0.0, le=1.0)
    min_margin: float = Field(0.03, ge=0.0, le=1.0)
    regularisation: float = Field(10.0, gt=0.0, le=1e6)
    # An out-of-scope reading at least this sure turns down even a strong knowledge-base match.
    clear_out_of_scope: float = Field(0.75, ge=0.0, le=1.0)
    # How often the escalation worker retrains the head when there are new corrections (e.g. 7d); off when unset.
    retrain_every: str | None = None

    @field_validator("retrain_every")
    @classmethod
    def _retrain_every(cls, value: str | None) -> str | None:
        if value is None:
            return None
        checked_duration(value)
        if parse_duration(value) < MIN_RETRAIN_EVERY:
            raise PydanticCustomError("duration", f"{value!r} is too often to retrain; give at least 1h")
        return value

    def retrain_period(self) -> timedelta | None:
        """``retrain_every`` as a timedelta, None when scheduled retraining is off."""
        return None if self.retrain_every is None else parse_duration(self.retrain_every)


class SupportSettings(_Section):
    """Tickets, tiers, moderators and escalation."""

    tiers_file: Path = DEFAULT_TIERS_FILE
    playbooks_file: Path = DEFAULT_PLAYBOOKS_FILE  # proactive outreach (docs/customers.md)
    journeys_file: Path = DEFAULT_JOURNEYS_FILE  # each tier's onboarding journey (config/journeys.yaml)
    # postgresql+asyncpg://… or sqlite+aiosqlite:///…; the default is a SQLite file in the data directory.
    database_url: str | None = Field(None, min_length=1)
    moderator_roles: tuple[str, ...] = ("moderator", "support")
    moderator_users: tuple[str, ...] = ()  # platform:user-id, for platforms without roles
    escalation_interval: float = Field(60.0, ge=1.0, le=3600.0)
    # A passage at least this similar to the question is offered as the answer.
    answer_score: float = Field(0.45, ge=0.0, le=1.0)
    # One member may open at most ticket_limit tickets per ticket_window; 0 means no limit.
    ticket_limit: int = Field(3, ge=0, le=1000)
    ticket_window: str = "10m"
    # How long records of handled Slack/GitHub deliveries are kept to spot a repeat (GitHub redeliveries).
    delivery_retention: str = "7d"

    @field_validator("ticket_window", "delivery_retention")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        try:
            return None if value is None else async_database_url(value)
        except DatabaseUrlError as exc:
            raise PydanticCustomError("database_url", str(exc)) from None

    def ticket_window_duration(self) -> timedelta:
        """``ticket_window`` as a timedelta (already checked when the settings were read)."""
        return parse_duration(self.ticket_window)

    def delivery_retention_duration(self) -> timedelta:
        """``delivery_retention`` as a timedelta (already checked when the settings were read)."""
        return parse_duration(self.delivery_retention)

    @field_validator("moderator_roles", "moderator_users", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        # Environment variables carry lists as "moderator,support".
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


class Settings(_Section):
    """Everything Helpline reads at start-up."""

    data_dir: Path = Field(default_factory=default_data_dir)
    model: ModelSettings = ModelSettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()
    intents: IntentSettings = IntentSettings()
    support: SupportSettings = SupportSettings()
    discord: DiscordSettings = DiscordSettings()
    github: GitHubSettings = GitHubSettings()
    slack: SlackSettings = SlackSettings()
    server: ServerSettings = ServerSettings()
    analytics: AnalyticsSettings = AnalyticsSettings()
    digest: DigestSettings = DigestSettings()
    satisfaction: SatisfactionSettings = SatisfactionSettings()
    requests: RequestSettings = RequestSettings()
    privacy: PrivacySettings = PrivacySettings()
    jobs: JobSettings = JobSettings()
    calls: CallsSettings = CallsSettings()
    incidents: IncidentSettings = IncidentSettings()
    routing: RoutingSettings = RoutingSettings()
    community: CommunitySettings = CommunitySettings()
    reviews: ReviewSettings = ReviewSettings()

    @field_validator("data_dir")
    @classmethod
    def _folder(cls, value: Path) -> Path:
        # Checked here so a file in the way is one clear line at start-up, not a traceback when first written.
        existing = next((p for p in (value, *value.parents) if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise PydanticCustomError("data_dir", f"{existing} is a file, not a folder")
        return value

    def model_exports(self) -> Path:
        """The folder ONNX exports of the model are cached in."""
        return self.model.export_dir or self.data_dir / "models"

    def database_url(self) -> str:
        """The configured database, or ``helpline.sqlite3`` in the data directory."""
        if self.support.database_url:
            return self.support.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'helpline.sqlite3'}"


def _env_overrides(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """``HELPLINE_MODEL__NAME=x`` becomes ``{"model": {"name": "x"}}``; also each setting's variable name."""
    tree: dict[str, Any] = {}
    names: dict[tuple[str, ...], str] = {}
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX) or key in NOT_SETTINGS or key.startswith(NOT_SETTINGS_PREFIX):
            continue
        path = key[len(ENV_PREFIX) :].lower().split("__")
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError("environment", key, "conflicts with another HELPLINE_ variable")
        node[path[-1]] = value
        names[tuple(path)] = key
    return tree, names


def _variable(loc: tuple[int | str, ...], names: dict[tuple[str, ...], str]) -> str | None:
    """The ``HELPLINE_…`` variable that set the value at ``loc`` (or a list holding it), if one did."""
    parts = tuple(str(part) for part in loc)
    setting = next((names[parts[:n]] for n in range(len(parts), 0, -1) if parts[:n] in names), None)
    # An unknown section (HELPLINE_SUPORT__TICKET_LIMIT) is reported at the section: find its variable.
    return setting or next((name for path, name in names.items() if path[: len(parts)] == parts), None)


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _resolve_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """Relative paths in a config file are relative to that file, not to the working directory."""
    for section, key in (
        ("knowledge", "source"),
        ("intents", "file"),
        ("support", "tiers_file"),
        ("support", "playbooks_file"),
        ("model", "export_dir"),
    ):
        value = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
        if isinstance(value, str) and not Path(value).expanduser().is_absolute():
            data[section][key] = str(base / value)
    if isinstance(data.get("data_dir"), str) and not Path(data["data_dir"]).expanduser().is_absolute():
        data["data_dir"] = str(base / data["data_dir"])
    return data


def find_config_file(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    """The config file to read: the one given, ``HELPLINE_CONFIG``, or ``./helpline.yaml`` if present."""
    if explicit is not None:
        return explicit
    if env.get(ENV_PREFIX + "CONFIG"):
        return Path(env[ENV_PREFIX + "CONFIG"])
    local = Path("helpline.yaml")
    return local if local.is_file() else None


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings; a bad file or variable raises ``ConfigError`` naming where and which key."""
    env = os.environ if env is None else env
    path = find_config_file(path, env)
    data: dict[str, Any] = {}
    if path is not None:
        data = _resolve_paths(load_yaml_mapping(path), path.resolve().parent)
    overrides, names = _env_overrides(env)
    try:
        settings = Settings.model_validate(_merge(data, overrides))
    except ValidationError as exc:
        key, problem = validation_problem(exc, Settings)
        variable = _variable(exc.errors()[0]["loc"], names)
        if variable is not None:  # the environment overrides the file, so the variable is to blame
            raise ConfigError("environment", f"{key} (from {variable})", problem) from None
        raise ConfigError(str(path or "environment"), key, problem) from None
    check_tier_names(settings.satisfaction, settings.support.tiers_file, str(path or "environment"))
    check_weight_tiers(settings.requests, settings.support.tiers_file, str(path or "environment"))
    check_retention_tiers(settings.privacy, settings.support.tiers_file, str(path or "environment"))
    check_call_tiers(settings.calls, settings.support.tiers_file, str(path or "environment"))
    check_originals_key(settings.privacy, env, str(path or "environment"))
    check_routing(settings.routing, settings.support.tiers_file, str(path or "environment"))
    return settings
