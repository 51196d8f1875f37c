"""Posting to Slack: pacing per channel, the notifier's addresses, staff lookups and the runner's refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bots.slack.names import NameBook, display_name
from bots.slack.outbox import ChannelPacer, NoticeOptions, SlackNotifier, SlackPoster, make_client
from bots.slack.runner import SlackCredentials, build_app, slack_options
from bots.slack.staff import StaffDirectory
from config.settings import load_settings
from core.errors import ConfigError
from core.messages import Action, Address, Choice, Destination, Mention, Outbound, Reply, ReplyKind
from core.notify import UndeliverableError
from tests.adapters.slack_fake import BOT_TOKEN, FakeSlack

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(staff=["U0MO"])
    await fake.start()
    yield fake
    await fake.close()


class FakeTime:
    """A monotonic clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def notifier(slack: FakeSlack, options: NoticeOptions) -> SlackNotifier:
    poster = SlackPoster(make_client(BOT_TOKEN, slack.api_url), ChannelPacer(0.0))
    return SlackNotifier(options, poster)


ESCALATION = Reply(
    ReplyKind.ESCALATION,
    "Escalation: ticket #4",
    choices=(Choice("Claim #4", Action.CLAIM, 4),),
    ticket=4,
    origin=Address("slack", "T0VENDOR", "C0HELPDESK", "1732350000.000100"),
)


async def test_messages_to_one_channel_are_a_second_apart_and_other_channels_do_not_wait() -> None:
    time = FakeTime()
    pacer = ChannelPacer(1.0, now=time, sleep=time.sleep)
    async with pacer.turn("C1"):
        pass
    async with pacer.turn("C2"):
        pass
    assert time.slept == []
    time.now += 0.25
    async with pacer.turn("C1"):
        pass
    assert time.slept == [0.75]
    time.now += 5
    async with pacer.turn("C1"):
        pass
    assert time.slept == [0.75]


async def test_an_escalation_to_plain_slack_goes_to_the_escalation_channel_mentioning_only_the_group(
    slack: FakeSlack,
) -> None:
    await notifier(slack, NoticeOptions("C0ESCALATE", "S0STAFF")).send(Outbound(Address("slack"), ESCALATION))
    [post] = slack.posts("C0ESCALATE")
    assert post["text"] == "<!subteam^S0STAFF> Escalation: ticket #4"
    assert post.get("thread_ts") is None
    assert "https://vendor.slack.com/archives/C0HELPDESK/p1732350000000100" in str(post["blocks"])


async def test_a_notice_to_a_ticket_goes_into_the_customer_thread_and_mentions_nobody(slack: FakeSlack) -> None:
    reply = Reply(ReplyKind.TICKET, "mo (support) on ticket #4: fixed <!here>", ticket=4)
    where = Address("slack", "T0VENDOR", "C0HELPDESK", "1732350000.000100")
    await notifier(slack, NoticeOptions("C0ESCALATE", "S0STAFF")).send(Outbound(where, reply))
    [post] = slack.posts("C0HELPDESK")
    assert post["thread_ts"] == "1732350000.000100"
    assert post["text"] == "mo (support) on ticket #4: fixed &lt;!here&gt;"
    assert slack.method_calls("chat.getPermalink") == []


async def test_undeliverable_escalations_raise_so_the_core_retries_them(slack: FakeSlack) -> None:
    with pytest.raises(UndeliverableError, match="escalation_channel"):
        await notifier(slack, NoticeOptions(None, "S0STAFF")).send(Outbound(Address("slack"), ESCALATION))
    slack.refused["C0GONE"] = "channel_not_found"
    with pytest.raises(UndeliverableError, match="channel_not_found"):
        await notifier(slack, NoticeOptions()).send(Outbound(Address.parse("slack:C0GONE"), ESCALATION))
    with pytest.raises(UndeliverableError, match="not running"):
        await SlackNotifier(NoticeOptions("C0ESCALATE")).send(Outbound(Address("slack"), ESCALATION))


async def test_staff_are_listed_users_and_group_members_looked_up_at_most_once_a_minute(slack: FakeSlack) -> None:
    time = FakeTime()
    staff = StaffDirectory(make_client(BOT_TOKEN, slack.api_url), frozenset({"U0LEAD"}), "S0STAFF", 60.0, now=time)
    assert await staff.is_staff("U0LEAD")
    assert slack.method_calls("usergroups.users.list") == []  # listed users need no lookup
    assert await staff.is_staff("U0MO") and not await staff.is_staff("U0ANA")
    assert len(slack.method_calls("usergroups.users.list")) == 1
    slack.staff.append("U0ANA")
    time.now += 61
    assert await staff.is_staff("U0ANA")
    assert len(slack.method_calls("usergroups.users.list")) == 2


async def test_a_failed_group_lookup_makes_nobody_staff_from_the_group(slack: FakeSlack) -> None:
    staff = StaffDirectory(make_client("xoxb-wrong", slack.api_url), frozenset(), "S0STAFF")
    assert not await staff.is_staff("U0MO")


async def test_http_mode_refuses_to_start_without_a_signing_secret() -> None:
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        build_app(SlackCredentials(BOT_TOKEN, "", "", "http://127.0.0.1:9/api/"))
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        build_app(SlackCredentials("", "secret"))
    assert build_app(SlackCredentials(BOT_TOKEN, "", "xapp-1", "http://127.0.0.1:9/api/")) is not None


async def test_settings_and_credentials_come_from_the_environment() -> None:
    env = {
        "HELPLINE_SLACK__SUPPORT_CHANNELS": "C0HELP, C0ACME",
        "HELPLINE_SLACK__STAFF_GROUP": "S0STAFF",
        "HELPLINE_SUPPORT__MODERATOR_ROLES": "support",
    }
    options = slack_options(load_settings(env=env))
    assert options.support_channels == {"C0HELP", "C0ACME"}
    assert options.notices.staff_group == "S0STAFF" and options.staff_roles == {"support"}
    credentials = SlackCredentials.from_env({"SLACK_BOT_TOKEN": " xoxb-1 ", "SLACK_APP_TOKEN": "xapp-1"})
    assert credentials.bot_token == "xoxb-1" and credentials.socket_mode and credentials.api_url is None
    with pytest.raises(ConfigError, match=r"slack\.staff_group"):
        load_settings(env={"HELPLINE_SLACK__STAFF_GROUP": "<!channel>"})
    with pytest.raises(ConfigError, match=r"slack\.staff_group"):
        load_settings(env={"HELPLINE_SLACK__STAFF_GROUP": "U0MO"})  # a user, not a group


async def test_names_come_from_users_info_once_and_fall_back_to_the_user_id(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.names["U0BOB"] = "  Bob\u202e  Stone "
    book = NameBook(make_client(BOT_TOKEN, slack.api_url))
    assert await book.name("U0BOB") == "Bob Stone"  # bidi controls and stray spaces removed
    assert await book.name("U0BOB") == "Bob Stone"
    assert len(slack.method_calls("users.info")) == 1
    assert await book.name("U0GHOST") == "U0GHOST"
    assert display_name({"name": "bob", "profile": {"display_name": "", "real_name": "Robert"}}) == "Robert"
    assert display_name({"profile": "odd"}) is None
    slack.names["U0ANA"], slack.zones["U0ANA"] = "Ana", "America/New_York"
    assert await book.person("U0ANA") == ("Ana", "America/New_York")  # the zone calls are offered in
    assert await book.person("U0BOB") == ("Bob Stone", "")
    unscoped = NameBook(make_client("xoxb-wrong", slack.api_url))
    assert [await unscoped.name(u) for u in ("U1", "U2")] == ["U1", "U2"]
    assert sum("cannot read Slack user names" in r.message for r in caplog.records) == 1


async def test_a_direct_notice_goes_to_the_user_it_mentions_not_the_escalation_channel(slack: FakeSlack) -> None:
    reply = Reply(
        ReplyKind.INFO, "Welcome, Ana!", destination=Destination.DIRECT, mentions=(Mention("slack", "user", "U0ANA"),)
    )
    await notifier(slack, NoticeOptions("C0ESCALATE", "S0STAFF")).send(Outbound(Address("slack", "T0VENDOR"), reply))
    [post] = slack.posts("U0ANA")
    assert "Welcome, Ana!" in post["text"]
    assert slack.posts("C0ESCALATE") == []
