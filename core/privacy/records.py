"""What the privacy office keeps: the audit of exports and erasures, by a digest of the identity."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from core.errors import HelplineError

_IDENTITY = re.compile(r"[a-z][a-z0-9_-]{0,31}:[^\s:][^\s]{0,253}")
REQUESTED = "forget-request"  # the audit action of ``/helpline forget me``: a lead approves with ``privacy forget``
FORGOTTEN = "forgotten"  # what an erased identity's rows say instead, with the row's id after it


class IdentityError(HelplineError):
    """An identity that is not ``platform:id``."""


def checked_identity(text: str) -> str:
    """``text`` as an identity ``platform:id`` (``console:pat``, ``slack:U123``), or ``IdentityError``."""
    identity = text.strip()
    if not _IDENTITY.fullmatch(identity):
        raise IdentityError(f"{text!r} is not an identity like 'console:pat' or 'slack:U123' (platform:id)")
    return identity


def subject_of(identity: str) -> str:
    """The SHA-256 of ``identity``: what the audit keeps instead of the identity itself."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PrivacyAudit:
    """One export or erasure: who asked, when, about whom (as a digest) and what it found or erased."""

    at: datetime
    actor: str
    action: str  # "export" or "forget"
    subject: str
    counts: Mapping[str, int] = field(default_factory=dict)
