"""Dashboard passwords: argon2id hashes (argon2-cffi), checked without raising, refused when too short or too long."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import HelplineError

MIN_LENGTH = 12
# Hashing costs the same for any length, but reading and encoding a huge one does not; nobody types more.
MAX_LENGTH = 1024


class PasswordError(HelplineError):
    """A password that cannot be used; the message says why."""


def checked_password(password: str) -> str:
    """``password`` if it can be kept; ``PasswordError`` naming the rule it breaks (empty, short, long)."""
    if not password.strip():
        raise PasswordError("the password is empty; give one of at least 12 characters")
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"the password is {len(password)} characters long; it needs at least {MIN_LENGTH}")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"the password is longer than {MAX_LENGTH} characters; choose a shorter one")
    return password


class Passwords:
    """Hashes and checks passwords with argon2id; the hash carries its own salt and parameters."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        # argon2-cffi's defaults follow RFC 9106's recommendation; tests pass a cheaper hasher.
        self._hasher = hasher if hasher is not None else PasswordHasher()

    def hash(self, password: str) -> str:
        """The hash to keep for ``password``, once it passes ``checked_password``."""
        return self._hasher.hash(checked_password(password))

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` is the one hashed; False (never an exception) for a wrong one or a broken hash."""
        if not password or len(password) > MAX_LENGTH:
            return False
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):  # a mismatch, or a hash that is not argon2's
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than today's (hash the password again on sign-in)."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
