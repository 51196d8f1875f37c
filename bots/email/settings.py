"""The e-mail adapter's settings, all from the environment (docs/email.md names every variable).

``HELPLINE_EMAIL_MAILBOXES`` lists the mailboxes (``support@example.com,enterprise@example.com``); each one's
password is ``HELPLINE_EMAIL_PASSWORD_<LOCAL>`` (``HELPLINE_EMAIL_PASSWORD_SUPPORT``), its login the mailbox
unless ``HELPLINE_EMAIL_USER_<LOCAL>`` says otherwise. TLS is on unless ``HELPLINE_EMAIL_PLAIN=1`` (local tests).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import HelplineError


class EmailSettingsError(HelplineError):
    """An e-mail variable that cannot be used, named with the reason."""


@dataclass(frozen=True)
class Mailbox:
    """One address customers write to, and how Helpline logs in to it."""

    address: str
    user: str
    password: str


@dataclass(frozen=True)
class EmailSettings:
    """Where mail comes in and goes out."""

    mailboxes: tuple[Mailbox, ...]
    smtp_host: str
    smtp_port: int
    imap_host: str
    imap_port: int
    tls: bool
    secret: str  # signs reply addresses and Message-IDs
    poll_seconds: float = 30.0  # between looks at a mailbox whose server has no IDLE

    def mailbox(self, address: str) -> Mailbox | None:
        """The configured mailbox ``address`` names, if any."""
        return next((box for box in self.mailboxes if box.address == address.lower()), None)


_ADDRESS = re.compile(r"^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$")


def email_settings(env: Mapping[str, str]) -> EmailSettings:
    """Read the e-mail variables; ``EmailSettingsError`` naming the variable when one is wrong."""
    tls = env.get("HELPLINE_EMAIL_PLAIN", "").strip() != "1"
    boxes = []
    for item in env.get("HELPLINE_EMAIL_MAILBOXES", "").split(","):
        address = item.strip().lower()
        if not address:
            continue
        if not _ADDRESS.match(address) or "+" in address:
            raise EmailSettingsError(f"HELPLINE_EMAIL_MAILBOXES: {address!r} is not a mailbox like support@example.com")
        local = re.sub(r"[^A-Z0-9]", "_", address.partition("@")[0].upper())
        password = env.get(f"HELPLINE_EMAIL_PASSWORD_{local}", "")
        user = env.get(f"HELPLINE_EMAIL_USER_{local}", "").strip() or address
        boxes.append(Mailbox(address, user, password))
    if not boxes:
        raise EmailSettingsError("HELPLINE_EMAIL_MAILBOXES lists no mailbox")
    secret = env.get("HELPLINE_EMAIL_SECRET", "").strip()
    if len(secret) < 16:
        raise EmailSettingsError("HELPLINE_EMAIL_SECRET must be at least 16 characters (it signs reply addresses)")
    return EmailSettings(
        tuple(boxes),
        env.get("HELPLINE_EMAIL_SMTP_HOST", "").strip(),
        _port(env, "HELPLINE_EMAIL_SMTP_PORT", 465 if tls else 25),
        env.get("HELPLINE_EMAIL_IMAP_HOST", "").strip(),
        _port(env, "HELPLINE_EMAIL_IMAP_PORT", 993 if tls else 143),
        tls,
        secret,
        _seconds(env, "HELPLINE_EMAIL_POLL_SECONDS", 30.0),
    )


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise EmailSettingsError(f"{name}: {text!r} is not a port number")
    return int(text)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise EmailSettingsError(f"{name}: {text!r} is not a number of seconds between 0 and 3600")
    return value
