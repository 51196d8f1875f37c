"""``helpline customers import/export`` and ``helpline customer show`` on a real SQLite database.

Also the migration of tiers.yaml's ``customers:`` list into the store, which every one of them runs first.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import DEFAULT_TIERS_FILE, load_settings
from core.customers.records import Usage
from core.messages import Address
from core.tickets.records import NewTicket, Priority

HEADER = "id,name,tier,csm,renewal_date,seats,identities"
GOOD = (
    f"{HEADER},contract_start,external_id\n"
    'acme,"Acme, Inc.",enterprise,slack:U0CSM,2026-12-31,50,'
    "slack:U0ACME1;discord:81234;github:acme-dev,2025-01-01,crm-9\n"
    'globex,=HYPERLINK("http://evil"),professional,,,,email:Gil@Globex.test,,\n'
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test on its own empty database, with the shipped settings."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"


def _file(tmp_path: Path, text: str, name: str = "accounts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _export(capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    capsys.readouterr()
    assert run(["customers", "export"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_import_then_export_round_trips_and_defuses_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["customers", "import", str(_file(tmp_path, GOOD))]) == 0
    assert "imported 2 accounts with 4 identities" in capsys.readouterr().out
    rows = _export(capsys)
    assert [r["id"] for r in rows] == ["acme", "globex"]
    acme, globex = rows
    assert acme == {
        "id": "acme",
        "name": "Acme, Inc.",
        "tier": "enterprise",
        "csm": "slack:U0CSM",
        "contract_start": "2025-01-01",
        "renewal_date": "2026-12-31",
        "seats": "50",
        "external_id": "crm-9",
        "identities": "discord:81234;github:acme-dev;slack:U0ACME1",
    }
    assert globex["name"] == '\'=HYPERLINK("http://evil")'  # a spreadsheet shows it, never runs it
    assert globex["identities"] == "email:gil@globex.test"
    again = tmp_path / "again.csv"
    assert run(["customers", "export", str(again)]) == 0
    assert run(["customers", "import", str(again)]) == 0  # the export reads back as it was
    assert _export(capsys) == rows


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        (f"{HEADER},colour\nacme,Acme,enterprise,,,,slack:U1,blue\n", "line 1: unknown column 'colour'"),
        ("id,name,tier\nacme,Acme,enterprise\n", "line 1: missing columns csm, renewal_date, seats, identities"),
        (f"{HEADER}\nok,Ok,community,,,,\nacme,Acme,gold,,,,slack:U1\n", "line 3: tier 'gold' is not a tier"),
        (f"{HEADER}\nok,Ok,community,,,,\n\nacme,Acme,enterprise,,2026-13-01,,\n", "line 4: renewal_date '2026-13-01'"),
        (f"{HEADER}\nacme,Acme,enterprise,,,-3,\n", "line 2: seats '-3' is not a whole number"),
        (f"{HEADER}\nacme,Acme,enterprise,,,,slack:U1;fax:2\n", "line 2: identities: 'fax:2' is not an identity"),
        (f"{HEADER}\nAcme Corp,Acme,enterprise,,,,\n", "line 2: 'Acme Corp' is not an account id"),
        (f"{HEADER}\na,A,community,,,,slack:U1\nb,B,community,,,,slack:U1\n", "line 3: slack:U1 is listed on line 2"),
        (f"{HEADER}\na,A,community,,,,\na,A again,community,,,,\n", "line 3: account 'a' is on line 2 already"),
        (f"{HEADER}\na,A,community,,,\n", "line 2: 6 cells where the header has 7"),
        (f"{HEADER}\na,,community,,,,\n", "line 2: name is empty"),
    ],
)
def test_a_bad_file_is_refused_with_where_and_nothing_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    assert run(["customers", "import", str(_file(tmp_path, text))]) == 2
    err = capsys.readouterr().err
    assert problem in err, err
    assert _export(capsys) == []


def test_an_identity_of_another_account_refuses_the_whole_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["customers", "import", str(_file(tmp_path, GOOD))]) == 0
    moved = f"{HEADER}\nnew,New,community,,,,\ninitech,Initech,community,,,,discord:81234\n"
    assert run(["customers", "import", str(_file(tmp_path, moved, "moved.csv"))]) == 2
    err = capsys.readouterr().err
    assert "discord:81234 belongs to someone in account 'acme' already; nothing was imported" in err
    assert [r["id"] for r in _export(capsys)] == ["acme", "globex"]


def test_tiers_yaml_customers_are_migrated_once_and_the_store_decides_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = DEFAULT_TIERS_FILE.read_text(encoding="utf-8")
    listed = shipped.replace(
        "customers: []",
        "customers:\n  - {id: acme, name: Acme Corp, tier: enterprise,"
        ' identities: ["slack:U0ACME1", "github:acme-dev"]}',
    )
    tiers = _file(tmp_path, listed, "tiers.yaml")
    monkeypatch.setenv("HELPLINE_SUPPORT__TIERS_FILE", str(tiers))
    [acme] = _export(capsys)
    assert (acme["id"], acme["name"], acme["tier"]) == ("acme", "Acme Corp", "enterprise")
    assert acme["identities"] == "github:acme-dev;slack:U0ACME1"
    # The store's account decides from now on: an import changes it, and tiers.yaml does not change it back.
    changed = f"{HEADER}\nacme,Acme Corp,white-glove,,,,slack:U0ACME1\n"
    assert run(["customers", "import", str(_file(tmp_path, changed, "changed.csv"))]) == 0
    assert [r["tier"] for r in _export(capsys)] == ["white-glove"]


def test_show_gives_people_tickets_usage_and_links_as_json_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["customers", "import", str(_file(tmp_path, GOOD))]) == 0
    asyncio.run(_history())
    capsys.readouterr()
    assert run(["customer", "show", "acme", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == {"account", "people", "tickets", "usage", "links", "health", "timeline", "journeys"}
    assert shown["timeline"] == []  # no outreach ran: the CLI never runs playbooks itself
    # The import started a journey for each Slack or Discord person (a CSV identity is a person of its own).
    assert sorted(j["person"] for j in shown["journeys"]) == ["discord:81234", "slack:U0ACME1"]
    # Nothing sent yet: the welcome (day 0) is next, due at once (enterprise hours are 24x7).
    assert all(j["step"] == 0 and j["next_due"] == j["started_at"] for j in shown["journeys"])
    assert shown["account"]["renewal_date"] == "2026-12-31" and shown["account"]["seats"] == 50
    assert [p["identities"] for p in shown["people"]] == [["discord:81234"], ["github:acme-dev"], ["slack:U0ACME1"]]
    assert [t["number"] for t in shown["tickets"]["open"]] == [2, 1]
    assert [(t["requester"], t["subject"]) for t in shown["tickets"]["open"]] == [
        ("discord:81234", "Login broken"),
        ("slack:U0ACME1", "Builds fail"),
    ]
    assert shown["usage"] == {
        "at": "2026-03-02T09:00:00+00:00",
        "active_users": 31,
        "seats": 40,
        "feature_adoption": 0.5,
        "plan_usage": None,
    }
    health = shown["health"]
    assert set(health) == {"score", "category", "trend", "reason", "missing", "parts"}
    assert set(health["parts"]) == {"usage", "engagement", "support", "satisfaction", "growth"}
    assert all(set(part) == {"score", "weight", "reason"} for part in health["parts"].values())
    # The tickets are from March, outside the last 30 days: usage (31/50 seats, adoption 0.5) is 56, nobody
    # wrote lately (engagement 0), support is untroubled (100); (0.3 x 56 + 0.2 x 100) / 0.75 = 49.07.
    assert (health["score"], health["category"], health["trend"]) == (49, "Critical", None)
    assert health["missing"] == ["satisfaction", "growth"]
    assert health["parts"]["usage"] == {
        "score": 56,
        "weight": 0.3,
        "reason": "31 active users of 50 seats; feature adoption 50%",
    }
    assert run(["customer", "show", "acme"]) == 0
    text = capsys.readouterr().out
    assert "Acme, Inc. (acme) — tier enterprise" in text and "#2 new high Login broken (discord:81234" in text
    assert "Health: 49 Critical (not enough history for a trend); no data for satisfaction, growth" in text
    assert "  usage (30%): 56 — 31 active users of 50 seats; feature adoption 50%" in text
    assert "  growth (10%): no data — fewer than two usage reports with seats in use" in text
    assert run(["customer", "show", "nobody"]) == 2
    assert "there is no account 'nobody'" in capsys.readouterr().err


async def _history() -> None:
    stores, engine = await open_stores(load_settings(None))
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    try:
        for n, (platform, user, subject) in enumerate(
            [("slack", "U0ACME1", "Builds fail"), ("discord", "81234", "Login broken"), ("slack", "U0OTHER", "x")]
        ):
            where = Address(platform, "W1", "C1", f"t{n}")
            at = t0.replace(hour=9 + n)
            draft = NewTicket("acme", "enterprise", where, user, user, subject, None, Priority.HIGH, at, None, None)
            await stores.tickets.open_ticket(draft, "helpline")
        await stores.customers.record_usage(Usage("acme", t0, active_users=31, seats=40, feature_adoption=0.5))
    finally:
        await engine.dispose()


def test_customers_health_scores_now_and_keeps_one_score_per_day(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(["customers", "import", str(_file(tmp_path, GOOD))]) == 0
    asyncio.run(_history())
    capsys.readouterr()
    assert run(["customers", "health", "acme"]) == 0
    assert capsys.readouterr().out.startswith("acme: 49 Critical (no data for satisfaction, growth;")
    assert run(["customers", "health"]) == 0  # every account, today's score replaced
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["acme", "globex"]
    assert asyncio.run(_scores("acme")) == [49]
    assert run(["customers", "health", "nobody"]) == 2
    assert "there is no account 'nobody'" in capsys.readouterr().err


async def _scores(account: str) -> list[int]:
    stores, engine = await open_stores(load_settings(None))
    try:
        return [h.score for h in await stores.health.history(account, datetime(2000, 1, 1, tzinfo=UTC).date())]
    finally:
        await engine.dispose()


def test_import_starts_the_journeys_of_people_with_slack_or_discord_identities(tmp_path: Path) -> None:
    assert run(["customers", "import", str(_file(tmp_path, GOOD))]) == 0

    async def journeys() -> list[tuple[str, str, str]]:
        stores, engine = await open_stores(load_settings())
        try:
            return [(p.person, p.tier, p.source) for p in await stores.journeys.active()]
        finally:
            await engine.dispose()

    # Each CSV identity is a person: Acme's Slack and Discord people get the enterprise journey, its GitHub
    # person (no direct messages) and Globex's e-mail person none.
    started = [("discord:81234", "enterprise", "import"), ("slack:U0ACME1", "enterprise", "import")]
    assert sorted(asyncio.run(journeys())) == started
    assert run(["customers", "import", str(_file(tmp_path, GOOD))]) == 0  # importing again starts nothing new
    assert sorted(asyncio.run(journeys())) == started
