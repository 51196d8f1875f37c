"""What the redactor removes from a customer's text, and what it must leave alone."""

from __future__ import annotations

import pytest

from core.privacy.redaction import Redactor, extra_rule

# Token-shaped test values, assembled so that no scanner mistakes this file for a leak.
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
SLACK = "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GOOGLE = "AIza" + "SyA-1234567890abcdefghijklmnopqrstu"
OPENAI = "sk-proj-" + "Ab12Cd34Ef56Gh78Ij90Kl12Mn34"
JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


@pytest.fixture
def redactor() -> Redactor:
    return Redactor()


def test_the_message_from_the_issue_keeps_none_of_its_secrets(redactor: Redactor) -> None:
    text = f"hi, I'm pat@example.com, call +1 415 555 2671. token {GITHUB}, bot {SLACK}, aws {AWS}"
    found = redactor.redact(text)
    for secret in ("pat@example.com", "415 555 2671", GITHUB, SLACK, AWS):
        assert secret not in found.text
    assert found.text == ("hi, I'm [email], call [phone]. token [github-token], bot [slack-token], aws [aws-key]")
    assert found.kinds == ("github-token", "slack-token", "aws-key", "email", "phone")
    assert found.secrets == ("github-token", "slack-token", "aws-key")


@pytest.mark.parametrize(
    ("secret", "kind"),
    [
        (STRIPE, "stripe-key"),
        (GOOGLE, "google-key"),
        (OPENAI, "api-key"),
        (JWT, "jwt"),
        ("github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ", "github-token"),
    ],
)
def test_provider_tokens_become_their_placeholder(redactor: Redactor, secret: str, kind: str) -> None:
    found = redactor.redact(f"here: {secret} thanks")
    assert found.text == f"here: [{kind}] thanks"
    assert found.kinds == (kind,)


def test_a_private_key_block_goes_whole(redactor: Redactor) -> None:
    block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nq83b==\n-----END RSA PRIVATE KEY-----"
    found = redactor.redact(f"my key:\n{block}\nwhy does it fail?")
    assert found.text == "my key:\n[private-key]\nwhy does it fail?"


def test_a_password_in_a_url_keeps_the_rest_of_the_url(redactor: Redactor) -> None:
    found = redactor.redact("connecting to postgres://admin:hunter2secret@db.internal:5432/app fails")
    assert found.text == "connecting to postgres://admin:[password]@db.internal:5432/app fails"
    assert redactor.redact("my password is Tr0ub4dor&3 ok?").text == "my password is [password] ok?"


def test_card_numbers_only_when_they_pass_the_luhn_check(redactor: Redactor) -> None:
    assert redactor.redact("card 4111 1111 1111 1111 was charged").text == "card [card] was charged"
    assert redactor.redact("card 4111-1111-1111-1111").kinds == ("card",)
    # One digit off fails the checksum: an order number, not a card.
    assert "4111 1111 1111 1112" in redactor.redact("order 4111 1111 1111 1112").text


def test_ibans_only_when_the_checksum_holds(redactor: Redactor) -> None:
    assert redactor.redact("pay to GB82 WEST 1234 5698 7654 32 please").text == "pay to [iban] please"
    assert redactor.redact("DE89370400440532013000").kinds == ("iban",)
    assert redactor.redact("GB82 WEST 1234 5698 7654 33").kinds != ("iban",)


@pytest.mark.parametrize(
    "text",
    [
        "version 2.13.0 crashes on 2026-12-03 at 15:46",
        "the server at 192.168.100.200 is down",
        "ticket #4521 and order 123456",
        "see https://docs.example.com/setup?step=2",
        "the sk-learn model and AKIA are just words",
        "use ghp_ tokens with the repo scope",
        "my ABCDE-FGHJK link code",
        # 1859574041113451 passes the Luhn check, but inside an index version it is no card.
        "still serving version v20261203T185957404111-3451eae6",
    ],
)
def test_ordinary_support_text_is_left_exactly_as_it_is(redactor: Redactor, text: str) -> None:
    found = redactor.redact(text)
    assert found.text == text
    assert found.kinds == ()


def test_a_deployment_picks_its_kinds_and_adds_its_own_patterns() -> None:
    mine = Redactor.configured(kinds={"github-token"}, extra=[extra_rule("employee-id", r"\bEMP-\d{6}\b")])
    found = mine.redact(f"pat@example.com EMP-123456 {GITHUB}")
    assert found.text == "pat@example.com [employee-id] [github-token]"
    assert found.kinds == ("github-token", "employee-id")


def test_a_bad_configuration_says_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="unknown redaction kinds: passport"):
        Redactor.configured(kinds={"passport", "email"})
    with pytest.raises(ValueError, match="'employee-id' is not a valid regular expression"):
        extra_rule("employee-id", r"EMP-(\d")
    with pytest.raises(ValueError, match="matches empty text"):
        extra_rule("anything", r"x*")
    with pytest.raises(ValueError, match="lower-case"):
        extra_rule("Bad Kind", r"x")


def test_unicode_and_huge_text_pass_through_unharmed(redactor: Redactor) -> None:
    text = "ça marche pas 🙃 \u202e\u200b" * 2000 + f" {GITHUB}"
    found = redactor.redact(text)
    assert found.text.endswith(" [github-token]")
    assert found.text.startswith("ça marche pas 🙃")


def test_a_chat_mentions_id_is_not_a_card_number(redactor: Redactor) -> None:
    luhn = "4111111111111111"  # passes the Luhn check, as some 16-19 digit Discord ids do
    for mention in (f"<@{luhn}>", f"<@!{luhn}>", f"<@&{luhn}>", f"<#{luhn}>"):
        assert redactor.redact(f"thanks {mention}!").text == f"thanks {mention}!"
    assert redactor.redact(f"my card is {luhn}").text == "my card is [card]"
