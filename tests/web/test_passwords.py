"""Dashboard passwords: argon2 hashes that check the right password only, and the rules a new password meets."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from bots.web.passwords import MAX_LENGTH, PasswordError, Passwords, checked_password

# Cheap parameters keep the tests quick; the rules and the checks are the same.
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
GOOD = "correct horse battery staple"


def test_a_hash_checks_the_password_it_was_made_from_and_no_other() -> None:
    passwords = Passwords(CHEAP)
    kept = passwords.hash(GOOD)
    assert kept.startswith("$argon2id$") and GOOD not in kept
    assert passwords.verify(kept, GOOD)
    assert not passwords.verify(kept, GOOD.upper())
    assert not passwords.verify(kept, "")
    assert passwords.hash(GOOD) != kept  # a fresh salt each time


def test_a_broken_or_foreign_hash_is_a_failed_check_not_a_crash() -> None:
    passwords = Passwords(CHEAP)
    assert not passwords.verify("not a hash", GOOD)
    assert not passwords.verify("", GOOD)
    assert not passwords.verify("$2b$12$abcdefghijklmnopqrstuu", GOOD)  # bcrypt's shape
    assert passwords.needs_rehash("not a hash")


def test_a_hash_made_with_weaker_parameters_asks_to_be_made_again() -> None:
    cheap = Passwords(CHEAP).hash(GOOD)
    assert Passwords().needs_rehash(cheap)
    assert not Passwords(CHEAP).needs_rehash(cheap)
    assert Passwords().verify(cheap, GOOD)  # still signs in, so the new hash can be kept then


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", "the password is empty"),
        (" " * 20, "the password is empty"),
        ("short", "5 characters long; it needs at least 12"),
        ("x" * 11, "11 characters long; it needs at least 12"),
        ("x" * (MAX_LENGTH + 1), f"longer than {MAX_LENGTH} characters"),
    ],
)
def test_empty_short_and_huge_passwords_are_refused_saying_why(password: str, problem: str) -> None:
    with pytest.raises(PasswordError, match=problem):
        Passwords(CHEAP).hash(password)


def test_the_limits_themselves_are_accepted_and_a_huge_guess_is_refused_unhashed() -> None:
    assert checked_password("x" * 12) == "x" * 12
    kept = Passwords(CHEAP).hash("é" * MAX_LENGTH)
    assert Passwords(CHEAP).verify(kept, "é" * MAX_LENGTH)
    assert not Passwords(CHEAP).verify(kept, "é" * (MAX_LENGTH + 1))
