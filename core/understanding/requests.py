"""Requests only staff can carry out: a refund, a cancellation, deleting an account, exporting data.

The docs can explain the policy, but nobody gets a refund from a help article: such a request
also goes to a person. Read from the words, in English and in the languages Helpline ships a reply
for, so it holds whatever intent the head reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class StaffAction:
    """A kind of request a person has to carry out, and the support category it belongs to."""

    name: str
    category: str
    pattern: re.Pattern[str]


STAFF_ACTIONS = (
    StaffAction(
        "refund",
        "billing",
        re.compile(
            r"\b(refund(ed)?|money back|reimburse\w*|charge ?back|credit (my|our|the) (card|account) back"
            r"|rückerstattung|erstatt\w+|geld zurück|reembolso|devolu\w+ (de )?(mi |el )?dinero|rembours\w+)\b",
            _FLAGS,
        ),
    ),
    StaffAction(
        "cancellation",
        "billing",
        re.compile(
            r"\b(?:(cancel+(ing|ation)?|terminate|end) (my |our |the )?(subscription|plan|contract|membership|account)"
            r"|stop (billing|charging) (me|us)|unsubscribe (me|us) from (the )?(plan|billing)"
            r"|(abo|abonnement|vertrag)\w* (kündigen|beenden)|kündig\w+"
            r"|cancelar (mi |la |el )?(suscripción|plan|cuenta)"
            r"|résilier)\b",
            _FLAGS,
        ),
    ),
    StaffAction(
        "account_deletion",
        "account",
        re.compile(
            r"\b(?:(delete|deleting|remove|close|closing|erase|wipe) (my|our|the) (whole |entire )?"
            r"(tideline )?(account|profile|user|organi[sz]ation|org|team account)"
            r"|(account|profile) (deletion|removal|closure)|right to (be forgotten|erasure)"
            r"|(konto|account) (löschen|schließen)|eliminar (mi |la )?cuenta|borrar (mi |la )?cuenta"
            r"|supprimer (mon |le )?compte)\b",
            _FLAGS,
        ),
    ),
    StaffAction(
        "data_export",
        "account",
        re.compile(
            r"\b(?:(export|download|get) (a copy of )?(all )?(of )?(my|our) (personal |account )?(data|information)"
            r"|(gdpr|dsgvo|rgpd) (data )?(export|request|access)|data (export|portability|access request)"
            r"|subject access request|daten (exportieren|herunterladen)|exportar (mis |los )?datos)\b",
            _FLAGS,
        ),
    ),
)


def staff_action(text: str) -> StaffAction | None:
    """The first staff-only request ``text`` makes, if any."""
    return next((action for action in STAFF_ACTIONS if action.pattern.search(text)), None)
