"""The ``knowledge: gaps:`` settings: defaults, a file's values, and mistakes named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import load_settings
from core.desk.context import DeskPolicy
from core.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def test_defaults_weigh_enterprise_over_community_and_match_the_example_file() -> None:
    policy = load_settings(None, env={}).knowledge.gaps.policy()
    assert policy.weight("enterprise") == 4.0 and policy.weight("community") == 1.0
    assert policy.weight("a-tier-not-named") == 1.0
    example = load_settings(REPO / "config" / "helpline.example.yaml", env={}).knowledge.gaps
    assert example.policy() == policy and example.method == "agglomerative" and example.distance == 0.75
    assert DeskPolicy().gaps == policy


def test_a_file_sets_tier_weights_and_the_clustering(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(
        "knowledge:\n  gaps:\n    tier_weights: {community: 0.5, enterprise: 10}\n"
        "    method: hdbscan\n    min_cluster_size: 5\n    low_confidence_margin: 0.1\n"
    )
    gaps = load_settings(path, env={}).knowledge.gaps
    policy = gaps.policy()
    assert (policy.weight("enterprise"), policy.weight("community"), policy.weight("professional")) == (10, 0.5, 1)
    assert (gaps.method, policy.min_cluster_size, policy.low_confidence_margin) == ("hdbscan", 5, 0.1)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("knowledge:\n  gaps:\n    tier_weights: {enterprise: -1}\n", "knowledge.gaps.tier_weights.enterprise"),
        ("knowledge:\n  gaps:\n    method: kmeans\n", "knowledge.gaps.method"),
        ("knowledge:\n  gaps:\n    min_cluster_size: 1\n", "knowledge.gaps.min_cluster_size"),
        ("knowledge:\n  gaps:\n    tier_wieghts: {}\n", "knowledge.gaps.tier_wieghts"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert str(path) in str(info.value) and key in str(info.value)
