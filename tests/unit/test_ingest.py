"""Reading a knowledge base from disk: what gets indexed, and what is skipped with a warning."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core.errors import DataError
from kb_index.ingest import ingest_path

GOOD = "---\ntitle: Reset your password\nurl: https://docs.example/reset\n---\n# Reset\n\nClick Forgot.\n"


def _write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _jsonl(root: Path, lines: list[str]) -> Path:
    return _write(root, "corpus.jsonl", "\n".join(lines) + "\n")


# --- folders of documents -------------------------------------------------------------


def test_front_matter_title_and_url_are_carried_to_every_chunk(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "account/reset-password.md",
        GOOD + "\n## If no email arrives\n\nCheck spam.\n",
    )
    result = ingest_path(tmp_path)
    assert result.documents == 1
    assert result.warnings == []
    assert [(c.chunk_id, c.section, c.text) for c in result.chunks] == [
        ("account/reset-password#0", "Reset", "Click Forgot."),
        ("account/reset-password#1", "If no email arrives", "Check spam."),
    ]
    for chunk in result.chunks:
        assert chunk.doc_id == "account/reset-password"
        assert chunk.source == "account/reset-password.md"
        assert chunk.title == "Reset your password"
        assert chunk.url == "https://docs.example/reset"


def test_title_falls_back_to_the_first_heading_then_to_the_file_name(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "a.md", "Intro first.\n\n# Heading title\n\nText.\n")
    _write(tmp_path, "build_image-too-large.markdown", "No heading, just text.\n")
    titles = {c.doc_id: (c.title, c.url) for c in ingest_path(tmp_path).chunks}
    assert titles == {
        "a": ("Heading title", None),
        "build_image-too-large": ("Build image too large", None),
    }


def test_code_comment_stays_in_the_chunk_and_is_not_a_section(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "install.md",
        "# Install\n\n## Linux\n\n```bash\n# install the CLI\ncurl x | sh\n```\n",
    )
    chunks = ingest_path(tmp_path).chunks
    assert [c.section for c in chunks] == ["Linux"]
    assert "# install the CLI\ncurl x | sh" in chunks[0].text


def test_folder_is_walked_in_path_order_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    for name in [
        "b/z.md",
        "a.TXT",
        "b/a.md",
        "c.md",
        ".hidden.md",
        ".git/x.md",
        "img.png",
        "notes.yaml",
    ]:
        _write(tmp_path, name, f"Text of {name}.\n")
    result = ingest_path(tmp_path)
    assert [c.source for c in result.chunks] == ["a.TXT", "b/a.md", "b/z.md", "c.md"]
    assert result.documents == 4
    assert result.warnings == []


def test_long_sections_are_windowed_with_numbered_chunks(tmp_path: Path) -> None:
    paragraphs = [" ".join(f"p{p}s{s}w{w}" for s in range(5) for w in range(10)) for p in range(8)]
    _write(
        tmp_path,
        "long.md",
        "# Long\n\n" + "\n\n".join(paragraphs) + "\n\n## Short\n\nEnd.\n",
    )
    chunks = ingest_path(tmp_path, max_words=120).chunks
    assert len(chunks) > 4
    assert [c.chunk_id for c in chunks] == [f"long#{n}" for n in range(len(chunks))]
    assert all(len(c.text.split()) <= 120 for c in chunks)
    assert chunks[-1].section == "Short"
    indexed = " ".join(c.text for c in chunks).split()
    assert all(word in indexed for p in paragraphs for word in p.split())


def test_invisible_characters_are_removed_from_chunk_text(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.md",
        "\ufeff# Pay\u200bment\n\nCall \u202esupport\u202c \u2066now\u2069.\n",
    )
    (chunk,) = ingest_path(tmp_path).chunks
    assert (chunk.title, chunk.text) == ("Payment", "Call support now.")


def test_plain_text_title_comes_from_its_first_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "getting-started/glossary.txt",
        "Glossary\n\nApp\nOne deployable codebase.\n",
    )
    (chunk,) = ingest_path(tmp_path).chunks
    assert (chunk.doc_id, chunk.title, chunk.section) == (
        "getting-started/glossary",
        "Glossary",
        "Glossary",
    )
    assert chunk.text == "App\nOne deployable codebase."


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.md", b"", "empty file"),
    ("blank.md", b"  \n\n\t\n", "empty file"),
    ("binary.md", b"PK\x03\x04\x00\x00rest", "binary"),
    (
        "latin1.txt",
        "Caf\u00e9 menu\n".encode("latin-1"),
        "not valid UTF-8 (byte offset 3)",
    ),
    (
        "front.md",
        b"---\ntitle: [oops\n---\n# T\n\nText.\n",
        "front matter is not valid YAML",
    ),
    ("headings-only.md", b"---\ntitle: T\n---\n# T\n## Nothing\n", "no text"),
]


@pytest.mark.parametrize(("name", "content", "problem"), BAD_FILES)
def test_a_bad_file_is_skipped_with_a_warning_naming_it(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    content: bytes,
    problem: str,
) -> None:
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, f"sub/{name}", content)
    with caplog.at_level(logging.WARNING, logger="helpline.kb"):
        result = ingest_path(tmp_path)
    assert [c.doc_id for c in result.chunks] == ["good"]
    assert result.documents == 1
    (warning,) = result.warnings
    assert warning.startswith(f"sub/{name}: ")
    assert problem in warning
    assert warning in caplog.messages


def test_an_unreadable_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", GOOD)
    (tmp_path / "bad.md").symlink_to(tmp_path / "missing.md")
    result = ingest_path(tmp_path)
    assert [c.doc_id for c in result.chunks] == ["good"]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("bad.md: cannot read file")


def test_a_folder_with_nothing_to_index_returns_no_chunks_and_says_why(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "picture.png", b"\x89PNG")
    result = ingest_path(tmp_path)
    assert (result.chunks, result.documents) == ([], 0)
    assert "no .md, .markdown or .txt files" in result.warnings[0]


# --- single files and wrong paths -------------------------------------------------------


def test_a_single_file_is_its_own_knowledge_base(tmp_path: Path) -> None:
    path = _write(tmp_path, "deep/reset-password.md", GOOD)
    (chunk,) = ingest_path(path).chunks
    assert (chunk.chunk_id, chunk.doc_id, chunk.source) == (
        "reset-password#0",
        "reset-password",
        "reset-password.md",
    )


def test_a_single_bad_file_gives_a_warning_not_an_error(tmp_path: Path) -> None:
    result = ingest_path(_write(tmp_path, "empty.txt", ""))
    assert (result.chunks, result.warnings) == ([], ["empty.txt: empty file"])


def test_a_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope.*\.jsonl"):
        ingest_path(tmp_path / "nope")


def test_a_file_of_another_kind_is_an_error_saying_what_is_accepted(
    tmp_path: Path,
) -> None:
    with pytest.raises(DataError, match=r"kb\.pdf.*\.md"):
        ingest_path(_write(tmp_path, "kb.pdf", b"%PDF"))


# --- JSON-lines corpora -------------------------------------------------------------------


def test_jsonl_records_become_chunks(tmp_path: Path) -> None:
    records = [
        {
            "id": "doc-1",
            "title": "First",
            "text": "Alpha text.",
            "url": "https://x.example/1",
        },
        {"id": 7, "title": "Seventh", "text": " ".join(f"w{i}" for i in range(50))},
    ]
    path = _jsonl(tmp_path, [json.dumps(records[0]), "", json.dumps(records[1])])
    result = ingest_path(path, max_words=20)
    assert result.warnings == []
    assert result.documents == 2
    first, *seventh = result.chunks
    assert (first.chunk_id, first.doc_id, first.title, first.section) == (
        "doc-1#0",
        "doc-1",
        "First",
        "",
    )
    assert (first.source, first.url, first.text) == (
        "corpus.jsonl#doc-1",
        "https://x.example/1",
        "Alpha text.",
    )
    assert [c.chunk_id for c in seventh] == [f"7#{n}" for n in range(len(seventh))]
    assert len(seventh) > 2
    assert {c.source for c in seventh} == {"corpus.jsonl#7"}


def test_bad_jsonl_lines_are_skipped_with_their_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok", "title": "OK", "text": "Fine."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "no-text", "title": "T"}),
        json.dumps({"id": "blank", "text": "  "}),
        json.dumps({"title": "no id", "text": "x"}),
        json.dumps({"id": "ok", "text": "Second with the same id."}),
        json.dumps({"id": "last", "text": "Also fine."}),
    ]
    result = ingest_path(_jsonl(tmp_path, lines))
    assert [c.doc_id for c in result.chunks] == ["ok", "last"]
    assert result.chunks[0].text == "Fine."
    assert result.documents == 2
    assert [w.split(":")[0] for w in result.warnings] == [f"corpus.jsonl line {n}" for n in (2, 3, 4, 5, 6, 7)]
    assert "invalid JSON" in result.warnings[0]
    assert "object" in result.warnings[1]
    assert "text" in result.warnings[2] and "text" in result.warnings[3]
    assert "id" in result.warnings[4]
    assert "duplicate id 'ok' (first on line 1)" in result.warnings[5]


def test_a_jsonl_line_that_is_not_utf8_is_skipped_alone(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "text": "Good."}).encode() + b"\n"
    bad = b'{"id": "b", "text": "Caf\xe9"}\n'
    result = ingest_path(_write(tmp_path, "c.jsonl", good + bad + good.replace(b'"a"', b'"c"')))
    assert [c.doc_id for c in result.chunks] == ["a", "c"]
    offset = len(good) + bad.index(b"\xe9")
    assert result.warnings == [f"c.jsonl line 2: not valid UTF-8 (byte offset {offset}); save it as UTF-8"]


def test_a_jsonl_corpus_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    line = json.dumps({"_id": "beir-1", "title": "T", "text": "Body."})
    result = ingest_path(_write(tmp_path, "bom.jsonl", b"\xef\xbb\xbf" + line.encode()))
    assert [(c.chunk_id, c.text) for c in result.chunks] == [("beir-1#0", "Body.")]
    assert result.warnings == []
