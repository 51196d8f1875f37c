"""What the bot does on GitHub, as data: a list of steps on one issue, stored as a job until done.

Steps run in order; when GitHub rate-limits one, the job keeps only the steps not yet done, so a
comment is not posted twice when the labels after it had to wait.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class Op(StrEnum):
    """One kind of call on an issue."""

    LABELS = "labels"
    UNLABEL = "unlabel"  # remove the labels named (absent ones are fine)
    COMMENT = "comment"
    CLOSE = "close"
    REOPEN = "reopen"
    REACT = "react"  # 👍 on a comment: a command was done


@dataclass(frozen=True)
class Step:
    """One call; ``labels``, ``body`` or ``comment_id`` as the op needs."""

    op: Op
    labels: tuple[str, ...] = ()
    body: str = ""
    comment_id: int = 0


@dataclass(frozen=True)
class IssueActions:
    """Steps to take on issue ``number`` of ``repo`` (``owner/name``)."""

    repo: str
    number: int
    steps: tuple[Step, ...]

    def encode(self) -> bytes:
        """JSON for the job payload."""
        steps = [
            {"op": s.op.value, "labels": list(s.labels), "body": s.body, "comment_id": s.comment_id} for s in self.steps
        ]
        return json.dumps({"repo": self.repo, "number": self.number, "steps": steps}).encode("utf-8")

    @classmethod
    def decode(cls, payload: bytes) -> IssueActions:
        """Read what ``encode`` wrote; ``ValueError`` if it is not that."""
        data = json.loads(payload)
        try:
            steps = tuple(
                Step(Op(s["op"]), tuple(str(x) for x in s["labels"]), str(s["body"]), int(s["comment_id"]))
                for s in data["steps"]
            )
            return cls(str(data["repo"]), int(data["number"]), steps)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not an issue-actions payload: {exc}") from None

    def rest(self, done: int) -> IssueActions:
        """The same actions without the first ``done`` steps."""
        return IssueActions(self.repo, self.number, self.steps[done:])
