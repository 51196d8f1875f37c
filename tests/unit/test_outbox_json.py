"""Every field of a notice survives the outbox's JSON: replies, choices (a rating's score), files, addresses."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import timedelta

from core.community.records import Enforcement
from core.messages import (
    Action,
    Address,
    Attachment,
    Choice,
    Citation,
    Destination,
    Mention,
    Outbound,
    Reply,
    ReplyKind,
)
from core.store.outbox_json import outbound_from, outbound_values
from tests.unit.test_sla_events import TINY_PNG

EVERYTHING = Reply(
    ReplyKind.SURVEY,
    "How likely are you to recommend us? 0–10",
    citation=Citation("Rating us", "https://docs.example.com/nps"),
    choices=tuple(Choice(str(n), Action.RATE, 41, n) for n in range(11)),
    destination=Destination.DIRECT,
    intent="nps",
    ticket=41,
    origin=Address("slack", "T1", "C1", "1732350000.000100"),
    mentions=(Mention("slack", "user", "U1"),),
    attachments=(Attachment("chart.png", "image/png", TINY_PNG),),
    enforcement=Enforcement("flood", delete=True, timeout=timedelta(minutes=10)),
)


def test_the_full_reply_sets_every_field_so_a_new_field_must_be_added_here() -> None:
    defaults = Reply(ReplyKind.INFO, "")
    unset = [f.name for f in fields(Reply) if getattr(EVERYTHING, f.name) == getattr(defaults, f.name)]
    assert unset == []
    choice_defaults = Choice("", Action.HELPFUL)
    assert [
        f.name for f in fields(Choice) if getattr(EVERYTHING.choices[3], f.name) == getattr(choice_defaults, f.name)
    ] == []


def test_every_field_of_a_reply_and_its_choices_round_trips() -> None:
    outbound = Outbound(Address("discord", "900", "901", "902"), EVERYTHING)
    values = outbound_values(outbound)
    back = outbound_from(values["address"], values["payload"])
    assert back == outbound
    assert [c.score for c in back.reply.choices] == list(range(11))
    assert [c.value for c in back.reply.choices][:2] == ["rate:41:0", "rate:41:1"]


def test_a_choice_written_before_scores_were_kept_reads_back_without_one() -> None:
    values = outbound_values(
        Outbound(Address("console"), Reply(ReplyKind.ESCALATION, "x", choices=(Choice("Claim", Action.CLAIM, 3),)))
    )
    data = json.loads(values["payload"])
    data["choices"] = [choice[:3] for choice in data["choices"]]
    back = outbound_from(values["address"], json.dumps(data))
    assert back.reply.choices == (Choice("Claim", Action.CLAIM, 3),)
