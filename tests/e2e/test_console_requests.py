"""Feature requests at the console: two people in their own words end with one request and two votes, and a
moderator's status change reaches both, once, in the sessions where they asked and voted."""

from __future__ import annotations

import asyncio
import io

from bots.console.app import ConsoleChat, new_identity
from bots.console.render import terminal
from tests.console_world import WIDTH, ConsoleWorld
from tests.fakes import HashingEmbedder


def test_two_people_one_request_two_votes_and_a_status_change_told_to_each_once() -> None:
    world = ConsoleWorld(embedder=HashingEmbedder())
    people = {
        name: new_identity(name, frozenset({"moderator"}) if name == "mo" else frozenset())
        for name in ("ana", "bea", "mo")
    }
    screens = {name: io.StringIO() for name in people}
    chats = {
        name: ConsoleChat(world.system, world.notifier, world.clock, identity,
                          terminal(screens[name], colour=False, width=WIDTH))
        for name, identity in people.items()
    }  # fmt: skip
    with asyncio.Runner() as runner:
        for n, (name, line) in enumerate(
            [
                ("ana", "/feature Dark mode for the dashboard"),
                ("ana", "1"),  # Record it as a new request
                ("bea", "/feature please add a dark mode to the dashboard"),
                ("bea", "1"),  # Vote for #1 'Dark mode for the dashboard'
                ("mo", "/request status 1 planned Shipping in May"),
            ]
        ):
            runner.run(chats[name].step(line, n))
        runner.run(world.system.worker.run_once())
        runner.run(world.system.worker.run_once())
        requests = runner.run(world.stores.feature_requests.requests())
        votes = runner.run(world.stores.feature_requests.votes([1]))[1]
    ana, bea, mo = (screens[name].getvalue() for name in ("ana", "bea", "mo"))
    assert "Record this as a feature request?" in ana and "Recorded as feature request #1" in ana
    assert "This sounds like feature request #1" in bea and "Your vote for #1" in bea and "2 votes" in bea
    assert "2 people will be told" in mo
    assert len(requests) == 1 and sorted(v.voter.name for v in votes) == ["ana", "bea"]
    told = "Feature request #1 'Dark mode for the dashboard' is planned (was open)."
    # One terminal shows every notice, labelled with where it is addressed: one to each person's session.
    assert mo.count(told) == 2
    assert mo.count("notifying user ana:") == 1 and mo.count("notifying user bea:") == 1
