"""The parts of GitHub's webhook payloads that Helpline reads, as typed models checked at the edge.

Only the keys used are listed; GitHub sends many more, which are ignored. Types are strict (a title
of ``42`` is refused, not turned into text), text must be valid Unicode (JSON can spell a lone
surrogate, which nothing downstream can store), and the owner and repository names, which end up
in the paths of API calls, must be names GitHub allows, so ``../x`` never reaches a URL.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

# GitHub's own rules: logins are letters, digits and hyphens (enterprise-managed ones add "_code",
# apps end in "[bot]"); repository names are letters, digits, ".", "-" and "_", never "." or "..".
_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}(?:\[bot\])?")
_REPOSITORY = re.compile(r"[A-Za-z0-9._-]{1,100}")


def _unicode(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("holds text that is not valid Unicode (a lone surrogate)") from None
    return value


def _login(value: str) -> str:
    if not _LOGIN.fullmatch(value):
        raise ValueError("is not a GitHub login")
    return value


def _repository(value: str) -> str:
    if not _REPOSITORY.fullmatch(value) or value in (".", ".."):
        raise ValueError("is not a GitHub repository name")
    return value


Text = Annotated[str, AfterValidator(_unicode)]
Login = Annotated[str, AfterValidator(_login)]
RepositoryName = Annotated[str, AfterValidator(_repository)]
Count = Annotated[int, Field(ge=0)]


class _Part(BaseModel):
    """A JSON object of GitHub's: the listed keys with their documented types; the rest is ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class UserPayload(_Part):
    """``user``, ``sender``: someone on GitHub."""

    login: Login
    type: Text | None = None  # "User", "Bot" or "Organization"


class IssuePayload(_Part):
    """``issue``: an issue (or a pull request, when ``pull_request`` is present)."""

    number: Count
    id: Count
    user: UserPayload
    title: Text | None = None
    body: Text | None = None  # null when the issue has no description
    state: Text | None = None
    state_reason: Text | None = None  # on a closed issue: "completed", "not_planned" or "duplicate"
    pull_request: dict[str, object] | None = None


class CommentPayload(_Part):
    """``comment``: a comment on an issue."""

    id: Count
    user: UserPayload
    body: Text | None = None


class OwnerPayload(_Part):
    """``repository.owner``: the user or organisation owning the repository."""

    login: Login


class RepositoryPayload(_Part):
    """``repository``: where the event happened."""

    owner: OwnerPayload
    name: RepositoryName


class PingPayload(_Part):
    """A ``ping`` delivery."""

    zen: Text | None = None


class LabelPayload(_Part):
    """``label``: the label an ``issues.labeled`` delivery added."""

    name: Text


class IssuesPayload(_Part):
    """The top level of an ``issues`` delivery."""

    repository: RepositoryPayload
    issue: IssuePayload
    action: Text
    sender: UserPayload
    label: LabelPayload | None = None


class IssueCommentPayload(_Part):
    """The top level of an ``issue_comment`` delivery."""

    repository: RepositoryPayload
    issue: IssuePayload
    action: Text
    comment: CommentPayload


_SAYS = {
    "missing": "is missing",
    "string_type": "is not a string",
    "int_type": "is not a number",
    "greater_than_equal": "is not a number of zero or more",
    "model_type": "is not an object",
    "dict_type": "is not an object",
}


def problem(exc: ValidationError) -> str:
    """The first thing wrong with a payload, named by its path: ``issue.title is not a string``."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "the payload"
    says = _SAYS.get(error["type"]) or str(error["msg"]).removeprefix("Value error, ")
    return f"{where} {says}"
