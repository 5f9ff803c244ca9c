"""Loaders: turn input files into a stream of JSON documents, one per record, with their line.

A loader never raises on bad bytes: what it cannot read becomes an :class:`Issue` in the
stream and reading goes on with the next line (or row). Formats, chosen by extension:

- ``.jsonl`` / ``.ndjson`` (and any other extension, and ``-`` for stdin): JSON Lines, one
  record per line, blank lines ignored. A line longer than ``max_line_bytes`` (default
  :data:`MAX_LINE_BYTES`, 16 MiB) is skipped with a KZ004 issue without being held in memory.
- ``.json``: one array of records, read whole (up to :data:`MAX_JSON_FILE_BYTES`); use JSON
  Lines for anything large.
- ``.csv``: the flat export layout of :mod:`kzdata.formats.csv`; the record type comes from a
  ``record_type`` column or the file name's stem (``claims.csv``, ``sources.csv``…).

Directories are searched recursively for those three extensions, in sorted order; in a
release folder (one holding ``datapackage.json``) only the record tables are read
(``sources.jsonl`` … ``claim_relations.jsonl``: not their CSV copies, not
``changes.jsonl``, not the descriptor). A path
that is neither a regular file nor a directory — a named pipe, ``<(cat f)`` (``/dev/fd/N``),
``/dev/stdin`` — is read once, front to back, as a stream (like ``-``), in the format of its
extension (JSON Lines when it has none).
"""

from __future__ import annotations

import csv
import json
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from kzdata.errors import InputError, UsageError
from kzdata.formats import csv as flat
from kzdata.release.layout import PACKAGE_NAME, RECORD_FILES
from kzdata.validate.issues import Issue, make_issue

MAX_LINE_BYTES = 16 * 1024 * 1024
"""Default limit on one JSON Lines line (or CSV line), in bytes, newline excluded."""
MAX_JSON_FILE_BYTES = 512 * 1024 * 1024
"""Limit on a ``.json`` array file, which is read whole."""
BOM = b"\xef\xbb\xbf"
STDIN = "<stdin>"
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}


@dataclass(frozen=True, slots=True)
class RecordText:
    """One record's JSON text, with where it came from."""

    file: str
    line: int
    data: bytes


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to read: its display name, its path (None for stdin), its format, and whether
    it can only be read once front to back (a pipe or a device, not a regular file)."""

    name: str
    path: Path | None
    kind: str
    stream: bool = False

    @property
    def directory(self) -> Path:
        """The directory source text paths are resolved against (cwd for stdin and streams)."""
        return self.path.parent if self.path is not None and not self.stream else Path.cwd()


def resolve_inputs(paths: list[str | Path]) -> tuple[list[InputFile], list[Issue]]:
    """Expand paths and directories into input files; a missing path is a UsageError."""
    files: list[InputFile] = []
    issues: list[Issue] = []
    for given in paths:
        if str(given) == "-":
            files.append(InputFile(STDIN, None, "jsonl"))
            continue
        path = Path(given)
        if path.is_dir():
            found = _directory(path)
            if not found:
                issues.append(_no_records(str(given), "directory has no .jsonl, .json or .csv files"))
            files.extend(InputFile(str(p), p, _SUFFIXES[p.suffix.lower()]) for p in found)
        elif path.is_file():
            files.append(InputFile(str(given), path, _SUFFIXES.get(path.suffix.lower(), "jsonl")))
        elif _is_stream(path):
            files.append(InputFile(str(given), path, _SUFFIXES.get(path.suffix.lower(), "jsonl"), stream=True))
        else:
            raise UsageError(f"no such file or directory: {given}", "check the path")
    return files, issues


def _directory(path: Path) -> list[Path]:
    """Record files under ``path``, sorted; in a release folder only its record tables."""
    found = sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())
    releases = {p.parent for p in path.rglob(PACKAGE_NAME) if p.is_file()}
    if not releases:
        return found
    return [p for p in found if _outside(p, releases) or (p.parent in releases and p.name in RECORD_FILES)]


def _outside(path: Path, releases: set[Path]) -> bool:
    return not any(path.is_relative_to(folder) for folder in releases)


def _is_stream(path: Path) -> bool:
    """True for a named pipe, a pipe behind /dev/fd/N or /dev/stdin, or a character device."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def _no_records(name: str, why: str) -> Issue:
    return make_issue("KZ006", f"{why} — add records (one JSON object per line) or remove it", file=name, line=None)


def read(source: InputFile, *, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[RecordText | Issue]:
    """Documents and read problems of one input, in file order."""
    if source.path is None:
        yield from _jsonl(sys.stdin.buffer, source.name, max_line_bytes)
        return
    try:
        stream = source.path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read {source.name}: {error.strerror}", "check the file's permissions") from None
    with stream:
        if source.kind == "json":
            yield from _json_array(stream, source.name)
        elif source.kind == "csv":
            yield from _csv(stream, source, max_line_bytes)
        else:
            yield from _jsonl(stream, source.name, max_line_bytes)


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per physical line; None for a line over ``limit`` bytes (drained)."""
    readline = stream.readline
    number = 0
    while line := readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (chunk := readline(1 << 20)) and not chunk.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def too_long_message(limit: int) -> str:
    """The message of KZ004."""
    return (
        f"line is longer than {limit} bytes and was skipped — put one record per line; "
        "a record this large is almost certainly a broken file"
    )


BOM_MESSAGE = "file starts with a UTF-8 byte order mark — save it as UTF-8 without BOM"
"""The message of KZ003."""


def _too_long(name: str, number: int, limit: int) -> Issue:
    return make_issue("KZ004", too_long_message(limit), file=name, line=number)


def _bom(name: str) -> Issue:
    return make_issue("KZ003", BOM_MESSAGE, file=name, line=1)


def _jsonl(stream: BinaryIO, name: str, limit: int) -> Iterator[RecordText | Issue]:
    for number, line in iter_lines(stream, limit):
        if line is None:
            yield _too_long(name, number, limit)
            continue
        if number == 1 and line.startswith(BOM):
            yield _bom(name)
        data = line[len(BOM) :] if number == 1 and line.startswith(BOM) else line
        if data.strip():
            yield RecordText(name, number, data)


def _json_array(stream: BinaryIO, name: str) -> Iterator[RecordText | Issue]:
    data = stream.read(MAX_JSON_FILE_BYTES + 1)
    if len(data) > MAX_JSON_FILE_BYTES:
        yield make_issue(
            "KZ007", f".json file over {MAX_JSON_FILE_BYTES} bytes — convert it to JSON Lines", file=name, line=None
        )
        return
    if data.startswith(BOM):
        yield _bom(name)
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        yield make_issue("KZ002", f"invalid UTF-8 at byte {error.start} — save the file as UTF-8", file=name, line=line)
        return
    yield from _array_elements(text, name)


_BOUNDS = json.JSONDecoder(parse_int=lambda s: 0, parse_float=lambda s: 0.0, parse_constant=lambda s: 0)
_WS = " \t\r\n"


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WS:
        index += 1
    return index


def _array_elements(text: str, name: str) -> Iterator[RecordText | Issue]:
    index = _skip(text, 0)
    if index == len(text):
        return
    if text[index] != "[":
        yield make_issue("KZ007", "a .json file must hold one array of records — wrap them in [ ]", file=name, line=1)
        return
    index, line, counted = _skip(text, index + 1), 1, 0
    while index < len(text) and text[index] != "]":
        line += text.count("\n", counted, index)
        counted = index
        try:
            end = _BOUNDS.raw_decode(text, index)[1]
        except json.JSONDecodeError as error:
            yield make_issue(
                "KZ001",
                f"invalid JSON: {error.msg} (column {error.colno}) — fix the syntax",
                file=name,
                line=error.lineno,
            )
            return
        except RecursionError:
            yield make_issue("KZ001", "JSON nested too deeply — a record is a flat object", file=name, line=line)
            return
        yield RecordText(name, line, text[index:end].encode("utf-8"))
        index = _skip(text, end)
        if index < len(text) and text[index] == ",":
            comma, index = index, _skip(text, index + 1)
            if index < len(text) and text[index] == "]":
                yield make_issue(
                    "KZ001",
                    "trailing comma before ] — remove it (JSON allows no comma after the last element)",
                    file=name,
                    line=text.count("\n", 0, comma) + 1,
                )
                return
        elif index < len(text) and text[index] != "]":
            yield make_issue(
                "KZ001",
                "expected ',' or ']' after an array element — fix the syntax",
                file=name,
                line=text.count("\n", 0, index) + 1,
            )
            return
    if index >= len(text):
        yield make_issue(
            "KZ001", "the array is not closed (truncated file?) — end it with ]", file=name, line=text.count("\n") + 1
        )
    elif text[_skip(text, index + 1) :]:
        yield make_issue(
            "KZ001", "content after the closing ] — remove it", file=name, line=text.count("\n", 0, index) + 1
        )


class _CsvLines:
    """Decoded physical lines for csv.reader, remembering which were too long or not UTF-8."""

    def __init__(self, stream: BinaryIO, name: str, limit: int) -> None:
        self.stream, self.name, self.limit = stream, name, limit
        self.long: set[int] = set()
        self.bad: set[int] = set()
        self.pending: list[Issue] = []

    def __iter__(self) -> Iterator[str]:
        for number, raw in iter_lines(self.stream, self.limit):
            if raw is None:
                self.long.add(number)
                yield "\n"
                continue
            if number == 1 and raw.startswith(BOM):
                self.pending.append(_bom(self.name))
            data = raw[len(BOM) :] if number == 1 and raw.startswith(BOM) else raw
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.add(number)
                yield data.decode("utf-8", "replace")

    def problem(self, first: int, last: int) -> Issue | None:
        """A KZ004/KZ002 issue if a line of the row was too long or not UTF-8."""
        for number in range(first, last + 1):
            if number in self.long:
                return _too_long(self.name, number, self.limit)
            if number in self.bad:
                return make_issue(
                    "KZ002", "invalid UTF-8 in this row — save the file as UTF-8", file=self.name, line=number
                )
        return None


def _csv_rows(lines: _CsvLines) -> Iterator[tuple[int, list[str]] | Issue]:
    """(first line, cells) per well-formed row; an Issue per malformed or unreadable row."""
    csv.field_size_limit(max(csv.field_size_limit(), lines.limit))
    reader = csv.reader(lines, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = f"malformed CSV: {error} — quote cells that hold commas, quotes or newlines"
            yield make_issue("KZ007", message, file=lines.name, line=previous + 1)
            previous = reader.line_num
            continue
        first, previous = previous + 1, reader.line_num
        yield from lines.pending
        lines.pending.clear()
        problem = lines.problem(first, previous)
        yield problem if problem is not None else (first, cells)


def _csv(stream: BinaryIO, source: InputFile, limit: int) -> Iterator[RecordText | Issue]:
    header: list[str] | None = None
    stem_type = flat.record_type_for_name(source.path.stem if source.path else "")
    for row in _csv_rows(_CsvLines(stream, source.name, limit)):
        if isinstance(row, Issue):
            yield row
        elif header is None:
            header = row[1]
            if stem_type is None and "record_type" not in header:
                yield make_issue(
                    "KZ007",
                    "cannot tell the record type of this CSV — name it claims.csv, sources.csv, actors.csv, "
                    "events.csv or claim_relations.csv, or add a record_type column",
                    file=source.name,
                    line=1,
                )
                return
        elif row[1]:
            yield _row_document(source.name, row[0], header, row[1], stem_type)


def _row_document(
    name: str, line: int, header: list[str], cells: list[str], stem_type: str | None
) -> RecordText | Issue:
    if len(cells) != len(header):
        return make_issue(
            "KZ007", f"row has {len(cells)} cells but the header has {len(header)} — fix the row", file=name, line=line
        )
    row = dict(zip(header, cells, strict=True))
    record_type = row.get("record_type") or stem_type
    if record_type not in flat.COLUMNS:
        return make_issue(
            "KZ101",
            f"unknown record_type {record_type!r} — use one of: {', '.join(flat.COLUMNS)}",
            file=name,
            line=line,
            pointer="/record_type",
        )
    return RecordText(name, line, orjson.dumps(flat.unflatten(row, record_type)))
