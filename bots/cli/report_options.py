"""What ``helpline report`` is asked for: the period from ``--since`` or ``--from``/``--to``, and the filters.

Every mistake is one sentence naming the option and, for a name, the known ones; nothing is computed first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from config.addresses import PLATFORMS
from core.errors import HelplineError
from core.sla.deadlines import parse_duration
from core.tickets.records import Priority
from core.tiers import TierDirectory
from core.understanding.intents import IntentCatalog

DEFAULT_PERIOD = timedelta(days=30)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_SHOWN = 40  # characters of a refused value quoted back


class ReportOptionError(HelplineError):
    """An option of ``helpline report`` that cannot be used as given."""


def period(since: str | None, start: str | None, end: str | None, now: datetime) -> tuple[datetime, datetime]:
    """The period ``[start, end)`` in UTC: ``--since`` back from now, or ``--from``/``--to``; default 30 days.

    A bare date in ``--to`` includes that whole day (``--from 2026-11-01 --to 2026-11-30`` is November).
    """
    if since is not None and (start is not None or end is not None):
        raise ReportOptionError("--since and --from/--to both give the period: use one of them")
    if since is not None:
        try:
            length = parse_duration(since.strip())
        except ValueError as exc:
            raise ReportOptionError(f"--since: {exc}") from None
        return now - length, now
    stop = moment("--to", end, end_of_day=True) if end is not None else None
    first = moment("--from", start) if start is not None else None
    if first is None:
        stop = stop or now
        return stop - DEFAULT_PERIOD, stop
    if stop is None:
        if first >= now:
            raise ReportOptionError(f"--from {start} is not in the past: a report covers what has happened")
        return first, now
    if stop <= first:
        raise ReportOptionError(f"--to {end} is not after --from {start}: the period would be empty")
    return first, stop


def moment(option: str, text: str, *, end_of_day: bool = False) -> datetime:
    """A date (``2026-11-01``) or time (``2026-11-01T09:30``, ``…+01:00``) in UTC; a bare time counts as UTC."""
    value = text.strip()
    try:
        if _DATE.match(value):
            day = date.fromisoformat(value)
            start = datetime.combine(day, time(), UTC)
            return start + timedelta(days=1) if end_of_day else start
        parsed = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        raise ReportOptionError(
            f"{option} {_shown(text)} is not a date like 2026-11-01 or a time like 2026-11-01T09:30"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def tier(name: str | None, tiers: TierDirectory) -> str | None:
    """``--tier``: one of the configured tiers."""
    return _known("--tier", name, [t.name for t in tiers.tiers], "tiers")


def platform(name: str | None) -> str | None:
    """``--platform``: one of Helpline's platforms."""
    return _known("--platform", name, PLATFORMS, "platforms")


def priority(name: str | None) -> Priority | None:
    """``--priority``: critical, high, medium or low."""
    known = _known("--priority", name, [p.value for p in Priority], "priorities")
    return None if known is None else Priority(known)


def intents(name: str | None, catalog: IntentCatalog) -> frozenset[str] | None:
    """``--intent``: an intent's name, or a category standing for each of its intents."""
    if name is None:
        return None
    wanted = name.strip()
    names = [spec.name for spec in catalog.intents]
    if wanted in names:
        return frozenset({wanted})
    of_category = frozenset(spec.name for spec in catalog.intents if spec.category == wanted)
    if of_category:
        return of_category
    categories = sorted({spec.category for spec in catalog.intents})
    hint = _hint(wanted, [*names, *categories])
    raise ReportOptionError(
        f"--intent {_shown(name)} is neither an intent nor a category{hint}; "
        f"intents are {', '.join(names)}; categories are {', '.join(categories)}"
    )


def person(option: str, value: str | None) -> str | None:
    """``--agent`` or ``--customer``: any non-empty text (who they are is the store's business)."""
    if value is None:
        return None
    if not value.strip():
        raise ReportOptionError(f"{option} is empty: give an id such as slack:U123, or leave the option out")
    return value.strip()


def _known(option: str, name: str | None, known: Iterable[str], plural: str) -> str | None:
    if name is None:
        return None
    choices = list(known)
    wanted = name.strip()
    if wanted in choices:
        return wanted
    if wanted.lower() in choices:
        return wanted.lower()
    raise ReportOptionError(
        f"{option} {_shown(name)} is unknown{_hint(wanted, choices)}; {plural} are {', '.join(choices)}"
    )


def _hint(wanted: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(wanted.lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _shown(text: str) -> str:
    return repr(text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…")
