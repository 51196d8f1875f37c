"""The staff page: a lead lists the accounts, disables one (ending its sessions) or enables it, never themselves."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bots.web.deps import DashboardDeps
from core.staff.records import Identity, StaffAccount, StaffRole, StaffSession
from tests.desk_fakes import START, make_harness
from tests.web.numbers_world import client_of, words
from tests.web_fakes import CSRF, dashboard_deps, viewer

LEAD = viewer(StaffRole.LEAD)  # the account "discord:mod"


def _staffed() -> DashboardDeps:
    """A lead (the viewer) and an agent, ana, who is signed in on one browser."""
    deps = dashboard_deps(make_harness(), LEAD)

    async def fill() -> None:
        await deps.staff.add(StaffAccount(LEAD.account, StaffRole.LEAD, LEAD.identity, START))
        ana = Identity("dashboard", "ana", "Ana <admin>", frozenset({"moderator"}))
        await deps.staff.add(StaffAccount("ana", StaffRole.AGENT, ana, START, password_hash="$argon2id$x"))
        await deps.sessions.start(
            StaffSession("a" * 64, "ana", StaffRole.AGENT, ana, "ana-csrf", START, START + timedelta(hours=8))
        )

    asyncio.run(fill())
    return deps


def test_the_lead_sees_every_account_and_is_told_where_accounts_are_added() -> None:
    page = client_of(_staffed()).get("/dashboard/staff")
    assert page.status_code == 200
    text = words(page.text)
    assert "ana agent Ana <admin> dashboard:ana password" in text
    assert "&lt;admin&gt;" in page.text
    assert "discord:mod (you) lead" in text
    assert "helpline staff add NAME --role agent|lead" in text
    assert page.text.count('value="disable"') == 1  # ana's; the lead has no button to disable themselves


def test_disabling_an_account_ends_its_sessions_and_says_so() -> None:
    deps = _staffed()
    client = client_of(deps)
    response = client.post("/dashboard/staff", data={"name": "ana", "action": "disable", "csrf_token": CSRF})
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/staff?done=disabled&name=ana"
    assert asyncio.run(deps.sessions.get("a" * 64, START + timedelta(minutes=1))) is None
    page = words(client.get(response.headers["location"]).text)
    assert "Disabled ana: every session of that account has ended." in page
    assert "ana agent Ana <admin> dashboard:ana password 2026-11-23 09:00 UTC disabled Enable" in page

    again = client.post("/dashboard/staff", data={"name": "ana", "action": "enable", "csrf_token": CSRF})
    assert again.headers["location"] == "/dashboard/staff?done=enabled&name=ana"
    account = asyncio.run(deps.staff.get("ana"))
    assert account is not None and not account.disabled


def test_a_lead_cannot_disable_themselves() -> None:
    deps = _staffed()
    response = client_of(deps).post(
        "/dashboard/staff", data={"name": LEAD.account, "action": "disable", "csrf_token": CSRF}
    )
    assert response.status_code == 409
    assert "You cannot disable your own account" in words(response.text)
    account = asyncio.run(deps.staff.get(LEAD.account))
    assert account is not None and not account.disabled


def test_a_change_without_the_forms_token_or_of_an_unknown_account_is_refused() -> None:
    deps = _staffed()
    client = client_of(deps)
    forged = client.post("/dashboard/staff", data={"name": "ana", "action": "disable"})
    assert forged.status_code == 403
    account = asyncio.run(deps.staff.get("ana"))
    assert account is not None and not account.disabled
    unknown = client.post("/dashboard/staff", data={"name": "zed", "action": "disable", "csrf_token": CSRF})
    assert unknown.status_code == 404
    assert "No staff account is named 'zed'." in words(unknown.text)
