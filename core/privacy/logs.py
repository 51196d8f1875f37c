"""Log lines without secrets: every record is redacted like a customer's text, and the configured secrets go too.

A log line can quote a customer (a failed message, a traceback holding the text) or a setting (a database
URL with its password). The filter sits on the handlers, so it sees each record once, after its arguments
are filled in, whichever logger wrote it.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping

from core.privacy.redaction import Redactor

# Environment variables whose values are credentials: Helpline's own and the platforms' (docs/privacy.md).
_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIALS)(_[A-Z0-9]+)?$|DATABASE_URL$")
_SHORTEST = 8  # shorter values (a "1", a "true") would blank ordinary words out of every line


def configured_secrets(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The values of the environment's secret-named variables, longest first."""
    values = {value for name, value in environ.items() if _SECRET_NAME.search(name.upper()) and len(value) >= _SHORTEST}
    return tuple(sorted(values, key=len, reverse=True))


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback) with secrets and personal data replaced."""

    def __init__(self, redactor: Redactor, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._redactor = redactor
        self._secrets = tuple(secrets)

    def clean(self, text: str) -> str:
        """``text`` without the configured secrets and without anything the redactor finds."""
        for secret in self._secrets:
            text = text.replace(secret, "[secret]")
        return self._redactor.redact(text).text

    def _argument(self, value: object) -> object:
        if isinstance(value, bool | int | float) or value is None:
            return value
        text = value if isinstance(value, str) else str(value)
        cleaned = self.clean(text)
        return value if cleaned == text else cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; only its text changes."""
        # The arguments stay arguments: formatters such as uvicorn's access log read them by position.
        if isinstance(record.msg, str):
            record.msg = self.clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._argument(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: self._argument(value) for key, value in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


def redact_logs(redactor: Redactor | None = None, environ: Mapping[str, str] = os.environ) -> RedactingFilter:
    """Put one redacting filter on every handler there is (call again after a server configures its loggers)."""
    found = RedactingFilter(redactor or Redactor(), configured_secrets(environ))
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    handlers = {handler for logger in loggers if isinstance(logger, logging.Logger) for handler in logger.handlers}
    for handler in handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(found)
    return found
