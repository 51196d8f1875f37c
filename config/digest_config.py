"""The ``digest:`` section of the settings: when the weekly digest is posted and to which staff channel."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from config.sla_config import Zone, post_address
from core.analytics.digest import DigestSchedule
from core.messages import Address
from core.sla.calendars import WEEKDAYS


def _weekday(value: object) -> int:
    text = value.strip().lower()[:3] if isinstance(value, str) else None
    if text is None or text not in WEEKDAYS:
        raise PydanticCustomError("weekday", f"{value!r} is not a weekday like monday or mon")
    return WEEKDAYS.index(text)


def _time(value: object) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value).strip()) if isinstance(value, str) else _bad(value)
    except ValueError:
        return _bad(value)


def _bad(value: object) -> dt.time:
    raise PydanticCustomError("time", f'{value!r} is not a time like "09:00" (quote it)')


class DigestSettings(BaseModel):
    """The weekly digest; off until enabled with a channel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    weekday: Annotated[int, BeforeValidator(_weekday)] = 0
    time: Annotated[dt.time, BeforeValidator(_time)] = dt.time(9, 0)
    timezone: Zone = "UTC"
    channel: Annotated[str, BeforeValidator(post_address)] | None = None

    @model_validator(mode="after")
    def _needs_channel(self) -> DigestSettings:
        if self.enabled and self.channel is None:
            raise PydanticCustomError("channel", "the digest is enabled but names no channel to post to")
        return self

    def schedule(self) -> DigestSchedule | None:
        """The schedule, or None when the digest is off."""
        if not self.enabled or self.channel is None:
            return None
        return DigestSchedule(self.weekday, self.time, self.timezone, Address.parse(self.channel))
