"""A whole console session with every secret configured: no log line and no stored row holds one.

The customer pastes tokens and personal data; the run logs at INFO (``-v``). Every log line and every
stored message is then searched for the configured secrets and the pasted ones.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.test_console import converse, database, shared_data  # noqa: F401 - fixtures
from tests.unit.test_redaction import AWS, GITHUB, SLACK

pytestmark = pytest.mark.model

CONFIGURED = {
    "SLACK_BOT_TOKEN": "xoxb-configured-slack-token-value-0001",
    "SLACK_SIGNING_SECRET": "configured-signing-secret-0002",
    "DISCORD_TOKEN": "configured-discord-token-0003",
    "GITHUB_TOKEN": "configured-github-token-0004",
    "GITHUB_WEBHOOK_SECRET": "configured-webhook-secret-0005",
    "HELPLINE_DASHBOARD_SECRET": "configured-dashboard-secret-0006",
    "HELPLINE_API_TOKEN": "configured-api-token-0007",
    "HELPLINE_METRICS_TOKEN": "configured-metrics-token-0008",
    "HELPLINE_ORIGINALS_KEY": "Zm9yLXRoZS10ZXN0LW9ubHktbm90LWEtcmVhbC1rZXk9",
    "HELPLINE_EMAIL_PASSWORD_SUPPORT": "configured-mail-password-0009",
    "HELPLINE_EMAIL_SECRET": "configured-mail-secret-0010",
}
PASTED = (GITHUB, SLACK, AWS, "pat@example.com")


def test_no_secret_reaches_a_log_line_or_the_database(
    database: Path,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name, value in CONFIGURED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HELPLINE_MODEL__BACKEND", "torch")  # the backend the session's index was built with
    caplog.set_level(logging.DEBUG)
    message = f"my deploys fail with 401, token {GITHUB}, bot {SLACK}, key {AWS}, mail pat@example.com"
    outputs = converse([message, "3"], "--user", "pat", monkeypatch=monkeypatch, capsys=capsys)
    said = " ".join(str(output.get("text", "")) for output in outputs)
    assert "revoke" in said and GITHUB not in said
    lines = [caplog.handler.format(record) for record in caplog.records]
    assert any("removed github-token" in line for line in lines)  # the run did log at INFO
    for line in lines:
        for secret in (*CONFIGURED.values(), *PASTED):
            assert secret not in line
    with sqlite3.connect(database) as db:
        stored = [row[0] + row[1].decode("utf-8", "replace") for row in db.execute("SELECT text, raw FROM messages")]
        subjects = [row[0] for row in db.execute("SELECT subject FROM tickets")]
    assert stored and subjects
    for text in (*stored, *subjects):
        for secret in PASTED:
            assert secret not in text
