"""Errors with text that is safe to show to a user.

Anything that is not a ``HelplineError`` is a bug: it is logged with its traceback and
the user only sees a short generic reply.
"""

from __future__ import annotations


class HelplineError(Exception):
    """An error whose message is written for the person who caused it."""


class ConfigError(HelplineError):
    """A configuration file is missing, unreadable or has a bad value."""

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {problem}")


class DataError(HelplineError):
    """An input data file (corpus, evaluation set) cannot be used as given."""


class IndexNotBuiltError(HelplineError):
    """The knowledge index has not been built yet."""
