"""A booked call is the person's data: ``privacy export`` lists it and ``privacy forget`` erases it."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from core.privacy.office import PrivacyOffice
from core.store.personal_data import SqlPersonalData
from core.store.sql_store import sql_stores
from tests.desk_fakes import make_harness


@pytest.mark.asyncio
async def test_a_booked_call_is_exported_and_forgotten_with_its_person(engine: AsyncEngine) -> None:
    stores = sql_stores(engine)
    h = make_harness(store=stores, tier="enterprise")
    [slots] = await h.say("call", command=True)
    [booked] = await h.say("", choice=slots.choices[0].value)
    assert "is booked" in booked.text
    office = PrivacyOffice(SqlPersonalData(engine), stores.links, h.clock)
    [call] = (await office.export("discord:ana", "cli:lead"))["data"]["calls"]
    assert call["person"] == "discord:ana" and call["link"].startswith("https://meet.jit.si/Helpline-")
    counts = await office.forget("discord:ana", "cli:lead")
    assert counts["calls"] == 1
    assert await stores.calls.of_person("discord:ana") == []
