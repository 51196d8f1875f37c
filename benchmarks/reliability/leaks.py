"""Secrets in messages: tokens, keys, card numbers and e-mails typed at the console never reach a stored row.

Each case is one secret of a kind the redactor knows, written into a customer's message in one of several
ways; the messages go through the console's reading of a line and the desk into a SQLite store, and then every
column of every row of every table is searched for the original.
"""

from __future__ import annotations

import random
import sqlite3
import string
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from benchmarks.reliability.figures import Figure, Tally
from benchmarks.reliability.sampling import SEED
from bots.console.app import new_identity
from bots.console.translate import read_line
from core.messages import Action, ChoiceMessage, IncomingMessage
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from tests.desk_fakes import Harness, make_harness

ALNUM = string.ascii_letters + string.digits
UPPER = string.ascii_uppercase + string.digits
Maker = Callable[[random.Random], str]


def _run(chosen: random.Random, alphabet: str, length: int) -> str:
    return "".join(chosen.choice(alphabet) for _ in range(length))


def _card(chosen: random.Random) -> str:
    """A 16-digit number that passes the Luhn check, grouped as people type it."""
    digits = [chosen.randrange(10) for _ in range(15)]
    total = sum((d * 2 - 9 if d > 4 else d * 2) if i % 2 == 0 else d for i, d in enumerate(reversed(digits)))
    number = "".join(map(str, digits)) + str(-total % 10)
    return chosen.choice(["", " ", "-"]).join(number[i : i + 4] for i in range(0, 16, 4))


def _iban(chosen: random.Random) -> str:
    """A German IBAN with a valid mod-97 check."""
    bban = _run(chosen, string.digits, 18)
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


KINDS: dict[str, Maker] = {
    "github-token": lambda c: "ghp_" + _run(c, ALNUM, 36),
    "github-pat": lambda c: "github_pat_" + _run(c, ALNUM + "_", 60),
    "slack-token": lambda c: f"xoxb-{_run(c, string.digits, 12)}-{_run(c, string.digits, 12)}-{_run(c, ALNUM, 24)}",
    "aws-key": lambda c: "AKIA" + _run(c, UPPER, 16),
    "stripe-key": lambda c: "sk_live_" + _run(c, ALNUM, 24),
    "google-key": lambda c: "AIza" + _run(c, ALNUM + "_-", 35),
    "api-key": lambda c: "sk-proj-" + _run(c, ALNUM, 32),
    "card": _card,
    "iban": _iban,
    "email": lambda c: f"{_run(c, string.ascii_lowercase, 8)}.{_run(c, string.ascii_lowercase, 5)}@example-mail.com",
}
# How a customer writes it: alone, in a sentence, in punctuation, in code, on a line of its own.
WAYS = (
    "the dashboard is down for everyone, my key is {}",
    "{}",
    "it crashes (I used {}), please help",
    "error 137 with `{}` set",
    "hello\nhere it is:\n{}\nthanks",
)


async def _converse(harness: Harness, user: str, lines: list[str]) -> None:
    """Type ``lines`` at the console as ``user``, asking for a person whenever the desk offers one."""
    identity = new_identity(user, frozenset())
    for number, line in enumerate(lines):
        typed = read_line(line, identity, (), number)
        assert isinstance(typed, IncomingMessage), typed  # every line here is a message, never a console command
        replies = await harness.desk.handle(typed)
        for choice in (c for r in replies for c in r.choices if c.action in (Action.HUMAN, Action.OPEN_TICKET)):
            picked = ChoiceMessage(identity.address, identity.author, choice.action, choice.ticket, f"{number}-pick")
            await harness.desk.handle(picked)
            break


def _stored(db: Path) -> list[str]:
    """Every value of every column of every table, as text."""
    values: list[str] = []
    with closing(sqlite3.connect(db)) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:
            for row in conn.execute(f'SELECT * FROM "{name}"'):
                values += [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row]
    return values


async def secrets_in_messages(size: int) -> Figure:
    """Probe 3: ``size`` secrets of each kind, each written one of ``WAYS``, kept out of every stored row."""
    chosen = random.Random(SEED)
    planted = [(kind, make(chosen)) for kind, make in KINDS.items() for _ in range(size)]
    with tempfile.TemporaryDirectory(prefix="helpline-reliability-") as folder:
        db = Path(folder) / "helpline.sqlite3"
        engine = create_engine_for(sqlite_url(db))
        try:
            await upgrade_schema(engine)
            harness = make_harness(store=sql_stores(engine))
            for n, (_, secret) in enumerate(planted):
                first, second = WAYS[n % len(WAYS)], WAYS[(n + 1) % len(WAYS)]
                lines = [f"{first.format(secret)} (case {n:05d})", second.format(secret)]
                await _converse(harness, f"customer{n}", lines)
            await harness.worker.run_once()
        finally:
            await engine.dispose()
        stored = "\n".join(_stored(db))
    tally = Tally()
    for n, (kind, secret) in enumerate(planted):
        kept = f"(case {n:05d})" in stored  # the message itself was stored, so the search means something
        tally.check(kept and secret not in stored, f"a {kind} ({secret[:6]}…): kept {kept}, found as typed")
    return tally.figure(
        "Secrets in messages",
        f"{len(KINDS)} kinds of secret and personal data (GitHub, Slack, AWS, Stripe, Google and API keys, card "
        "numbers, IBANs, e-mails), each typed twice at the console in different ways through the desk into SQLite "
        "(asking for a person when offered); then every column of every table is searched for the original.",
    )
