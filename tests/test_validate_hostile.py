"""kzdata validate on hostile inputs: a JSONTestSuite-style corpus in both file modes.

``tests/data/hostile/`` holds small files named like the JSONTestSuite ones
(``n_`` must be rejected, ``y_`` must parse, ``i_`` is implementation-defined), each once as
``.json`` (an array of records, read whole) and once as ``.jsonl`` (one document a line).
Every ``n_`` file must give an error issue of the input family (KZ0xx) with its line and
exit 1; a ``y_`` file must parse (no input-family issue; schema verdicts are fine); no file
may ever raise.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from kzdata import cli
from kzdata.validate import validate

HOSTILE = Path(__file__).parent / "data" / "hostile"
FILES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".json", ".jsonl"))
PARSE_CODES = {"KZ001", "KZ002", "KZ003", "KZ004", "KZ007", "KZ008"}
"""Issues saying the bytes are not (the expected layout of) JSON."""


def validate_json(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    try:
        cli.main(["validate", str(path), "--format", "json"])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    else:
        code = 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, json.loads(out.out)


def test_corpus_covers_every_category_in_both_modes() -> None:
    stems = {p.stem for p in FILES}
    for stem in stems:
        assert (HOSTILE / f"{stem}.json").is_file() and (HOSTILE / f"{stem}.jsonl").is_file(), stem
    for family in ("n_array_", "n_object_", "n_string_", "n_number_", "n_structure_", "i_", "y_"):
        assert any(s.startswith(family) for s in stems), family


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("n_")], ids=lambda p: p.name)
def test_n_file_is_malformed(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = validate_json(path, capsys)
    issues = report["issues"]
    assert isinstance(issues, list)
    found = [i for i in issues if i["severity"] == "error" and (i["code"] in PARSE_CODES or i["code"] == "KZ006")]
    assert code == 1, issues
    assert found, issues
    assert all(i["line"] is not None for i in found), found


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("y_")], ids=lambda p: p.name)
def test_y_file_parses(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = validate_json(path, capsys)
    issues = report["issues"]
    assert isinstance(issues, list)
    assert not [i for i in issues if i["code"] in PARSE_CODES], issues
    assert code in (0, 1)


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("i_")], ids=lambda p: p.name)
def test_i_file_never_raises(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = validate_json(path, capsys)
    assert code in (0, 1)
    issues = report["issues"]
    assert isinstance(issues, list)
    assert all(i["line"] is not None for i in issues if i["code"] in PARSE_CODES), issues


FULL = Path(__file__).parent / "data" / "validate" / "valid" / "full" / "records.jsonl"
ARRAY = Path(__file__).parent / "data" / "validate" / "valid" / "json-array" / "records.json"


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with fifo.open("wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
@pytest.mark.parametrize("source", [FULL, ARRAY], ids=lambda p: p.suffix)
def test_a_named_pipe_is_read_as_a_stream(source: Path, tmp_path: Path) -> None:
    fifo = tmp_path / f"records{source.suffix}"
    os.mkfifo(fifo)
    writer = _feed(fifo, source.read_bytes())
    report = validate([fifo], jobs=1)
    writer.join(5)
    direct = validate([source], jobs=1)
    assert report.records == direct.records > 0
    assert report.ok and direct.ok


def test_a_pipe_given_as_dev_fd_path_is_read(tmp_path: Path) -> None:
    """What the shell passes for ``<(cat records.jsonl)``: /dev/fd/N, a pipe."""
    if not Path("/dev/fd").is_dir():
        pytest.skip("no /dev/fd on this platform")
    read_end, write_end = os.pipe()
    data = FULL.read_bytes()

    def write() -> None:
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        report = validate([f"/dev/fd/{read_end}"], jobs=1)
    finally:
        writer.join(5)
        os.close(read_end)
    assert report.records == validate([FULL], jobs=1).records
    assert not [i for i in report.issues if i.code == "KZ006"]
