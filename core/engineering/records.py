"""The engineering hand-over's records: the GitHub job that opens the issue, and the link it leaves."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from core.messages import GITHUB, Address

ENGINEERING_ISSUE = "engineering_issue"  # the GitHub queue's job kind: open the ticket's engineering issue


@dataclass(frozen=True)
class EngineeringPolicy:
    """Where ``escalate N engineering`` opens its issue (``owner/name``; empty: refused) and with which label."""

    repo: str = ""
    label: str = "support-escalation"


@dataclass(frozen=True)
class EngineeringJob:
    """Open (or find again) ticket ``ticket``'s issue in ``repo``, for ``by``."""

    ticket: int
    repo: str
    label: str
    by: str

    def encode(self) -> bytes:
        """JSON for the job payload."""
        return json.dumps(vars(self)).encode("utf-8")

    @classmethod
    def decode(cls, payload: bytes) -> EngineeringJob:
        """Read what ``encode`` wrote; ``ValueError`` if it is not that."""
        data = json.loads(payload)
        try:
            return cls(int(data["ticket"]), str(data["repo"]), str(data["label"]), str(data["by"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not an engineering-issue payload: {exc}") from None


@dataclass(frozen=True)
class EngineeringLink:
    """A ticket followed by an engineering issue."""

    ticket: int
    issue: Address  # the issue as the GitHub adapter addresses it: github:owner/name/number
    url: str
    by: str
    at: datetime
    closed_at: datetime | None = None


def issue_address(repo: str, number: int) -> Address:
    """The address of issue ``number`` in ``repo`` (``owner/name``)."""
    owner, _, name = repo.partition("/")
    return Address(GITHUB, owner, name, str(number))


def ticket_marker(number: int) -> str:
    """The line the issue for ticket ``number`` carries, so a retried job finds it instead of opening another."""
    return f"Escalated from Helpline ticket #{number}."
