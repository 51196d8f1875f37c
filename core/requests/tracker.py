"""Feature requests followed by tracker issues (GitHub): reading an issue's URL, the jobs the GitHub bot runs
for them, and which votes follow the issue's 👍 reactions."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.messages import GITHUB, Address
from core.requests.records import REACTION_LINK, Vote

# https://github.com/OWNER/REPO/issues/N (any host: GitHub Enterprise too), with an optional #fragment.
_ISSUE_URL = re.compile(
    r"https?://[^/\s]+/([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})/issues/([0-9]{1,9})/?(?:#\S*)?"
)
# The jobs the core leaves on the GitHub queue for the bot: create a request's issue, count its reactions.
CREATE_ISSUE = "request_issue"
SYNC_REACTIONS = "request_reactions"


@dataclass(frozen=True)
class IssueJob:
    """A GitHub job about a request's issue: ``repo`` (``owner/name``), ``issue`` (0 until created), ``label``."""

    request: int
    repo: str
    issue: int = 0
    label: str = ""
    by: str = ""

    def encode(self) -> bytes:
        """JSON for the job payload."""
        fields = {"request": self.request, "repo": self.repo, "issue": self.issue, "label": self.label, "by": self.by}
        return json.dumps(fields).encode("utf-8")

    @classmethod
    def decode(cls, payload: bytes) -> IssueJob:
        """Read what ``encode`` wrote; ``ValueError`` if it is not that."""
        data = json.loads(payload)
        try:
            return cls(int(data["request"]), str(data["repo"]), int(data["issue"]), str(data["label"]), str(data["by"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a request-issue payload: {exc}") from None

    @property
    def address(self) -> Address:
        """The issue's address (as the GitHub adapter addresses issues)."""
        owner, _, name = self.repo.partition("/")
        return Address(GITHUB, owner, name, str(self.issue))


def request_marker(number: int) -> str:
    """The line an issue opened for request ``number`` carries, so a retried creation finds it instead of opening
    a second one."""
    return f"Feature request #{number} in Helpline; 👍 this issue to vote for it."


def issue_at(url: str) -> Address | None:
    """The address of the GitHub issue at ``url``; None when it is not an issue's URL."""
    found = _ISSUE_URL.fullmatch(url.strip())
    if found is None or found.group(2) in (".", ".."):
        return None
    return Address(GITHUB, found.group(1), found.group(2), str(int(found.group(3))))


def issue_web_url(issue: Address) -> str:
    """Where people see a github.com issue."""
    return f"https://github.com/{issue.workspace}/{issue.channel}/issues/{issue.thread}"


def reaction_identity(login: str) -> str:
    """The identity a GitHub login votes as."""
    return f"{GITHUB}:{login}"


def withdrawn(votes: Sequence[Vote], logins: Sequence[str]) -> list[str]:
    """The identities whose 👍 is gone: votes counted from a reaction whose login no longer reacts."""
    reacting = {reaction_identity(login).lower() for login in logins}
    return [
        vote.voter.identity
        for vote in votes
        if vote.voter.link == REACTION_LINK and vote.voter.identity.lower() not in reacting
    ]
