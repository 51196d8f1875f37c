"""What each ``helpline serve --role`` starts, and which shard options it accepts."""

from __future__ import annotations

import pytest

from bots.cli.roles import ALL, Role, RoleError, Shard, check_adapters, plan_for, without_model
from bots.discord.app import DiscordOptions
from bots.discord.runner import sharded
from config.settings import Settings


@pytest.mark.parametrize(
    ("role", "web", "worker", "gateway"),
    [
        (Role.WEB, True, False, False),
        (Role.WORKER, False, True, False),
        (Role.DISCORD, False, False, True),
        (Role.ALL, True, True, True),
    ],
)
def test_each_role_starts_its_own_parts(role: Role, web: bool, worker: bool, gateway: bool) -> None:
    plan = plan_for(role)
    assert (plan.web, plan.worker, plan.gateway, plan.shard) == (web, worker, gateway, None)


def test_the_default_plan_is_the_single_process_one() -> None:
    assert plan_for(Role.ALL) == ALL
    assert ALL.describe() == "role all: web, escalation worker, Discord"


def test_a_discord_process_can_run_one_shard_of_several() -> None:
    plan = plan_for(Role.DISCORD, 1, 4)
    assert plan.shard == Shard(1, 4)
    assert plan.describe() == "role discord: Discord shard 1 of 4"


@pytest.mark.parametrize(
    ("role", "shard_id", "shard_count", "problem"),
    [
        (Role.DISCORD, 0, None, "together"),
        (Role.DISCORD, None, 2, "together"),
        (Role.DISCORD, 2, 2, "from 0 to 1 with --shard-count 2, got 2"),
        (Role.WEB, 0, 2, "need --role discord or all, not web"),
        (Role.WORKER, 0, 1, "not worker"),
    ],
    ids=["no count", "no id", "id too big", "web", "worker"],
)
def test_shard_options_that_do_not_fit_are_refused(
    role: Role, shard_id: int | None, shard_count: int | None, problem: str
) -> None:
    with pytest.raises(RoleError, match=problem):
        plan_for(role, shard_id, shard_count)


def test_only_shard_zero_publishes_the_slash_commands() -> None:
    options = DiscordOptions(command_guilds=(1,))
    assert sharded(options, None) == options
    first, second = sharded(options, Shard(0, 2)), sharded(options, Shard(1, 2))
    assert (first.shard_id, first.shard_count, first.sync_commands) == (0, 2, True)
    assert (second.shard_id, second.shard_count, second.sync_commands) == (1, 2, False)


def test_a_discord_process_without_a_token_is_refused() -> None:
    with pytest.raises(RoleError, match="DISCORD_TOKEN"):
        check_adapters(plan_for(Role.DISCORD), discord_on=False)
    check_adapters(plan_for(Role.WEB), discord_on=False)  # the others run without Discord
    check_adapters(plan_for(Role.DISCORD), discord_on=True)


def test_auto_sharding_runs_discords_recommended_shards_in_one_process() -> None:
    plan = plan_for(Role.DISCORD, auto_shard=True)
    assert plan.describe() == "role discord: Discord, as many shards as Discord recommends"
    assert sharded(DiscordOptions(), plan.shard, auto_shard=plan.auto_shard).auto_shard
    with pytest.raises(RoleError, match="either --auto-shard or --shard-id"):
        plan_for(Role.DISCORD, 0, 2, auto_shard=True)
    with pytest.raises(RoleError, match="not worker"):
        plan_for(Role.WORKER, auto_shard=True)


def test_only_a_worker_process_goes_without_the_model() -> None:
    settings = Settings()
    parts = without_model(plan_for(Role.WORKER), settings)
    assert set(parts) == {"understander", "catalog"}
    with pytest.raises(RuntimeError, match="does not answer messages"):
        parts["understander"].understand("hello")
    for role in (Role.WEB, Role.DISCORD, Role.ALL):
        assert without_model(plan_for(role), settings) == {}
