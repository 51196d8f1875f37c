"""Sealing kept originals: Fernet (AES-128-CBC with an HMAC-SHA256 tag) under a key from the environment.

``cryptography``'s Fernet does authenticated encryption with a timestamp in one well-reviewed call, so nothing
here handles a cipher, an IV or a MAC by hand. The key is the 44-character URL-safe base64 text that
``helpline privacy new-key`` prints; it lives in ``HELPLINE_ORIGINALS_KEY`` only, never in a file Helpline reads.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from core.errors import HelplineError

KEY_VARIABLE = "HELPLINE_ORIGINALS_KEY"


class SealError(HelplineError):
    """A key that is not a Fernet key, or a sealed original that this key did not seal (or that was altered)."""


def new_key() -> str:
    """A fresh random key for ``HELPLINE_ORIGINALS_KEY``."""
    return Fernet.generate_key().decode("ascii")


class Sealer:
    """Seals text and opens what it sealed; anything else (another key, a changed byte) is refused."""

    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.strip().encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise SealError(
                f"{KEY_VARIABLE} is not a key Helpline can use: it must be 44 characters of URL-safe base64, "
                "as 'helpline privacy new-key' prints"
            ) from None

    def seal(self, text: str) -> bytes:
        """``text`` encrypted and authenticated."""
        return self._fernet.encrypt(text.encode("utf-8"))

    def open(self, sealed: bytes) -> str:
        """The text ``sealed`` holds; ``SealError`` when this key did not seal it or it was changed."""
        try:
            return self._fernet.decrypt(sealed).decode("utf-8")
        except InvalidToken:
            raise SealError(
                f"an original could not be opened with this {KEY_VARIABLE}: it was sealed with another key, "
                "or the stored bytes were changed"
            ) from None
