"""Who counts as a moderator, and which tier rule a role matches."""

from __future__ import annotations

from core.desk.context import Moderators
from core.messages import Address, Author, IncomingMessage
from core.tiers import TierRule


def test_moderator_roles_match_whatever_the_case() -> None:
    moderators = Moderators(frozenset({"moderator"}))
    assert moderators.allows("discord", Author("1", "Mo", frozenset({"Moderator"})))
    assert not moderators.allows("discord", Author("2", "Ana", frozenset({"Moderators"})))


def test_listed_users_are_moderators_on_their_platform_only() -> None:
    moderators = Moderators(frozenset(), frozenset({"slack:U1"}))
    assert moderators.allows("slack", Author("U1", "Una"))
    assert not moderators.allows("discord", Author("U1", "Una"))


def test_a_tier_rule_role_matches_whatever_the_case() -> None:
    message = IncomingMessage(Address("discord", "g", "c"), Author("1", "Ana", frozenset({"ENTERPRISE"})), "hi")
    assert TierRule("enterprise", role="Enterprise").matches(message)
    assert not TierRule("enterprise", role="Pro").matches(message)


def test_a_slack_connect_customer_is_placed_by_their_own_team() -> None:
    shared = Address("slack", "T0VENDOR", "C0SHARED", "1700000000.000100")
    customer = IncomingMessage(shared, Author("U1", "Cy", team="T0ACME"), "hi")
    vendor_staff = IncomingMessage(shared, Author("U2", "Vi", team="T0VENDOR"), "hi")
    rule = TierRule("enterprise", platform="slack", workspace="T0ACME")
    assert rule.matches(customer) and not rule.matches(vendor_staff)
    unknown_team = IncomingMessage(Address("slack", "T0ACME", "C1"), Author("U3", "Al"), "hi")
    assert rule.matches(unknown_team)  # no team given: the workspace written in decides
