"""No log line carries a customer's secret or a configured one."""

from __future__ import annotations

import logging

import pytest

from core.privacy.logs import RedactingFilter, configured_secrets, redact_logs
from core.privacy.redaction import Redactor
from tests.unit.test_redaction import GITHUB

ENVIRON = {
    "SLACK_BOT_TOKEN": "xoxb-not-a-real-one-but-long",
    "HELPLINE_DASHBOARD_SECRET": "s3cr3t-dashboard-value",
    "DATABASE_URL": "postgresql://helpline:pw-in-url@db/helpline",
    "HELPLINE_API_TOKEN": "short",  # too short to hunt for in every line
    "HELPLINE_EMAIL_PASSWORD_SUPPORT": "mailbox-password-value",  # one mailbox's password
    "HOME": "/root/very-long-home-path",
}


def test_secret_named_variables_are_the_ones_hunted_for() -> None:
    assert set(configured_secrets(ENVIRON)) == {
        "xoxb-not-a-real-one-but-long",
        "s3cr3t-dashboard-value",
        "postgresql://helpline:pw-in-url@db/helpline",
        "mailbox-password-value",
    }


def test_a_record_loses_its_secrets_and_keeps_its_words(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("helpline.test.privacy")
    handler = logging.Handler()
    lines: list[str] = []
    handler.emit = lambda record: lines.append(handler.format(record))  # type: ignore[method-assign]
    handler.addFilter(RedactingFilter(Redactor(), configured_secrets(ENVIRON)))
    logger.addHandler(handler)
    try:
        logger.warning("could not post %s for %s with %s", GITHUB, "pat@example.com", "s3cr3t-dashboard-value")
        try:
            raise ValueError(f"bad url postgresql://helpline:pw-in-url@db/helpline and {GITHUB}")
        except ValueError:
            logger.exception("database failed")
    finally:
        logger.removeHandler(handler)
    assert lines[0] == "could not post [github-token] for [email] with [secret]"
    assert lines[1].startswith("database failed") and "ValueError: bad url [secret] and [github-token]" in lines[1]
    assert all(GITHUB not in line and "pw-in-url" not in line for line in lines)


def test_installing_twice_adds_one_filter_per_handler() -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    try:
        redact_logs(environ=ENVIRON)
        redact_logs(environ=ENVIRON)
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    finally:
        root.removeHandler(handler)


def test_positional_arguments_stay_for_formatters_that_read_them() -> None:
    # uvicorn's access formatter unpacks record.args (client, method, path, version, status).
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/x?t={GITHUB}", "1.1", 200),
        None,
    )
    RedactingFilter(Redactor()).filter(record)
    assert isinstance(record.args, tuple) and len(record.args) == 5
    client, method, path, version, status = record.args
    assert (client, method, version, status) == ("127.0.0.1:5000", "GET", "1.1", 200)
    assert path == "/x?t=[github-token]"
    assert record.getMessage() == '127.0.0.1:5000 - "GET /x?t=[github-token] HTTP/1.1" 200'
