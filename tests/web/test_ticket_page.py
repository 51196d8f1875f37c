"""The ticket page: the whole conversation, its audit log and SLA clocks, and every action through the desk."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import Address, Citation, FileRef
from core.tickets.records import ConversationMessage, Priority, Role, Ticket, TicketStatus
from tests.desk_fakes import Harness, make_harness
from tests.web.page_html import Parsed, injected, parse
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio


async def crash_ticket() -> Harness:
    """Ana (enterprise) reports a crash on Discord: ticket #1, with Helpline's answer citing the OOM article."""
    h = make_harness(tier="enterprise")
    await h.say("the app crashes at boot", user="ana", thread="a1")
    h.clock.advance(timedelta(minutes=10))
    return h


def act(h: Harness, action: str, **fields: str) -> Parsed:
    """POST an action form of ticket #1 as the viewer, follow the 303 back, and parse the page."""
    client = dashboard_client(h, viewer())
    response = client.post(f"/dashboard/tickets/1/{action}", data={"csrf_token": CSRF, **fields})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/dashboard/tickets/1?")
    return parse(client.get(response.headers["location"]).text)


async def one(h: Harness) -> Ticket:
    """Ticket #1 as the store has it now."""
    ticket = await h.store.tickets.get(1)
    assert ticket is not None
    return ticket


async def log_kinds(h: Harness) -> list[str]:
    return [e.kind for e in await h.store.tickets.events(1)]


async def test_the_page_shows_the_conversation_the_audit_log_and_the_sla_as_sla_explain_does() -> None:
    h = await crash_ticket()
    # The customer carries on from Slack: the ticket spans two platforms.
    slack = Address("slack", "T1", "C9", "1700.1")
    follow_up = ConversationMessage(slack, "U1", "Ana on Slack", Role.CUSTOMER, "still broken", h.clock.now())
    await h.store.conversations.record_message(follow_up)
    await h.store.conversations.attach_message(follow_up, 1)
    await h.mod("note 1 check the memory limit first")
    response = dashboard_client(h, viewer()).get("/dashboard/tickets/1")
    assert response.status_code == 200
    page = parse(response.text)
    assert "the app crashes at boot" in page.text and "still broken" in page.text
    assert "Discord · help / a1" in page.text and "Slack · C9 / 1700.1" in page.text
    assert "Discord, Slack" in page.text
    assert page.find("a", href="https://docs.example.com/oom")  # the citation of Helpline's answer
    internal = page.find("article", class_="message internal")
    assert len(internal) == 1 and "Internal note" in page.text and "check the memory limit first" in page.text
    sla = await h.mod("sla 1")
    assert all(line.strip() in page.text for line in sla.text.splitlines())
    assert "ana on Discord opened the ticket (priority critical, tier enterprise)" in page.text
    assert page.find("tr", class_="event-note")


async def test_claim_assign_priority_escalate_acknowledge_resolve_and_reopen_go_through_the_desk() -> None:
    h = await crash_ticket()
    page = act(h, "claim")
    assert "You claimed ticket #1." in page.text and (await one(h)).assignee == "discord:mod"
    page = act(h, "assign", person="sam")
    assert (await one(h)).assignee == "discord:sam"
    page = act(h, "priority", priority="low")
    assert "Ticket #1 is now low" in page.text
    assert (await one(h)).priority is Priority.LOW
    page = act(h, "escalate")
    assert "Ticket #1 escalated to" in page.text
    page = act(h, "acknowledge")
    assert "escalation acknowledged" in page.text
    page = act(h, "resolve")
    assert "Ticket #1 resolved." in page.text
    assert (await one(h)).status is TicketStatus.RESOLVED
    assert page.find("button", id="action-reopen") and not page.find("button", id="action-resolve")
    page = act(h, "reopen")
    assert "Ticket #1 reopened." in page.text
    kinds = await log_kinds(h)
    for kind in ("claimed", "assigned", "priority", "escalated", "acknowledged", "resolved", "reopened"):
        assert kind in kinds
    actors = {e.kind: e.actor for e in await h.store.tickets.events(1)}
    assert actors["claimed"] == actors["resolved"] == "discord:mod"
    assert len(page.find("tr")) >= len(kinds)  # the audit log on the page lists every one


async def test_a_reply_reaches_the_customer_in_their_thread_and_a_note_never_does() -> None:
    h = await crash_ticket()
    sent_before = len(h.notifier.sent)
    page = act(h, "reply", text="Raise the memory limit to 512 MB, please.")
    assert "Sent to the customer on ticket #1." in page.text
    [delivered] = h.notifier.sent[sent_before:]
    assert delivered.address == Address("discord", "guild1", "help", "a1")
    assert "Raise the memory limit to 512 MB, please." in delivered.reply.text
    assert "Raise the memory limit to 512 MB, please." in page.text  # now part of the conversation
    page = act(h, "note", text="customer is on the old plan")
    assert len(h.notifier.sent) == sent_before + 1
    assert "the customer does not see it" in page.text
    assert await log_kinds(h) == ["opened", "replied", "note"]
    assert (
        "mod on Discord replied to the customer" in page.text and "mod on Discord added an internal note" in page.text
    )


async def test_an_empty_reply_or_an_unknown_priority_is_refused_before_the_desk() -> None:
    h = await crash_ticket()
    page = act(h, "reply", text="   ")
    assert "Write the reply first." in page.text and page.find("p", class_="notice error")
    page = act(h, "priority", priority="urgent")
    assert "Choose a priority" in page.text
    assert "replied" not in await log_kinds(h) and "priority" not in await log_kinds(h)


async def test_an_unknown_ticket_or_action_is_a_404_page() -> None:
    h = await crash_ticket()
    client = dashboard_client(h, viewer())
    missing = client.get("/dashboard/tickets/99")
    assert missing.status_code == 404 and "There is no ticket #99." in parse(missing.text).text
    assert client.get("/dashboard/tickets/abc").status_code == 404
    assert client.post("/dashboard/tickets/99/claim", data={"csrf_token": CSRF}).status_code == 404
    assert client.post("/dashboard/tickets/1/delete", data={"csrf_token": CSRF}).status_code == 404


async def test_an_action_without_the_csrf_token_is_refused_and_changes_nothing() -> None:
    h = await crash_ticket()
    response = dashboard_client(h, viewer()).post("/dashboard/tickets/1/claim", data={})
    assert response.status_code == 403
    assert "claimed" not in await log_kinds(h)


async def test_a_citation_that_is_not_a_web_link_is_shown_as_text() -> None:
    h = await crash_ticket()
    odd = ConversationMessage(
        Address("discord", "guild1", "help", "a1"),
        "helpline",
        "Helpline",
        Role.BOT,
        "see this",
        h.clock.now(),
        citation=Citation("Sneaky", "javascript:alert(1)"),
        ticket=1,
    )
    await h.store.conversations.record_message(odd)
    await h.store.conversations.attach_message(odd, 1)
    page = parse(dashboard_client(h, viewer()).get("/dashboard/tickets/1").text)
    assert "Sneaky" in page.text
    assert not [link for link in page.links() if link.lower().startswith("javascript:")]


async def test_each_messages_files_are_listed_under_it_linked_only_when_http_and_named_as_text() -> None:
    h = await crash_ticket()
    shot = FileRef("boot-crash.png", "https://cdn.example.com/a/boot-crash.png", "image/png", 48213)
    trap = FileRef("readme.html", "javascript:alert(1)", "text/html", 5 * 1024 * 1024 + 1)
    named = FileRef("<script>alert('name')</script>.txt", "https://cdn.example.com/b/x.txt", "", 1)
    hidden = FileRef("unnamed file", "", "", None)  # a file the platform would not describe
    await h.say("", thread="a1", files=(shot, trap, named, hidden))
    page = parse(dashboard_client(h, viewer()).get("/dashboard/tickets/1").text)
    assert injected(page) == [] and not page.find("a", href="javascript:alert(1)")
    links = [a for a in page.find("a") if a.attrs.get("href", "").startswith("https://cdn.example.com/")]
    assert [a.attrs["href"] for a in links] == [shot.url, named.url]
    assert all(a.attrs.get("rel") == "noopener noreferrer" for a in links)
    assert "boot-crash.png (image/png, 47 KB)" in page.text
    assert "readme.html (text/html, 5.0 MB)" in page.text  # its name as text, not a link
    assert "<script>alert('name')</script>.txt (unknown type, 1 byte)" in page.text
    assert "unnamed file (unknown type, size unknown)" in page.text
    [files] = page.find("ul", class_="files")
    assert files.attrs["aria-label"] == "Files sent with this message"
