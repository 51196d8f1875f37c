"""Files shared in Slack: a ``file_share`` message (text or not) reaches the core with its files as references."""

from __future__ import annotations

from typing import Any

import pytest

from bots.slack.translate import incoming, read_event, read_files
from core.messages import MAX_FILES, FileRef
from tests.adapters.slack_fake import BOT_USER, payload
from tests.adapters.slack_world import ANA, World, thread_reply

SHOT = FileRef("deploy-log.png", "https://vendor.slack.com/files/U0ANA/F0SCREEN01/deploy-log.png", "image/png", 48213)
BUILD = FileRef(
    "build output.txt", "https://vendor.slack.com/files/U0ANA/F0BUILD002/build_output.txt", "text/plain", 10342
)
STAFF = frozenset({"S0STAFF"})
HIDDEN = FileRef("", "", "", None)  # past the free plan's limit, Slack names nothing but its id


def test_a_file_share_without_text_is_a_message_with_its_files() -> None:
    event = read_event(payload("event_file_share"))
    assert event is not None and event.subtype == "file_share"
    message = incoming(event, BOT_USER, STAFF)
    assert message.text == ""
    assert message.files == (SHOT, BUILD, HIDDEN)
    assert message.address.thread == "1732350000.000100"  # a reply in the question's thread


def test_files_link_to_their_page_in_slack_or_else_the_private_address() -> None:
    [file] = payload("event_file_share")["event"]["files"][:1]
    del file["permalink"]
    assert read_files([file]) == (FileRef(SHOT.name, file["url_private"], "image/png", 48213),)
    del file["name"]
    assert read_files([file])[0].name == "deploy-log.png"  # its title


@pytest.mark.parametrize(
    "files",
    [None, "F0SCREEN01", {"id": "F0SCREEN01"}, [None, 3, "x", ["nested"]]],
)
def test_files_of_another_shape_are_none(files: Any) -> None:
    assert read_files(files) == ()


def test_odd_fields_of_a_file_are_left_out_and_at_most_twenty_are_read() -> None:
    odd = {"name": 7, "title": "notes", "permalink": ["x"], "mimetype": None, "size": True}
    assert read_files([odd]) == (FileRef("notes", "", "", None),)
    many = [{"name": f"f{n}.txt", "permalink": f"https://vendor.slack.com/files/U0ANA/F{n}/f"} for n in range(50)]
    assert len(read_files(many)) == MAX_FILES


@pytest.mark.asyncio
async def test_a_screenshot_shared_in_the_tickets_thread_is_kept_on_the_ticket(world: World) -> None:
    question = payload("event_message")
    question["event"]["text"] = "Our whole API is down, every request fails"
    await world.event(question)
    assert await world.store.tickets.get(1) is not None
    shared = payload("event_file_share")
    await world.event(shared)
    assert "Added to ticket #1" in world.slack.posts()[-1]["text"]
    last = (await world.store.conversations.messages(1))[-1]
    assert last.files == (SHOT, BUILD, FileRef("unnamed file", "", "", None))
    # A reply with words and a file is one message, not two.
    reply = thread_reply(ANA, "and this one", question["event"]["ts"], "C0HELPDESK", "Ev07MORE")
    reply["event"] |= {"subtype": "file_share", "files": shared["event"]["files"][:1]}
    await world.event(reply)
    last = (await world.store.conversations.messages(1))[-1]
    assert (last.text, last.files) == ("and this one", (SHOT,))
