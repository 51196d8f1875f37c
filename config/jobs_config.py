"""The ``jobs:`` section of the settings: how the durable job drains (Slack events, GitHub work) run."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class JobSettings(BaseModel):
    """How many jobs each drain runs at once in one process."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Jobs of different conversations run side by side (a thread waits for the model or a platform while
    # another is answered); one conversation's jobs always run one at a time, in the order they arrived.
    concurrency: int = Field(8, ge=1, le=256)
