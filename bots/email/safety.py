"""Mail Helpline must not answer: auto-replies, bounces and bulk; and a per-sender rate limit.

Answering an out-of-office with an acknowledgement that is itself answered by the out-of-office is a mail loop;
so is replying to a bounce. These are recognised by their headers (RFC 3834 ``Auto-Submitted``, ``Precedence``,
Microsoft's ``X-Auto-Response-Suppress``), their senders (mailer-daemon, postmaster) and their shape
(``multipart/report``, the delivery and read reports).
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from bots.email.mime import ParsedMail

_ROBOT_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply")
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})


def automatic_reason(mail: ParsedMail) -> str | None:
    """Why ``mail`` was sent by a machine (so it opens nothing and gets no reply), or None for a person's."""
    auto_submitted = mail.header("Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = mail.header("Precedence").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id", "List-Unsubscribe"):
        if mail.header(name).strip():
            return f"{name} header"
    if mail.content_type == "multipart/report":
        return "a delivery or read report (multipart/report)"
    local = mail.sender.partition("@")[0]
    if not mail.sender or local in _ROBOT_SENDERS:
        return f"sent by {mail.sender or 'no sender'}"
    return None


class SenderLimit:
    """At most ``count`` mails per sender within ``window``; the clock is the caller's."""

    def __init__(self, count: int = 10, window: timedelta = timedelta(hours=1)) -> None:
        self._count = count
        self._window = window
        self._seen: dict[str, deque[datetime]] = {}

    def allow(self, sender: str, now: datetime) -> bool:
        """Count one mail from ``sender`` at ``now``; False when it is over the limit (and is not counted)."""
        times = self._seen.setdefault(sender.lower(), deque())
        while times and now - times[0] >= self._window:
            times.popleft()
        if len(times) >= self._count:
            return False
        times.append(now)
        if len(self._seen) > 10_000:  # forget senders who have been quiet a whole window
            self._seen = {key: value for key, value in self._seen.items() if value and now - value[-1] < self._window}
        return True
