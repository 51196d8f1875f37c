"""Secrets and personal data found in a message's text, replaced by typed placeholders (``[github-token]``).

Each kind is a pattern, and for numbers a checksum as well (a card number passes the Luhn check, an IBAN the
mod-97 check), so order numbers and ticket ids stay. No language model: the providers' token shapes are public
and distinctive, and a miss is cheaper than a message the staff cannot read. The redactor only ever shortens
what it replaces; the rest of the text is left exactly as it came.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# The kinds that are credentials: the customer is told to revoke them. The others are personal data.
SECRET_KINDS = frozenset(
    {
        "github-token",
        "slack-token",
        "aws-key",
        "stripe-key",
        "google-key",
        "api-key",
        "jwt",
        "private-key",
        "password",
    }
)
PERSONAL_KINDS = frozenset({"card", "iban", "email", "phone"})
ALL_KINDS = SECRET_KINDS | PERSONAL_KINDS


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    return 13 <= len(digits) <= 19 and len(set(digits)) > 1 and _luhn(digits)


def _iban(match: re.Match[str]) -> bool:
    compact = re.sub(r"\s", "", match.group(0)).upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in moved)
    return int(number) % 97 == 1


def _phone(match: re.Match[str]) -> bool:
    found = match.group(0)
    if re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", found):  # an IPv4 address
        return False
    digits = re.sub(r"\D", "", found)
    return 9 <= len(digits) <= 15


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of thing to remove: a pattern, and a check a match must also pass (a checksum)."""

    kind: str
    pattern: re.Pattern[str]
    check: Callable[[re.Match[str]], bool] | None = None
    group: int = 0  # the part of the match replaced (a password in a URL keeps the URL around it)


def _rule(kind: str, pattern: str, check: Callable[[re.Match[str]], bool] | None = None, group: int = 0) -> Rule:
    return Rule(kind, re.compile(pattern), check, group)


# Order matters: a JWT or a private key block goes before the shorter shapes that could match inside it.
BUILT_IN: tuple[Rule, ...] = (
    _rule(
        "private-key",
        r"-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    ),
    _rule("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    _rule("github-token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{40,255})\b"),
    _rule("slack-token", r"\b(?:xox[abposr]-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Za-z0-9-]{10,250})"),
    _rule("aws-key", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
    _rule("aws-key", r"(?i)\baws_secret_access_key\s*[:=]\s*['\"]?([A-Za-z0-9/+=]{40})\b", group=1),
    _rule("stripe-key", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}\b"),
    _rule("google-key", r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
    _rule("api-key", r"\bsk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}"),
    _rule("password", r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@]+:([^\s@/]+)@", group=1),
    _rule("password", r"(?i)\b(?:password|passwd|pwd|passcode)\s*(?:is|[:=])\s*['\"]?([^\s'\"]{4,})", group=1),
    _rule("email", r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"),
    _rule("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", _iban),
    # Not inside a word (ids, versions), nor a chat mention's id (Discord's <@123…>, <@!…>, <@&…>, <#…>).
    _rule("card", r"(?<![\w-])(?<!<@)(?<!<@!)(?<!<@&)(?<!<#)\d(?:[ -]?\d){12,18}(?![\w-])", _card),
    _rule(
        "phone", r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){2,4}(?![\w-])", _phone
    ),
    _rule("phone", r"(?<![\w+])\+\d{9,15}(?!\w)"),
)


@dataclass(frozen=True, slots=True)
class Redacted:
    """A text with its findings replaced, and the kinds found in it (in the order first found)."""

    text: str
    kinds: tuple[str, ...] = ()

    @property
    def secrets(self) -> tuple[str, ...]:
        """The credential kinds found: the ones the customer should revoke."""
        return tuple(kind for kind in self.kinds if kind in SECRET_KINDS)


class Redactor:
    """Replaces every match of its rules by ``[kind]``; a deployment picks the kinds and adds patterns."""

    def __init__(self, rules: Sequence[Rule] = BUILT_IN) -> None:
        self._rules = tuple(rules)

    @classmethod
    def configured(cls, kinds: Iterable[str] = ALL_KINDS, extra: Iterable[Rule] = ()) -> Redactor:
        """The built-in rules of ``kinds`` (unknown kinds refused by name), then the deployment's own."""
        wanted = frozenset(kinds)
        unknown = wanted - ALL_KINDS
        if unknown:
            raise ValueError(f"unknown redaction kinds: {', '.join(sorted(unknown))}")
        return cls((*(rule for rule in BUILT_IN if rule.kind in wanted), *extra))

    @property
    def enabled(self) -> bool:
        """Whether any rule is on."""
        return bool(self._rules)

    def redact(self, text: str) -> Redacted:
        """``text`` with every finding replaced; the same text back (and no kinds) when nothing is found."""
        kinds: list[str] = []
        for rule in self._rules:
            text, found = _apply(rule, text)
            if found and rule.kind not in kinds:
                kinds.append(rule.kind)
        return Redacted(text, tuple(kinds))


def _apply(rule: Rule, text: str) -> tuple[str, bool]:
    pieces: list[str] = []
    end = 0
    for match in rule.pattern.finditer(text):
        if rule.check is not None and not rule.check(match):
            continue
        start, stop = match.span(rule.group)
        if start < end or start < 0:
            continue
        pieces.append(text[end:start])
        pieces.append(f"[{rule.kind}]")
        end = stop
    if not pieces:
        return text, False
    pieces.append(text[end:])
    return "".join(pieces), True


def extra_rule(kind: str, pattern: str) -> Rule:
    """A deployment's own rule; the pattern's mistakes are named with the kind they belong to."""
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,30}", kind):
        raise ValueError(f"a redaction kind is lower-case letters, digits and dashes: {kind!r}")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"the pattern of redaction kind {kind!r} is not a valid regular expression: {exc}") from exc
    if compiled.search(""):
        raise ValueError(f"the pattern of redaction kind {kind!r} matches empty text")
    return Rule(kind, compiled)
