from __future__ import annotations

import os

from core.text import clean_document, clean_message


def test_empty_and_whitespace_messages_are_empty() -> None:
    assert clean_message("").empty
    assert clean_message("  \n\t \u200b\u2066 ").empty


def test_zero_width_and_bidi_controls_are_removed() -> None:
    tricky = "pass\u200bword re\u202eset\u202c for my acc\u2066ount\u2069"
    assert clean_message(tricky).text == "password reset for my account"


def test_fullwidth_and_compatibility_forms_are_folded() -> None:
    assert clean_message("ＴＬ-Ｅ1042 ﬁle").text == "TL-E1042 file"


def test_huge_message_is_truncated_at_a_word_boundary() -> None:
    message = "my deploy fails " * 7000  # about 112 kB
    clean = clean_message(message, max_chars=2000)
    assert clean.truncated
    assert len(clean.text) <= 2000
    assert clean.text.endswith(("my", "deploy", "fails"))


def test_binary_garbage_does_not_crash_and_keeps_no_control_characters() -> None:
    garbage = os.urandom(4096) + b"\x00\xff\xfe"
    clean = clean_message(garbage)
    assert all(ch.isprintable() for ch in clean.text)
    assert "\ufffd" not in clean.text


def test_valid_utf8_bytes_are_decoded() -> None:
    assert clean_message("café down?".encode()).text == "café down?"


def test_clean_document_keeps_paragraphs_but_not_runs_of_blank_lines() -> None:
    doc = "Title\r\n\r\n\r\n\r\nFirst  para\u200b.\n\n\nSecond\x07 para."
    assert clean_document(doc) == "Title\n\nFirst para.\n\nSecond para."
