"""The ``server:`` section of the settings: where ``helpline serve`` listens, and the address people reach it at."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


class ServerSettings(BaseModel):
    """The HTTP server of ``helpline serve``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    # Where people reach the server, e.g. https://help.example.com behind a reverse proxy; sign-in links start
    # with it. Empty: http://HOST:PORT.
    public_url: str = ""

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        text = value.strip()
        if not text:
            return ""
        if not _web_address(text):
            raise PydanticCustomError(
                "public_url",
                f"{value!r} is not an http:// or https:// address like https://help.example.com "
                "(no query, fragment or user name)",
            )
        return text.rstrip("/")

    def base_url(self) -> str:
        """The address links to this server start with: ``public_url``, else ``http://HOST:PORT``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return self.public_url or f"http://{host}:{self.port}"


def _web_address(text: str) -> bool:
    """An http(s) address with a host (and maybe a port and a path), nothing else."""
    try:
        url = urlsplit(text)
        port_ok = url.port != 0
    except ValueError:  # an unclosed [IPv6, or a port that is not a number
        return False
    plain = not (url.query or url.fragment or url.username is not None)
    return url.scheme in ("http", "https") and bool(url.hostname) and port_ok and plain
