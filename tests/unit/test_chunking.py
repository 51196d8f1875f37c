"""Splitting documents into titled sections and embedding-sized pieces."""

from __future__ import annotations

import itertools

import pytest

from kb_index.chunking import (
    Section,
    parse_front_matter,
    split_markdown,
    split_plain_text,
    window,
)


def _words(text: str) -> list[str]:
    return text.split()


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    """True if every item of ``needle`` appears in ``haystack`` in the same order."""
    it = iter(haystack)
    return all(any(item == other for other in it) for item in needle)


def _sentences(prefix: str, count: int, words_each: int = 10) -> str:
    return " ".join(" ".join(f"{prefix}{s}w{w}" for w in range(words_each)) + "." for s in range(count))


# --- front matter ------------------------------------------------------------


def test_front_matter_gives_title_url_and_the_body() -> None:
    text = "---\ntitle: Reset your password\nurl: https://x.example/reset\n---\n# Reset\nBody."
    meta, body = parse_front_matter(text)
    assert meta == {"title": "Reset your password", "url": "https://x.example/reset"}
    assert body == "# Reset\nBody."


def test_document_without_front_matter_is_returned_unchanged() -> None:
    assert parse_front_matter("# Title\n\ntext") == ({}, "# Title\n\ntext")


def test_front_matter_values_become_strings_and_lists_are_dropped() -> None:
    meta, _ = parse_front_matter("---\ntitle: 2024\ndraft: false\ntags: [a, b]\n---\nx")
    assert meta == {"title": "2024", "draft": "False"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        ("---\n- a\n- b\n---\nbody", "mapping"),
        ("---\ntitle: no end\nbody", "closing"),
    ],
)
def test_malformed_front_matter_is_reported(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_front_matter(text)


# --- markdown ----------------------------------------------------------------


def test_markdown_sections_follow_headings_of_every_level() -> None:
    body = "# Guide\nIntro.\n## Install\nRun it.\n### On Linux ###\nUse apt.\n###### Deep\nDeep text."
    title, sections = split_markdown(body)
    assert title == "Guide"
    assert sections == [
        Section("Guide", "Intro."),
        Section("Install", "Run it."),
        Section("On Linux", "Use apt."),
        Section("Deep", "Deep text."),
    ]


def test_shell_comment_in_code_fence_is_not_a_heading_and_stays_in_the_text() -> None:
    body = (
        "# Install\n\n## Linux\n\n```bash\n# install the CLI\ncurl -fsSL x | sh\n```\n\nDone.\n"
        "\n  ~~~ sh title=x\n# another comment\n  ~~~\n\n## Next\nMore."
    )
    _, sections = split_markdown(body)
    assert [s.heading for s in sections] == ["Linux", "Next"]
    assert "# install the CLI" in sections[0].text
    assert "# another comment" in sections[0].text
    assert sections[0].text.endswith("~~~")


def test_text_before_the_first_heading_belongs_to_the_title() -> None:
    title, sections = split_markdown("Preamble.\n# Title\nIntro.\n## Part\nBody.")
    assert title == "Title"
    assert sections[0] == Section("Title", "Preamble.")
    assert sections[1] == Section("Title", "Intro.")


def test_markdown_without_a_level_one_heading_has_no_title() -> None:
    title, sections = split_markdown("Lead text.\n\n## Part\nBody.")
    assert title is None
    assert sections == [Section("", "Lead text."), Section("Part", "Body.")]


def test_headings_without_text_are_dropped_and_hashtags_are_not_headings() -> None:
    title, sections = split_markdown("# Title\n## Empty\n\n## Full\n#hashtag is text\n    # indented code")
    assert title == "Title"
    assert sections == [Section("Full", "#hashtag is text\n    # indented code")]


# --- plain text ----------------------------------------------------------------


def test_plain_text_short_first_line_before_a_blank_line_is_the_title() -> None:
    title, sections = split_plain_text("Glossary\n\nApp\nA deployable codebase.", "Fallback")
    assert title == "Glossary"
    assert sections == [Section("Glossary", "App\nA deployable codebase.")]


@pytest.mark.parametrize(
    "text",
    ["First line\ncontinues the paragraph.", "x" * 101 + "\n\nrest"],
)
def test_plain_text_without_a_title_line_uses_the_fallback(text: str) -> None:
    title, sections = split_plain_text(text, "From file name")
    assert title == "From file name"
    assert sections == [Section("From file name", text)]


# --- windowing -------------------------------------------------------------------


def test_short_text_is_one_piece_and_empty_text_none() -> None:
    assert window("A short answer.", max_words=10) == ["A short answer."]
    assert window("  \n\n ") == []


def test_long_text_is_cut_into_pieces_within_the_limit_losing_no_words() -> None:
    paragraphs = [_sentences(f"p{p}", count) for p, count in enumerate([3, 25, 2, 7, 40, 1])]
    text = "\n\n".join(paragraphs)
    pieces = window(text, max_words=60, overlap_words=15)
    assert len(pieces) > 1
    assert all(len(_words(piece)) <= 60 for piece in pieces)
    assert _is_subsequence(_words(text), [w for piece in pieces for w in _words(piece)])


def test_paragraphs_that_fit_are_never_cut() -> None:
    paragraphs = [_sentences(f"p{p}", 3) for p in range(6)]  # 30 words each
    pieces = window("\n\n".join(paragraphs), max_words=70, overlap_words=10)
    assert pieces == ["\n\n".join(paragraphs[i : i + 2]) for i in range(0, 6, 2)]


def test_a_cut_paragraph_is_cut_between_sentences_and_its_pieces_overlap() -> None:
    text = _sentences("s", 12)  # one paragraph, 120 words in 10-word sentences
    pieces = window(text, max_words=50, overlap_words=20)
    assert all(piece.endswith(".") for piece in pieces)
    for before, after in itertools.pairwise(pieces):
        shared = set(_words(before)) & set(_words(after))
        assert 10 <= len(shared) <= 20


def test_separate_paragraphs_do_not_overlap() -> None:
    text = "\n\n".join(_sentences(f"p{p}", 4) for p in range(4))
    pieces = window(text, max_words=50, overlap_words=20)
    assert sum(len(_words(piece)) for piece in pieces) == len(_words(text))


def test_a_sentence_longer_than_the_limit_is_cut_between_words() -> None:
    text = " ".join(f"w{i}" for i in range(130))
    pieces = window(text, max_words=50, overlap_words=10)
    assert all(len(_words(piece)) <= 50 for piece in pieces)
    assert _words(pieces[0])[-10:] == _words(pieces[1])[:10]
    assert _is_subsequence(_words(text), [w for piece in pieces for w in _words(piece)])


def test_a_code_block_that_fits_is_kept_whole() -> None:
    code = "```bash\n# install the CLI\n" + "\n".join(f"run step {i}" for i in range(10)) + "\n```"
    text = _sentences("a", 4) + "\nFor example:\n" + code + "\n\n" + _sentences("b", 4)
    pieces = window(text, max_words=45, overlap_words=10)
    assert [piece for piece in pieces if code in piece]
    assert all(piece.count("```") in (0, 2) for piece in pieces)


def test_an_oversized_code_block_is_cut_between_lines_and_refenced() -> None:
    lines = [f"echo line {i} of the script" for i in range(40)]
    code = "~~~bash\n" + "\n".join(lines) + "\n~~~"
    pieces = window("Run this:\n\n" + code, max_words=60, overlap_words=10)
    code_pieces = [piece for piece in pieces if "echo" in piece]
    assert len(code_pieces) > 1
    for piece in code_pieces:
        assert piece.startswith("~~~bash\n") and piece.endswith("\n~~~")
        assert len(_words(piece)) <= 60
    kept = [line for piece in code_pieces for line in piece.split("\n") if line.startswith("echo")]
    assert kept == lines


def test_overlap_is_capped_at_half_a_piece() -> None:
    pieces = window(" ".join(f"w{i}" for i in range(40)), max_words=10, overlap_words=30)
    assert all(len(_words(piece)) <= 10 for piece in pieces)
    assert _words(pieces[0])[-5:] == _words(pieces[1])[:5]


def test_window_rejects_a_limit_below_one_word() -> None:
    with pytest.raises(ValueError, match="max_words"):
        window("text", max_words=0)
