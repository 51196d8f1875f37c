"""Reading a knowledge base from disk into chunks, skipping (and reporting) what cannot be used.

One bad file never stops a build: it becomes a warning that names it, and the rest is indexed.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import DataError
from core.ports import Chunk
from core.text import clean_document
from kb_index.chunking import (
    Section,
    parse_front_matter,
    split_markdown,
    split_plain_text,
    window,
)

log = logging.getLogger("helpline.kb")

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
DOCUMENT_SUFFIXES = MARKDOWN_SUFFIXES | {".txt"}
CORPUS_SUFFIX = ".jsonl"
_BOM = b"\xef\xbb\xbf"
_Namer = Callable[[Path], str]
_ACCEPTED = "a folder of .md, .markdown or .txt files, one such file, or a .jsonl corpus"


@dataclass(frozen=True)
class IngestResult:
    """The chunks read from a knowledge base, with a warning for everything skipped."""

    chunks: list[Chunk]
    warnings: list[str]
    documents: int


class _Skip(Exception):
    """A file or line that cannot be used; its message says why."""


def ingest_path(path: Path, *, max_words: int = 150) -> IngestResult:
    """Read a folder, a single document or a JSON-lines corpus into chunks."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder; expected {_ACCEPTED}")
    if path.is_dir():
        return _ingest_folder(path, max_words)
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return _ingest_files([path], max_words, name=lambda file: file.name)
    if suffix == CORPUS_SUFFIX:
        return _ingest_corpus(path, max_words)
    raise DataError(f"{path}: cannot index a {path.suffix or 'suffix-less'} file; expected {_ACCEPTED}")


def _warn(warnings: list[str], message: str) -> None:
    log.warning("%s", message)
    warnings.append(message)


def _ingest_folder(root: Path, max_words: int) -> IngestResult:
    """Every document under ``root``, hidden files and folders excepted, in path order."""
    warnings: list[str] = []
    files: list[Path] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename).relative_to(root).as_posix() if error.filename else str(root)
        _warn(warnings, f"{where}: cannot read folder ({error.strerror or error})")

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [
            Path(folder, n) for n in names if not n.startswith(".") and Path(n).suffix.lower() in DOCUMENT_SUFFIXES
        ]
    files.sort(key=lambda file: file.relative_to(root).as_posix())
    if not files:
        _warn(warnings, f"{root}: no .md, .markdown or .txt files found")
    result = _ingest_files(files, max_words, name=lambda file: file.relative_to(root).as_posix())
    return IngestResult(result.chunks, warnings + result.warnings, result.documents)


def _ingest_files(files: list[Path], max_words: int, *, name: _Namer) -> IngestResult:
    """Chunks of each file; a file that cannot be used is skipped with a warning."""
    chunks: list[Chunk] = []
    warnings: list[str] = []
    documents = 0
    for file in files:
        shown = name(file)
        try:
            doc_chunks = _document_chunks(file, shown, max_words)
        except _Skip as skip:
            _warn(warnings, f"{shown}: {skip}")
            continue
        chunks += doc_chunks
        documents += 1
    return IngestResult(chunks, warnings, documents)


def _decode(raw: bytes, *, offset: int = 0) -> str:
    """UTF-8 text of ``raw``, or ``_Skip`` saying where it is not valid; ``offset`` is where ``raw`` starts."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Skip(f"not valid UTF-8 (byte offset {offset + exc.start}); save it as UTF-8") from None


def _read(file: Path) -> bytes:
    """The file's bytes, or ``_Skip`` if it cannot be read, is empty or is binary."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise _Skip(f"cannot read file ({exc.strerror or exc})") from None
    if not raw.strip():
        raise _Skip("empty file")
    # Text never contains NUL; images, archives and UTF-16 files nearly always do.
    if b"\0" in raw:
        raise _Skip("looks like a binary file (contains NUL bytes), not UTF-8 text")
    return raw


def _document_chunks(file: Path, shown: str, max_words: int) -> list[Chunk]:
    """Chunks of one Markdown or plain-text document."""
    text = clean_document(_decode(_read(file)))
    if not text:
        raise _Skip("empty file")
    path = Path(shown)
    doc_id = path.with_suffix("").as_posix()
    fallback = _title_from_name(path.stem)
    url: str | None = None
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        try:
            meta, body = parse_front_matter(text)
        except ValueError as exc:
            raise _Skip(str(exc)) from None
        heading, sections = split_markdown(body)
        title = meta.get("title", "").strip() or heading or fallback
        url = meta.get("url", "").strip() or None
    else:
        title, sections = split_plain_text(text, fallback)
    chunks = _chunks(doc_id, title, sections, source=shown, url=url, max_words=max_words)
    if not chunks:
        raise _Skip("no text to index (only front matter or headings)")
    return chunks


def _title_from_name(stem: str) -> str:
    """A readable title from a file name: ``build-image-too-large`` → ``Build image too large``."""
    words = stem.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _chunks(
    doc_id: str,
    title: str,
    sections: list[Section],
    *,
    source: str,
    url: str | None,
    max_words: int,
) -> list[Chunk]:
    """Window every section and number the pieces within the document from 0."""
    pieces = [(section.heading, piece) for section in sections for piece in window(section.text, max_words)]
    return [
        Chunk(
            chunk_id=f"{doc_id}#{n}",
            doc_id=doc_id,
            title=title,
            section=heading,
            text=text,
            source=source,
            url=url,
        )
        for n, (heading, text) in enumerate(pieces)
    ]


def _ingest_corpus(file: Path, max_words: int) -> IngestResult:
    """Chunks of a JSON-lines corpus, one ``{"id", "title", "text"}`` record a line.

    ``"_id"`` is accepted for ``"id"``, so BEIR-style corpora load as they are.
    """
    chunks: list[Chunk] = []
    warnings: list[str] = []
    try:
        raw = _read(file)
    except _Skip as skip:
        _warn(warnings, f"{file.name}: {skip}")
        return IngestResult(chunks, warnings, 0)
    first_line: dict[str, int] = {}
    # Skip a UTF-8 byte-order mark (Windows editors write one) but count it in offsets.
    offset = len(_BOM) if raw.startswith(_BOM) else 0
    for number, line in enumerate(raw[offset:].split(b"\n"), start=1):
        try:
            if line.strip():
                doc_id, record = _record(_decode(line, offset=offset), first_line, number)
                source = f"{file.name}#{doc_id}"
                chunks += _record_chunks(doc_id, record, source=source, max_words=max_words)
        except _Skip as skip:
            _warn(warnings, f"{file.name} line {number}: {skip}")
        offset += len(line) + 1
    return IngestResult(chunks, warnings, len(first_line))


def _record(line: str, first_line: dict[str, int], number: int) -> tuple[str, dict[str, object]]:
    """The id and fields of one corpus line, checked; records the id as seen on line ``number``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _Skip(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise _Skip(f"expected a JSON object, got {type(record).__name__}")
    raw_id = record.get("id", record.get("_id"))
    # bool is an int to Python, but `true` is never meant as a document id.
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
        raise _Skip('missing "id" (a string or an integer)')
    doc_id = str(raw_id).strip()
    text = record.get("text")
    if not isinstance(text, str) or not clean_document(text):
        raise _Skip(f'record {doc_id!r} has no "text"')
    if doc_id in first_line:
        raise _Skip(f"duplicate id {doc_id!r} (first on line {first_line[doc_id]}); skipped")
    first_line[doc_id] = number
    return doc_id, record


def _record_chunks(doc_id: str, record: dict[str, object], *, source: str, max_words: int) -> list[Chunk]:
    """Window one corpus record's text into chunks."""
    title = record.get("title")
    url = record.get("url")
    section = Section(heading="", text=clean_document(str(record["text"])))
    return _chunks(
        doc_id,
        clean_document(title) if isinstance(title, str) else "",
        [section],
        source=source,
        url=(url.strip() or None) if isinstance(url, str) else None,
        max_words=max_words,
    )


def article_chunks(
    doc_id: str, title: str, body: str, *, source: str, url: str | None = None, max_words: int = 150
) -> list[Chunk]:
    """Chunks of one article written in Helpline (chat, a ticket): Markdown body, given title."""
    _, sections = split_markdown(clean_document(body))
    return _chunks(doc_id, clean_document(title), sections, source=source, url=url, max_words=max_words)
