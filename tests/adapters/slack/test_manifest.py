"""The shipped Slack app manifest asks for what the bot uses, and points Slack where the bot listens."""

from __future__ import annotations

from typing import Any

import yaml

from bots.slack.runner import EVENTS_PATH
from bots.slack.translate import COMMAND
from config.settings import CONFIG_DIR


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CONFIG_DIR / "slack-manifest.yaml").read_text(encoding="utf-8"))
    return data


def test_the_manifest_subscribes_to_every_event_the_bot_answers_with_the_scopes_they_need() -> None:
    data = manifest()
    events = set(data["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(data["oauth_config"]["scopes"]["bot"])
    messages = {"app_mention", "message.channels", "message.groups", "message.im", "message.mpim"}
    assert events == messages | {"member_joined_channel"}  # a join starts an onboarding journey
    needed = {"app_mentions:read", "channels:history", "groups:history", "im:history", "mpim:history"}
    joins = {"channels:read", "groups:read"}
    assert needed | joins | {"chat:write", "files:write", "commands", "usergroups:read", "users:read"} == scopes
    assert data["features"]["app_home"]["messages_tab_enabled"] is True  # customers may DM the bot


def test_events_buttons_and_the_slash_command_all_go_to_the_bots_one_route() -> None:
    data = manifest()
    [command] = data["features"]["slash_commands"]
    urls = [
        command["url"],
        data["settings"]["event_subscriptions"]["request_url"],
        data["settings"]["interactivity"]["request_url"],
    ]
    assert command["command"] == COMMAND
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is False
