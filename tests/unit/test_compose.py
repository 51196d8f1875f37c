"""docker-compose.yml (which cannot run here) parses and lays out the processes docs/deploy.md describes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bots.cli.roles import Role, plan_for
from core.store.engine import async_database_url

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    return found


def option(command: list[str], name: str) -> str | None:
    return command[command.index(name) + 1] if name in command else None


def helpline_services() -> dict[str, list[str]]:
    return {name: spec["command"] for name, spec in services().items() if spec.get("build") == "."}


def test_two_web_two_worker_and_one_discord_process_on_postgres() -> None:
    roles: dict[str, list[str]] = {}
    for name, command in helpline_services().items():
        assert command[0] == "serve", name
        role = Role(option(command, "--role") or "all")
        shard_id, shard_count = option(command, "--shard-id"), option(command, "--shard-count")
        plan_for(role, int(shard_id) if shard_id else None, int(shard_count) if shard_count else None)
        roles.setdefault(role, []).append(name)
    assert {role: len(names) for role, names in roles.items()} == {Role.WEB: 2, Role.WORKER: 2, Role.DISCORD: 1}
    assert services()["postgres"]["image"].startswith("postgres:16")


def test_every_helpline_process_uses_the_same_database_and_knowledge_volume() -> None:
    urls, volumes = set(), set()
    for name in helpline_services():
        spec = services()[name]
        url = spec["environment"]["HELPLINE_SUPPORT__DATABASE_URL"]
        assert async_database_url(url).startswith("postgresql+asyncpg://helpline:"), name
        assert "@postgres:5432/helpline" in url and "${POSTGRES_PASSWORD" in url  # the secret comes from the env
        assert spec["depends_on"]["postgres"]["condition"] == "service_healthy"
        urls.add(url)
        volumes.add(tuple(spec["volumes"]))
    assert len(urls) == 1
    assert volumes == {("helpline-data:/data",)}


def test_web_processes_listen_on_all_interfaces_on_distinct_ports_with_a_health_check() -> None:
    web = [spec for spec in services().values() if option(spec.get("command", []), "--role") == "web"]
    published = [port for spec in web for port in spec["ports"]]
    assert len(published) == len(set(published)) == 2
    for spec in web:
        assert option(spec["command"], "--host") == "0.0.0.0"
        assert "/healthz" in " ".join(spec["healthcheck"]["test"])
    assert not any("ports" in spec for spec in services().values() if spec not in web and "build" in spec)


def test_only_slack_or_github_needs_no_discord_token() -> None:
    """`${VAR:?}` fails `docker compose up` for every service; the only required secret is the database's."""
    required = {line.split("${", 1)[1].split(":?", 1)[0] for line in COMPOSE.read_text().splitlines() if ":?" in line}
    assert required == {"POSTGRES_PASSWORD"}
    assert services()["discord"]["profiles"] == ["discord"]  # started only with --profile discord
    assert all("profiles" not in services()[name] for name in helpline_services() if name != "discord")
