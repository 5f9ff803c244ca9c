"""kzdata.validate.loaders: line limits, formats and read problems as values."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kzdata.errors import UsageError
from kzdata.validate.issues import Issue
from kzdata.validate.loaders import InputFile, RecordText, iter_lines, read, resolve_inputs


def test_iter_lines_limit_excludes_the_newline() -> None:
    stream = io.BytesIO(b"abcd\nabcde\nab\r\nabcdefgh")
    assert list(iter_lines(stream, 4)) == [(1, b"abcd\n"), (2, None), (3, b"ab\r\n"), (4, None)]
    assert list(iter_lines(io.BytesIO(b"ab\r\nxy"), 4)) == [(1, b"ab\r\n"), (2, b"xy")]


def test_over_limit_line_is_drained_not_kept() -> None:
    stream = io.BytesIO(b"x" * 5_000_000 + b"\n{}\n")
    assert list(iter_lines(stream, 1024)) == [(1, None), (2, b"{}\n")]


def _read(path: Path, kind: str) -> list[RecordText | Issue]:
    return list(read(InputFile(str(path), path, kind)))


def test_crlf_jsonl_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"a": 1}\r\n\r\n   \n{"b": 2}\r\n')
    assert [(d.line, d.data) for d in _read(path, "jsonl") if isinstance(d, RecordText)] == [
        (1, b'{"a": 1}\r\n'),
        (4, b'{"b": 2}\r\n'),
    ]


def test_json_array_elements_keep_their_line(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('[\n  {"a": 1},\n  {"b": [1,\n 2]},\n  {"c": NaN}\n]\n')
    found = _read(path, "json")
    assert [(d.line, d.data) for d in found if isinstance(d, RecordText)] == [
        (2, b'{"a": 1}'),
        (3, b'{"b": [1,\n 2]}'),
        (5, b'{"c": NaN}'),
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [('[{"a": 1},\n{"b": 2}', 2), ('[{"a": 1}\n{"b": 2}]', 2), ('[{"a": 1}] extra', 1), ('{"a": 1}', 1)],
)
def test_json_array_layout_problems(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "r.json"
    path.write_text(text)
    issues = [i for i in _read(path, "json") if isinstance(i, Issue)]
    assert [(i.code in ("KZ001", "KZ007"), i.line) for i in issues] == [(True, line)]


def test_csv_row_spanning_lines_reports_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text('id,name,notes\r\nact-a,A,"two\r\nlines"\r\nact-b,B,\r\n', newline="")
    docs = [d for d in _read(path, "csv") if isinstance(d, RecordText)]
    assert [d.line for d in docs] == [2, 4]
    assert b'"notes":"two\\r\\nlines"' in docs[0].data


def test_csv_invalid_utf8_row_is_an_issue_and_the_next_row_is_read(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_bytes(b"id,name\nact-a,\xff\nact-b,B\n")
    found = _read(path, "csv")
    assert isinstance(found[0], Issue) and (found[0].code, found[0].line) == ("KZ002", 2)
    assert isinstance(found[1], RecordText) and found[1].line == 3


def test_resolve_inputs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.jsonl", "a.csv", "sub/c.json", "notes.txt"):
        (tmp_path / name).write_text("")
    files, issues = resolve_inputs([tmp_path, "-"])
    assert [(Path(f.name).name, f.kind) for f in files] == [
        ("a.csv", "csv"),
        ("b.jsonl", "jsonl"),
        ("c.json", "json"),
        ("<stdin>", "jsonl"),
    ]
    assert issues == []
    with pytest.raises(UsageError):
        resolve_inputs([tmp_path / "missing.jsonl"])
