"""`kzdata export`: exit codes 0/1/2 and the rules of its output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzdata import cli
from kzdata.release import write

RECORDS = Path(__file__).parent / "data" / "export" / "records.jsonl"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    out, err = capsys.readouterr()
    return int(caught.value.code or 0), out, err


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_exports_the_records_as_the_library_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["export", str(RECORDS), "--out", str(tmp_path / "cli"), "--dataset-version", "1.0.0"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("wrote ") and str(tmp_path / "cli") in out
    write.export_jsonl([RECORDS], tmp_path / "lib", dataset_version="1.0.0")
    assert _files(tmp_path / "cli") == _files(tmp_path / "lib")


def test_replaces_an_export_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", str(RECORDS), "--out", str(tmp_path / "out")], capsys)[0] == 0
    assert run(["export", str(RECORDS), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"], capsys)[:2] == (0, "")


def test_a_bad_record_exits_1_naming_the_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([*lines[:2], '{"record_type": "claim"}', *lines[2:]]) + "\n", encoding="utf-8")
    code, _, err = run(["export", str(bad), "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert err.startswith(f"Error: {bad}:3: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_duplicate_ids_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice = tmp_path / "twice.jsonl"
    twice.write_bytes(RECORDS.read_bytes() * 2)
    code, _, err = run(["export", str(twice), "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "duplicate ids" in err
    assert not (tmp_path / "out").exists()


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert err.startswith("Error: cannot read") and err.count("\n") == 1


def test_refuses_a_folder_kzdata_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("keep me", encoding="utf-8")
    code, _, err = run(["export", str(RECORDS), "--out", str(mine)], capsys)
    assert code == 2
    assert "not written by kzdata" in err and err.count("\n") == 1
    assert _files(mine) == {"thesis.tex": b"keep me"}


def test_refuses_a_file_as_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert run(["export", str(RECORDS), "--out", str(target)], capsys)[0] == 2
    assert target.read_text(encoding="utf-8") == "x"


def test_out_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", str(RECORDS)], capsys)
    assert code == 2
    assert "--out" in err
