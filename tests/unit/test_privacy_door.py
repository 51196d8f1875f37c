"""Secrets pasted into a support chat are gone before the desk keeps, queues or shows anything."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from core.errors import ConfigError
from core.jobs import NewJob
from core.messages import ReplyKind
from core.privacy.jobs import RedactingQueue, redact_payload
from core.privacy.redaction import Redactor
from tests.desk_fakes import START, make_harness
from tests.fakes import memory_stores
from tests.unit.test_redaction import AWS, GITHUB, SLACK

LEAKY = f"the whole API is down, my token {GITHUB} and {SLACK}, mail pat@example.com or +1 415 555 2671, {AWS}"
SECRETS = (GITHUB, SLACK, AWS, "pat@example.com", "415 555 2671")


@pytest.mark.asyncio
async def test_a_ticket_keeps_no_secret_anywhere_and_the_customer_is_told_to_revoke() -> None:
    h = make_harness(tier="enterprise")
    replies = await h.say(LEAKY)
    assert [r.kind for r in replies] == [ReplyKind.TICKET, ReplyKind.INFO]
    notice = replies[-1].text
    assert "a GitHub token, a Slack token and an AWS key" in notice and "revoke" in notice
    ticket = await h.store.tickets.get(1)
    assert ticket is not None
    kept = await h.store.conversations.messages(1)
    events = await h.store.tickets.events(1)
    sent = await h.wait(timedelta(hours=2, minutes=1))  # the escalation notice to the staff
    assert any(o.reply.kind is ReplyKind.ESCALATION for o in sent)
    everything = [ticket.subject, *(m.text for m in kept), *(m.raw.decode() for m in kept)]
    everything += [e.detail for e in events] + [o.reply.text for o in sent]
    for place in everything:
        for secret in SECRETS:
            assert secret not in place
    assert "[github-token]" in ticket.subject and "[email]" in kept[0].text


@pytest.mark.asyncio
async def test_the_notice_comes_once_per_thread() -> None:
    h = make_harness()
    first = await h.say(f"how do I rotate {GITHUB}?")
    again = await h.say(f"and this one {SLACK}")
    assert first[-1].kind is ReplyKind.INFO and "revoke" in first[-1].text
    assert all("revoke" not in r.text for r in again)
    elsewhere = await h.say(f"new thread, {AWS}", thread="t2")
    assert "an AWS key" in elsewhere[-1].text


@pytest.mark.asyncio
async def test_personal_data_alone_is_removed_without_a_revoke_notice() -> None:
    h = make_harness()
    replies = await h.say("the app crashes at boot, reach me at pat@example.com")
    assert all("revoke" not in r.text for r in replies)
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.subject == "the app crashes at boot, reach me at [email]"


@pytest.mark.asyncio
async def test_typed_commands_are_redacted_too() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    await h.say(f"note 1 customer sent {GITHUB}", command=True, user="mo", roles=frozenset({"moderator"}))
    events = await h.store.tickets.events(1)
    kept = await h.store.conversations.messages(1)
    assert all(GITHUB not in e.detail for e in events) and all(GITHUB not in m.text for m in kept)
    assert any("customer sent [github-token]" in m.text for m in kept)


@pytest.mark.asyncio
async def test_a_deployment_can_turn_redaction_off() -> None:
    h = make_harness(settings=Settings(privacy={"redact": []}))
    await h.say("the app crashes at boot, reach me at pat@example.com")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and "pat@example.com" in ticket.subject


@pytest.mark.asyncio
async def test_queued_payloads_are_redacted_and_stay_readable() -> None:
    queue = RedactingQueue(memory_stores().jobs, Redactor())
    body = {"event": {"type": "message", "text": f"token {GITHUB}", "ts": "1701234567.000100"}, "n": 3}
    await queue.enqueue(NewJob("slack", "Ev1", "event", json.dumps(body).encode(), START), START)
    [job] = await queue.jobs("slack")
    stored = json.loads(job.payload)
    assert stored == {"event": {"type": "message", "text": "token [github-token]", "ts": "1701234567.000100"}, "n": 3}


@pytest.mark.asyncio
async def test_payloads_without_json_or_text_are_kept_as_they_came() -> None:
    redactor = Redactor()
    assert redact_payload(f"plain {AWS}".encode(), redactor) == b"plain [aws-key]"
    binary = b"\xff\xfe\x00" + GITHUB.encode()
    assert redact_payload(binary, redactor) == binary
    clean = b'{"a": "nothing here"}'
    assert redact_payload(clean, redactor) is clean


@pytest.mark.asyncio
async def test_a_queued_event_still_gets_its_notice_from_the_placeholders() -> None:
    h = make_harness()
    replies = await h.say("my token [github-token] does not work")  # as a redacted Slack event arrives
    assert "a GitHub token" in replies[-1].text


def test_a_bad_privacy_setting_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("privacy:\n  redact: [email, passport]\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.path == str(path) and "privacy.redact" in str(info.value) and "passport" in str(info.value)
    path.write_text("privacy:\n  patterns:\n    employee-id: 'EMP-(\\d'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert "privacy.patterns" in str(info.value) and "employee-id" in str(info.value)


@pytest.mark.asyncio
async def test_forget_me_is_recorded_once_for_a_lead_to_approve() -> None:
    h = make_harness()
    [first] = await h.say("forget me", command=True)
    assert "request is recorded" in first.text and "A lead reviews it" in first.text
    [again] = await h.say("forget me", command=True)
    assert "already with the team" in again.text
    [pending] = await h.store.privacy.pending()
    assert pending.actor == "discord:ana" and pending.action == "forget-request"
    [told] = [o for o in h.notifier.sent if "asked to be forgotten" in o.reply.text]  # the leads hear once
    assert "helpline privacy forget discord:ana" in told.reply.text
    assert str(told.address) == make_harness().tiers.get("community").team_channel
