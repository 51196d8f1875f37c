"""The spam rules on their own: each kind of spam is caught, and the ordinary questions around it are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.community.records import Act, Rule, RuleSettings, SpamPolicy
from core.community.spam import Post, hosts, judge, normalised, window_for

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
NEW = NOW - timedelta(hours=2)  # joined two hours ago
OLD = NOW - timedelta(days=400)
POLICY = SpamPolicy()


def post(text: str, *, at: datetime = NOW, since: datetime | None = OLD, channel: str = "a", who: str = "d:1") -> Post:
    """A post by ``who`` (a long-standing member unless ``since`` says otherwise)."""
    return Post(who, channel, text, at, since)


def test_a_flood_is_caught_after_the_limit_and_the_window_slides() -> None:
    window = window_for(POLICY)
    verdicts = [judge(post(f"question {n}", at=NOW + timedelta(seconds=n)), window, POLICY) for n in range(8)]
    assert [v is None for v in verdicts] == [True] * 5 + [False] * 3
    flood = verdicts[5]
    assert flood is not None and flood.rule is Rule.FLOOD and "6 messages within 15s" in flood.evidence
    assert flood.acts == {Act.HIDE, Act.DELETE, Act.TIMEOUT, Act.NOTIFY} and flood.timeout == timedelta(minutes=10)
    # A minute later the window holds nothing: the member is heard again.
    assert judge(post("one more", at=NOW + timedelta(seconds=70)), window, POLICY) is None


def test_members_are_counted_apart() -> None:
    window = window_for(POLICY)
    for n in range(5):
        assert judge(post(f"q {n}", who="d:1"), window, POLICY) is None
        assert judge(post(f"q {n}", who="d:2"), window, POLICY) is None


def test_everyone_from_a_new_member_or_with_a_link_is_a_mass_mention() -> None:
    window = window_for(POLICY)
    verdict = judge(post("@everyone free nitro", since=NEW), window, POLICY)
    assert verdict is not None and verdict.rule is Rule.MASS_MENTION
    linked = judge(post("@here check https://nitro-gift.example"), window, POLICY)
    assert linked is not None and linked.rule is Rule.MASS_MENTION


def test_a_long_standing_member_in_a_panic_is_no_spammer() -> None:
    window = window_for(POLICY)
    assert judge(post("@everyone our production site is down!!"), window, POLICY) is None
    assert judge(post("run `git commit -m '@everyone'` and it fails", since=NEW), window, POLICY) is None


def test_many_people_in_one_message_is_a_mass_mention_but_two_are_not() -> None:
    window = window_for(POLICY)
    crowd = " ".join(f"<@{n}>" for n in range(6))
    verdict = judge(post(f"{crowd} look"), window, POLICY)
    assert verdict is not None and "mentions 6 people" in verdict.evidence
    assert judge(post("<@1> and <@2> can you look at ticket 4?", who="d:9"), window, POLICY) is None


def test_an_invite_from_a_new_member_is_spam_from_an_old_one_it_is_not() -> None:
    window = window_for(POLICY)
    verdict = judge(post("join us discord.gg/abcDEF", since=NEW), window, POLICY)
    assert verdict is not None and verdict.rule is Rule.INVITE and "discord.gg/abcDEF" in verdict.evidence
    assert judge(post("our partner server: https://discord.com/invite/xyz", who="d:2"), window, POLICY) is None
    assert judge(post("discord.gg/abc", since=None, who="d:3"), window, POLICY) is None  # join date unknown


def test_links_from_a_new_member_are_spam_unless_the_site_is_allowed() -> None:
    policy = SpamPolicy(allowed_domains=frozenset({"github.com"}))
    window = window_for(policy)
    verdict = judge(post("cheap followers at https://buy-fans.example/now", since=NEW), window, policy)
    assert verdict is not None and verdict.rule is Rule.LINK and "buy-fans.example" in verdict.evidence
    ok = "the build fails, see https://github.com/acme/app/issues/4 and https://docs.helpline.example/install"
    assert judge(post(ok, since=NEW, who="d:2"), window, policy, ["docs.helpline.example"]) is None
    assert judge(post("see `curl https://localhost:8080/x`", since=NEW, who="d:3"), window, policy) is None


def test_a_new_member_who_has_talked_a_while_may_link() -> None:
    window = window_for(POLICY)
    for n in range(3):
        judge(post(f"question {n}", since=NEW, at=NOW + timedelta(minutes=n)), window, POLICY)
    later = post("my repro: https://gist.example/abc", since=NEW, at=NOW + timedelta(minutes=5))
    assert judge(later, window, POLICY) is None


def test_the_same_text_in_three_channels_is_a_cross_post() -> None:
    window = window_for(POLICY)
    text = "Earn $500 a day from home, DM me now!"
    assert judge(post(text, channel="x"), window, POLICY) is None
    assert judge(post(text.upper(), channel="b", at=NOW + timedelta(seconds=20)), window, POLICY) is None
    verdict = judge(post(text + "!!", channel="c", at=NOW + timedelta(seconds=40)), window, POLICY)
    assert verdict is not None and verdict.rule is Rule.CROSS_POST and "3 channels" in verdict.evidence


def test_a_short_thanks_in_many_channels_is_not_a_cross_post() -> None:
    window = window_for(POLICY)
    assert all(judge(post("thanks!", channel=c), window, POLICY) is None for c in "abcd")


def test_a_rule_turned_off_judges_nothing_and_actions_follow_the_settings() -> None:
    rules = {**POLICY.rules, Rule.INVITE: RuleSettings(enabled=False)}
    off = SpamPolicy(rules=rules)
    assert judge(post("discord.gg/abc", since=NEW), window_for(off), off) is None
    mild = SpamPolicy(rules={**POLICY.rules, Rule.FLOOD: RuleSettings(acts=frozenset({Act.NOTIFY}))})
    window = window_for(mild)
    verdicts = [judge(post(f"q{n}"), window, mild) for n in range(6)]
    last = verdicts[-1]
    assert last is not None and last.acts == {Act.HIDE, Act.NOTIFY} and last.timeout is None


def test_texts_and_links_are_read_as_people_write_them() -> None:
    assert normalised("  Hello,   WORLD!! ") == "hello world"
    assert hosts("see www.Example.com/x and https://a.b.example:8080/y.") == ["www.example.com", "a.b.example"]
