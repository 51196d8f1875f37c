"""Link codes: short enough to type from one screen into another, random enough that guessing is hopeless.

A code is ten characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), shown as ``ABCDE-FGHJK``:
about 49 bits. Five wrong codes in 15 minutes stop a person's attempts for that long, so a guesser gets about
480 tries a day against codes that live ten minutes. The store keeps only a code's SHA-256.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from core.staff.tokens import token_hash

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 10
CODE_LIFETIME = timedelta(minutes=10)
CODES_PER_HOUR = 3  # codes one person may ask for in an hour
WRONG_CODES = 5  # wrong codes one person may enter in ``WRONG_CODE_WINDOW``
WRONG_CODE_WINDOW = timedelta(minutes=15)


def new_code() -> str:
    """A fresh random code, shown as ``ABCDE-FGHJK``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalised(typed: str) -> str | None:
    """The code in what was typed (any case, with or without the dash and blanks); None if it cannot be one."""
    raw = "".join(typed.split()).replace("-", "").upper()
    if len(raw) != CODE_LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return raw


def code_hash(code: str) -> str:
    """What the store keeps of a code (normalised first): its SHA-256, hex."""
    raw = normalised(code)
    return token_hash(raw if raw is not None else code)
