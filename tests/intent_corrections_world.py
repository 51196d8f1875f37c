"""A small intent catalog with a systematic mistake, and the corrections that fix it (for the retrain tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.tickets.records import Priority
from core.understanding.intents import Handling, IntentCatalog, IntentSpec
from core.understanding.ports import IntentExample

T0 = datetime(2026, 3, 2, tzinfo=UTC)

EXAMPLES = {
    "billing": (
        "refund my last payment", "the invoice total is wrong", "I was billed twice this month",
        "update the credit card we pay with", "cancel the subscription payment", "send me a receipt",
        "why is my bill so high", "change the billing email", "the payment failed at checkout",
        "do you offer an annual plan discount",
    ),
    "account_access": (
        "I cannot log in to my account", "reset my account password", "my account is locked",
        "the login page rejects my account", "two factor code for my account never arrives",
        "I lost access to my account email", "unlock my account please", "account sign in fails",
        "my account says the password is wrong", "how do I recover my account",
    ),
    "bug_report": (
        "the app crashes on start", "the button does nothing when clicked", "error 500 on the deploy page",
        "the chart shows wrong numbers", "the page freezes after saving", "logs stop after a minute",
        "the cli prints a stack trace", "upload fails with an exception", "dark mode breaks the menu",
        "the search returns nothing",
    ),
}  # fmt: skip

# Customers who were charged say "account", which the catalog only uses for signing in: read as account_access.
CHARGED = (
    "my account was charged twice", "why was my account charged again", "account charged after I cancelled",
    "they charged my account two times", "my account got charged for a plan I never chose",
    "charged on my account without warning", "an extra charge on my account", "my account shows a double charge",
    "who charged my account yesterday", "account charged the wrong amount", "account was charged in euros",
    "the account charge looks wrong", "charged my account for seats I removed", "my account was charged early",
    "unexpected charge to my account", "account charged for a trial", "account charged twice for one invoice",
    "my team account was charged again", "account charged after downgrade", "charged twice on the account",
)  # fmt: skip


def catalog(handling: Handling = Handling.ANSWER) -> IntentCatalog:
    """The three intents, with their examples, each handled as ``handling`` says."""
    return IntentCatalog(
        tuple(IntentSpec(name, name, name, Priority.MEDIUM, examples, handling) for name, examples in EXAMPLES.items())
    )


def corrections(texts: tuple[str, ...] = CHARGED, intent: str = "billing") -> list[IntentExample]:
    """``texts`` corrected to ``intent``, one ticket each, a minute apart."""
    return [IntentExample(n, text, intent, "console:mo", T0 + timedelta(minutes=n)) for n, text in enumerate(texts, 1)]


def write_intents_file(path: Path) -> Path:
    """The catalog as an intents file."""
    lines = ["version: 1", "intents:"]
    for name, examples in EXAMPLES.items():
        lines += [f"  - name: {name}", f"    description: {name}", f"    category: {name}", "    base_priority: medium"]
        lines += ["    examples:", *(f'      - "{example}"' for example in examples)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
