"""The ``satisfaction:`` settings: defaults, a file's values, and mistakes named by file and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import load_settings
from core.errors import ConfigError


def test_defaults_ask_csat_everywhere_and_nps_of_paying_tiers() -> None:
    policy = load_settings(None, env={}).satisfaction.policy()
    assert policy.csat and policy.csat_for("community", "discord", "help")
    assert policy.nps_tiers == frozenset({"professional", "enterprise", "white-glove"})
    assert (policy.change_window, policy.nps_interval) == (timedelta(days=7), timedelta(days=90))


def test_a_file_turns_csat_off_per_tier_and_channel_and_names_the_product(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(
        "satisfaction:\n  product_name: Tideline\n  change_window: 2d\n"
        "  csat: {off_tiers: [community], off_channels: ['slack:C0FREE']}\n"
    )
    policy = load_settings(path, env={}).satisfaction.policy()
    assert policy.product_name == "Tideline" and policy.change_window == timedelta(days=2)
    assert not policy.csat_for("community", "discord", "help")
    assert not policy.csat_for("enterprise", "slack", "C0FREE")
    assert policy.csat_for("enterprise", "slack", "C0PAID")


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("satisfaction:\n  nps_interval: 3 months\n", "satisfaction.nps_interval"),
        ("satisfaction:\n  csat: {enabeld: false}\n", "satisfaction.csat.enabeld"),
        ("satisfaction:\n  nps: {tiers: []}\n", "satisfaction.nps.tiers"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(path) in str(info.value) and key in str(info.value)


@pytest.mark.parametrize(
    ("body", "key", "name"),
    [
        ("satisfaction:\n  csat: {off_tiers: [community, free]}\n", "satisfaction.csat.off_tiers[1]", "'free'"),
        ("satisfaction:\n  nps: {tiers: [enterprise, Gold]}\n", "satisfaction.nps.tiers[1]", "'Gold'"),
    ],
)
def test_a_tier_the_tiers_file_does_not_define_is_refused_naming_file_and_key(
    tmp_path: Path, body: str, key: str, name: str
) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    message = str(info.value)
    assert message.startswith(f"{path}: {key}: unknown tier {name}")
    assert "tiers.yaml defines: community, professional, enterprise, white-glove" in message


def test_configured_tiers_are_checked_against_the_tiers_file_the_settings_name(tmp_path: Path) -> None:
    (tmp_path / "tiers.yaml").write_text(
        (Path(__file__).parents[2] / "config" / "tiers.yaml").read_text().replace("white-glove", "platinum")
    )
    path = tmp_path / "helpline.yaml"
    path.write_text("support: {tiers_file: tiers.yaml}\nsatisfaction:\n  nps: {tiers: [platinum]}\n")
    assert load_settings(path, env={}).satisfaction.policy().nps_tiers == frozenset({"platinum"})
    path.write_text("support: {tiers_file: tiers.yaml}\nsatisfaction:\n  nps: {tiers: [white-glove]}\n")
    with pytest.raises(ConfigError, match=r"satisfaction\.nps\.tiers\[0\]: unknown tier 'white-glove'"):
        load_settings(path, env={})
