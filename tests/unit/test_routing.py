"""Auto-assignment: a routed tier's new ticket goes to the able, free, least loaded agent, with the reason logged.

The harness starts on Monday 23 November 2026 at 09:00 UTC: inside London's business hours (08:00-18:00) and the
on-call rotation's emea shift (08:00-16:00 UTC), outside americas (00:00-08:00).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.settings import DEFAULT_TIERS_FILE, Settings, load_settings
from core.agents.choose import Team, pick_agent
from core.agents.records import ROUTER, Agent, Need
from core.customers.records import Account, AccountEntry, PersonDraft
from core.engineering.records import ENGINEERING_ISSUE, EngineeringJob
from core.errors import ConfigError
from core.messages import ReplyKind
from core.tiers import Customer
from tests.desk_fakes import Harness, make_harness

MOD = frozenset({"moderator"})
DANA = {"id": "discord:dana", "name": "dana", "skills": ["billing"], "capacity": 2, "hours": "business-hours"}
ELI = {"id": "discord:eli", "name": "eli", "skills": ["incident", "bug"], "capacity": 6, "shift": "emea"}
NIGHT = {"id": "discord:nia", "name": "nia", "capacity": 6, "shift": "americas"}  # takes anything, at night
ROUTED = Settings(routing={"auto_assign": ["enterprise"], "agents": [DANA, ELI, NIGHT]})
OUTAGE = "the whole API is down since this morning"
BILLING = "I was charged twice, please refund my invoice now"


def routed() -> Harness:
    return make_harness(tier="enterprise", settings=ROUTED)


async def assignee(h: Harness, number: int) -> str | None:
    ticket = await h.store.tickets.get(number)
    assert ticket is not None
    return ticket.assignee


@pytest.mark.asyncio
async def test_a_new_ticket_goes_to_the_agent_with_the_skill_and_the_log_says_why() -> None:
    h = routed()
    await h.say(BILLING, thread="t1")
    await h.say(OUTAGE, thread="t2")
    assert [await assignee(h, 1), await assignee(h, 2)] == ["discord:dana", "discord:eli"]
    [event] = [e for e in await h.store.tickets.events(1) if e.kind == "assigned"]
    assert event.actor == ROUTER
    assert event.detail == "nobody → discord:dana; assigned to dana: billing, 0 of 2 open, on shift"
    [told] = [o for o in h.notifier.sent if "Ticket #1" in o.reply.text and "assigned to dana" in o.reply.text]
    assert [(m.platform, m.id) for m in told.reply.mentions] == [("discord", "dana")]


@pytest.mark.asyncio
async def test_nobody_goes_over_capacity_or_gets_a_ticket_off_shift() -> None:
    h = routed()
    for n in range(3):
        await h.say(BILLING, thread=f"b{n}")
    assert [await assignee(h, n) for n in (1, 2, 3)] == ["discord:dana", "discord:dana", None]  # dana holds 2
    [skipped] = [e for e in await h.store.tickets.events(3) if e.kind == "not_assigned"]
    assert skipped.detail == "no able agent is free"  # nia takes anything, but her shift is the night


@pytest.mark.asyncio
async def test_a_tier_that_is_not_routed_waits_to_be_claimed() -> None:
    h = make_harness(settings=ROUTED)  # ana is community here
    await h.say(OUTAGE, thread="t1")
    assert await assignee(h, 1) is None


@pytest.mark.asyncio
async def test_away_hands_over_automatic_tickets_but_a_manual_assignment_stays() -> None:
    settings = Settings(routing={"auto_assign": ["enterprise"], "agents": [DANA, {**DANA, "id": "discord:dan",
                                 "name": "dan"}]})  # fmt: skip
    h = make_harness(
        settings=settings, customers=[Customer("acme", "Acme", "enterprise", ("discord:ana", "discord:bo"))]
    )
    await h.say(BILLING, thread="t1")  # to dana (first in the list)
    await h.say(BILLING, thread="t2")  # to dan (fewer open)
    await h.say(BILLING, thread="t3")  # dana again (both hold one; dana was assigned longest ago)
    await h.say("assign 3 dana", command=True, user="mo", roles=MOD)  # by hand now: it stays hers
    assert [await assignee(h, n) for n in (1, 2, 3)] == ["discord:dana", "discord:dan", "discord:dana"]
    [reply] = await h.say("away", command=True, user="dana", roles=MOD)
    assert reply.text.startswith("You are away: no new tickets are assigned to you. #1 to dan.")
    assert "Still yours: #3" in reply.text
    assert [await assignee(h, n) for n in (1, 3)] == ["discord:dan", "discord:dana"]
    await h.say(BILLING, thread="t4", user="bo")  # (ana has reached the ticket limit)
    assert await assignee(h, 4) is None  # dan is full (2 of 2), dana is away
    [back] = await h.say("back", command=True, user="dana", roles=MOD)
    assert back.text.startswith("Welcome back")
    await h.say(BILLING, thread="t5", user="bo")
    assert await assignee(h, 5) == "discord:dana"


@pytest.mark.asyncio
async def test_away_from_someone_routing_does_not_know_changes_nothing() -> None:
    h = routed()
    [reply] = await h.say("away", command=True, user="mo", roles=MOD)
    assert reply.kind is ReplyKind.INFO and "not one of the agents" in reply.text


@pytest.mark.asyncio
async def test_the_accounts_csm_takes_an_enterprise_ticket_first() -> None:
    h = make_harness(settings=ROUTED)
    account = Account("acme", "Acme", "enterprise", csm="discord:nia")
    await h.store.customers.save([AccountEntry(account, (PersonDraft("Ana", ("discord:ana",)),))], h.clock.now())
    await h.say(BILLING, thread="t1")
    assert await assignee(h, 1) == "discord:dana"  # nia, the CSM, is off shift: the billing agent takes it
    h.clock.advance(timedelta(hours=16))  # 01:00 UTC: the americas shift, nia's
    await h.say(OUTAGE, thread="t2")
    assert await assignee(h, 2) == "discord:nia"
    [event] = [e for e in await h.store.tickets.events(2) if e.kind == "assigned"]
    assert "assigned to nia: the account's CSM, 0 of 6 open, on shift" in event.detail


def _team(agents: list[Agent], loads: dict[str, int] | None = None, away: frozenset[str] = frozenset(),
          off: frozenset[str] = frozenset(), last: dict[str, datetime] | None = None) -> Team:  # fmt: skip
    return Team(agents, loads or {}, away, lambda a: a.identity not in off, last or {})


def test_least_loaded_then_longest_since_assigned_then_list_order() -> None:
    a, b, c = (Agent(f"slack:{n}", n, capacity=5) for n in "abc")
    need = Need("enterprise", "billing", "billing")
    assert pick_agent(need, _team([a, b, c], {"slack:a": 2, "slack:b": 1, "slack:c": 1})).agent is b  # type: ignore[union-attr]
    earlier = datetime(2026, 11, 23, tzinfo=UTC)
    last = {"slack:b": earlier + timedelta(hours=1), "slack:c": earlier}
    assert pick_agent(need, _team([a, b, c], {"slack:a": 2, "slack:b": 1, "slack:c": 1}, last=last)).agent is c  # type: ignore[union-attr]


def test_language_tier_and_csm_rules() -> None:
    en = Agent("slack:en", "en", languages=frozenset({"en"}), tiers=frozenset({"enterprise"}))
    de = Agent("slack:de", "de", languages=frozenset({"de"}))
    german = Need("professional", None, None, "de")
    assert pick_agent(german, _team([en, de])).agent is de  # type: ignore[union-attr]
    assert pick_agent(Need("professional", None, None, "en"), _team([en, de])) is None  # en serves enterprise only
    csm = Agent("slack:csm", "csm", skills=frozenset({"billing"}))
    pick = pick_agent(Need("enterprise", "outage", None), _team([en, csm]), csm="slack:csm")
    assert pick is not None and pick.agent is csm and "the account's CSM" in pick.reason
    assert pick_agent(Need("enterprise", "outage", None), _team([en, csm], off=frozenset({"slack:csm"})),
                      csm="slack:csm").agent is en  # type: ignore[union-attr]  # fmt: skip


def test_unknown_calendars_shifts_and_tiers_name_the_key(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    for agent, key in (
        ({"id": "slack:U1", "name": "x", "hours": "lunar"}, "routing.agents[0].hours"),
        ({"id": "slack:U1", "name": "x", "shift": "night"}, "routing.agents[0].shift"),
        ({"id": "slack:U1", "name": "x", "tiers": ["gold"]}, "routing.agents[0].tiers.gold"),
        ({"id": "U1", "name": "x"}, "routing.agents[0].id"),
    ):
        path.write_text(f"routing:\n  agents: [{agent}]\n".replace("'", '"'))
        with pytest.raises(ConfigError) as info:
            load_settings(path, env={})
        assert str(path) in str(info.value) and key in str(info.value)


@pytest.mark.asyncio
async def test_an_unanswered_ticket_leaves_an_agent_whose_shift_ended() -> None:
    ayo = {"id": "discord:ayo", "name": "ayo", "skills": ["incident"], "shift": "apac"}
    h = make_harness(
        tier="enterprise", settings=Settings(routing={"auto_assign": ["enterprise"], "agents": [ELI, ayo]})
    )
    await h.say(OUTAGE, thread="t1")
    assert await assignee(h, 1) == "discord:eli"
    await h.wait(timedelta(hours=6))  # 15:00: eli is still on shift, the ticket stays his
    assert await assignee(h, 1) == "discord:eli"
    await h.wait(timedelta(hours=1, minutes=5))  # 16:05: eli's emea shift is over, ayo's apac has begun
    assert await assignee(h, 1) == "discord:ayo"
    moved = [e for e in await h.store.tickets.events(1) if e.kind == "assigned"][-1]
    assert "; eli off shift; assigned to ayo" in moved.detail


@pytest.mark.asyncio
async def test_a_routed_channel_assigns_whatever_the_tier() -> None:
    h = make_harness(
        settings=Settings(routing={"auto_assign_channels": ["discord"], "agents": [ELI]})
    )  # ana: community
    await h.say(OUTAGE, thread="t1")
    assert await assignee(h, 1) == "discord:eli"
    elsewhere = make_harness(settings=Settings(routing={"auto_assign_channels": ["slack"], "agents": [ELI]}))
    await elsewhere.say(OUTAGE, thread="t1")
    assert await assignee(elsewhere, 1) is None


def test_a_routed_channel_on_an_unknown_platform_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("routing:\n  auto_assign_channels: [teams:C1]\n")
    with pytest.raises(ConfigError, match=r"routing\.auto_assign_channels"):
        load_settings(path, env={})


@pytest.mark.asyncio
async def test_a_lead_changes_an_agents_capacity_and_skills_in_chat() -> None:
    h = make_harness(settings=Settings(routing={"auto_assign": ["enterprise"], "agents": [DANA, ELI]}),
                     customers=[Customer("acme", "Acme", "enterprise", ("discord:ana", "discord:bo"))])  # fmt: skip
    [said] = await h.say("agent dana capacity 1", command=True, user="mo", roles=MOD)
    assert said.text == "dana now takes at most 1 open tickets."
    await h.say(BILLING, thread="t1")
    await h.say(BILLING, thread="t2")
    assert [await assignee(h, 1), await assignee(h, 2)] == ["discord:dana", None]  # full at one
    [said] = await h.say("agent eli skills none", command=True, user="mo", roles=MOD)
    assert said.text == "eli now takes any ticket."
    await h.say(BILLING, thread="t3", user="bo")
    assert await assignee(h, 3) == "discord:eli"
    [team] = await h.say("agents", command=True, user="mo", roles=MOD)
    assert "dana (discord:dana): 1 of 1 open, on shift; skills billing" in team.text
    assert "eli (discord:eli): 1 of 6 open, on shift; skills any" in team.text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("agent zed capacity 3", "No routed agent is called 'zed'; the agents: dana, eli."),
        ("agent dana capacity lots", "'lots' is not a capacity"),
        ("agent dana capacity 0", "'0' is not a capacity"),
        ("agent dana skills Bad!Skill", "skills are intent or category names"),
        ("agent dana mood happy", "Usage: agent NAME capacity N"),
    ],
)
async def test_a_wrong_agent_change_is_refused_and_changes_nothing(text: str, said: str) -> None:
    h = make_harness(settings=Settings(routing={"auto_assign": ["enterprise"], "agents": [DANA, ELI]}))
    [reply] = await h.say(text, command=True, user="mo", roles=MOD)
    assert reply.kind is ReplyKind.ERROR and said in reply.text
    assert await h.store.agents.changes() == {}
    [customer] = await h.say("agent dana capacity 3", command=True)
    assert customer.kind is ReplyKind.ERROR  # a customer may not


@pytest.mark.asyncio
async def test_a_chain_level_marked_engineering_hands_the_ticket_over(tmp_path: Path) -> None:
    tiers = (DEFAULT_TIERS_FILE.read_text("utf-8")
             .replace("{name: L1 first contact, mention: on-call, wait: 1h}",
                      "{name: L1 first contact, mention: on-call, wait: 1h, engineering: true}"))  # fmt: skip
    (tmp_path / "tiers.yaml").write_text(tiers)
    settings = Settings(routing={"engineering_repo": "acme/platform"})
    h = make_harness(tier="enterprise", settings=settings, tiers_file=tmp_path / "tiers.yaml")
    await h.say(OUTAGE, thread="t1")  # critical: a first response within 2 hours
    await h.wait(timedelta(hours=1))
    assert not [j for j in await h.store.jobs.jobs("github") if j.kind == ENGINEERING_ISSUE]
    await h.wait(timedelta(hours=1, minutes=5))  # missed: level L1 fires, and hands the ticket to engineering
    [job] = [j for j in await h.store.jobs.jobs("github") if j.kind == ENGINEERING_ISSUE]
    assert EngineeringJob.decode(job.payload).by == "helpline:sla level L1 first contact"
    events = [(e.kind, e.detail) for e in await h.store.tickets.events(1)]
    assert ("escalated", "to engineering (acme/platform)") in events
