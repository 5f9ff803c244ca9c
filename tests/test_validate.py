"""kzdata validate: case folders through the CLI, hostile inputs, formats, invariants."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdata import cli
from kzdata.records.jsonl import parse_record
from kzdata.release import sums
from kzdata.validate import CODES, Severity, iter_issues, validate, validate_records

DATA = Path(__file__).parent / "data" / "validate"
CASES = sorted(p for p in (DATA / "valid").iterdir() if p.is_dir()) + sorted(
    p for p in (DATA / "invalid").iterdir() if p.is_dir()
)
INPUT_SUFFIXES = {".jsonl", ".json", ".csv"}
REPORT_SCHEMA = json.loads((Path(__file__).parent.parent / "schema" / "report.schema.json").read_text())


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit code, stdout, stderr)."""
    try:
        cli.main(args)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    else:
        code = 0
    out = capsys.readouterr()
    return code, out.out, out.err


def inputs(case: Path) -> list[str]:
    return [str(p) for p in sorted(case.iterdir()) if p.suffix in INPUT_SUFFIXES and p.name != "expected.json"]


def triples(issues: list[dict[str, Any]]) -> list[tuple[str, int | None, str]]:
    return sorted((i["code"], i["line"], i["pointer"]) for i in issues)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((case / "expected.json").read_text())
    code, out, _ = run(["validate", *inputs(case), "--format", "json", *expected.get("args", [])], capsys)
    report = json.loads(out)
    assert triples(report["issues"]) == triples(expected["issues"])
    assert code == expected["exit"]
    assert all(i["file"] in inputs(case) for i in report["issues"])
    assert all(" — " in i["message"] for i in report["issues"]), "every message says how to fix it"


def test_cases_cover_every_code_but_the_test_time_ones() -> None:
    seen = set()
    for case in CASES:
        seen |= {i["code"] for i in json.loads((case / "expected.json").read_text())["issues"]}
    made_at_test_time = {"KZ004", "KZ108", "KZ308"}
    assert set(CODES) - seen == made_at_test_time


def test_ten_problems_in_one_file_are_all_reported(capsys: pytest.CaptureFixture[str]) -> None:
    file = DATA / "mixed" / "ten-problems.jsonl"
    expected = json.loads((DATA / "mixed" / "ten-problems.expected.json").read_text())["issues"]
    code, out, _ = run(["validate", str(file), "-f", "json"], capsys)
    issues = json.loads(out)["issues"]
    assert code == 1
    assert len({i["code"] for i in issues}) == 10
    assert triples(issues) == triples(expected)
    assert all(i["file"] == str(file) and i["line"] for i in issues)


def test_text_format_lines_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    file = DATA / "invalid" / "quote-mismatch" / "records.jsonl"
    code, out, _ = run(["validate", str(file)], capsys)
    first, *_, last = out.splitlines()
    assert code == 1
    assert first.startswith(f"{file}:5: error: KZ301 quote differs")
    assert first.endswith("[/quote]")
    assert "expected '5,996 people had been detained', found '5,969 people had been detained'" in first
    assert last == "invalid: 1 error(s), 0 warning(s) in 6 record(s) from 1 file(s)"
    assert "\x1b[" not in out


def test_quiet_and_verbose(capsys: pytest.CaptureFixture[str]) -> None:
    file = str(DATA / "invalid" / "unknown-field" / "records.jsonl")
    _, quiet, _ = run(["validate", file, "-q"], capsys)
    _, verbose, _ = run(["validate", file, "-v"], capsys)
    assert quiet.count("\n") == 1 and "KZ103" in quiet
    assert "read " in verbose and "KZ103: 1 × unknown field" in verbose


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    file = str(DATA / "invalid" / "duplicate-id" / "records.jsonl")
    code, out, _ = run(["validate", file, "--format", "github"], capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(f"::error file={file},line=7,title=KZ601 duplicate id::")


def test_json_output_equals_library_report_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(DATA / "mixed" / "ten-problems.jsonl"), str(DATA / "valid" / "full")]
    _, out, _ = run(["validate", *paths, "--format", "json"], capsys)
    report = validate(paths)
    assert out == report.to_json()
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(json.loads(out))
    assert report.records == 16 + 6


def test_max_issues_and_severity(capsys: pytest.CaptureFixture[str]) -> None:
    file = str(DATA / "mixed" / "ten-problems.jsonl")
    _, out, _ = run(["validate", file, "-f", "json", "--max-issues", "3"], capsys)
    report = json.loads(out)
    assert len(report["issues"]) == 3 and report["truncated"] and report["by_severity"]["error"] == 10
    warn = str(DATA / "invalid" / "id-not-derived" / "records.jsonl")
    code, out, _ = run(["validate", warn, "-f", "json", "--severity", "error"], capsys)
    assert code == 0 and json.loads(out)["issues"] == []
    code, _, _ = run(["validate", warn, "--strict"], capsys)
    assert code == 1


@pytest.mark.parametrize(
    "args",
    [["validate", "no/such/file.jsonl"], ["validate", "-", "--format", "xml"], ["validate", "-", "--severity", "x"]],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert err.startswith("Error: ") and "Traceback" not in err


def test_against_a_release_resolves_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (DATA / "valid" / "full" / "records.jsonl").read_text().splitlines(keepends=True)
    release = tmp_path / "exports" / "v0.1.0"
    release.mkdir(parents=True)
    (release / "sources.jsonl").write_text(lines[0])
    (release / "actors.jsonl").write_text("".join(lines[1:3]))
    (release / "events.jsonl").write_text(lines[3])
    names = ["sources.jsonl", "actors.jsonl", "events.jsonl"]
    (release / "SHA256SUMS").write_text(sums.render_sums(sums.digest_all(release, names)))
    contribution = tmp_path / "claims.jsonl"
    contribution.write_text("".join(lines[4:]))
    code, out, _ = run(["validate", str(contribution), "-f", "json"], capsys)
    assert code == 1 and {i["code"] for i in json.loads(out)["issues"]} == {"KZ201", "KZ202", "KZ203"}
    texts = str(DATA / "texts")
    code, out, _ = run(
        ["validate", str(contribution), "--against", str(release), "--texts", texts, "-f", "json"], capsys
    )
    assert (code, json.loads(out)["issues"]) == (0, [])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KZDATA_CACHE", str(tmp_path / "cache"))
    code, _, _ = run(["validate", str(contribution), "--against", "0.1.0", "--texts", texts], capsys)
    assert code == 0
    (tmp_path / "cache").mkdir()
    release.rename(tmp_path / "cache" / "v0.1.0")
    code, _, _ = run(["validate", str(contribution), "--against", "v0.1.0", "--texts", texts], capsys)
    assert code == 0
    code, _, err = run(["validate", str(contribution), "--against", "9.9.9"], capsys)
    assert code == 2 and "no release" in err and "download" in err


def test_texts_dir_is_searched_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "records.jsonl"
    records.write_bytes((DATA / "valid" / "full" / "records.jsonl").read_bytes())
    code, out, _ = run(["validate", str(records), "-f", "json"], capsys)
    assert code == 0 and [i["code"] for i in json.loads(out)["issues"]] == ["KZ305"]
    code, out, _ = run(["validate", str(records), "-f", "json", "--texts", str(DATA / "texts")], capsys)
    assert code == 0 and json.loads(out)["issues"] == []


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    data = (DATA / "invalid" / "unknown-field" / "records.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    monkeypatch.chdir(DATA / "invalid" / "unknown-field")
    code, out, _ = run(["validate", "-", "-f", "json"], capsys)
    assert code == 1
    assert triples(json.loads(out)["issues"]) == [("KZ103", 6, "/reviewer")]
    assert json.loads(out)["issues"][0]["file"] == "<stdin>"


# --- hostile inputs made at test time ------------------------------------------------------


def codes_of(path: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple[str, int | None]]]:
    code, out, err = run(["validate", str(path), "-f", "json", *args], capsys)
    assert "Traceback" not in err
    return code, [(i["code"], i["line"]) for i in json.loads(out)["issues"]]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_nesting_100k_deep(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / f"deep{suffix}"
    path.write_text(f"[{deep}]" if suffix == ".json" else deep + "\n" + deep + "\n")
    code, found = codes_of(path, capsys=capsys)
    assert code == 1
    assert found == ([("KZ001", 1)] if suffix == ".json" else [("KZ001", 1), ("KZ001", 2)])


def test_over_limit_line_is_an_issue_and_reading_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (DATA / "valid" / "full" / "records.jsonl").read_text().splitlines(keepends=True)
    path = tmp_path / "long.jsonl"
    path.write_text(lines[0] + '{"notes": "' + "x" * 5000 + '"}\n' + lines[1] + "[1")
    code, found = codes_of(path, "--max-line-bytes", "4096", "--texts", str(DATA / "texts"), capsys=capsys)
    assert code == 1
    assert found == [("KZ004", 2), ("KZ001", 4)]


def test_default_line_limit_is_16_mib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(b'{"notes": "' + b"x" * (16 * 1024 * 1024) + b'"}\n{}\n')
    code, found = codes_of(path, capsys=capsys)
    assert code == 1
    assert found[0] == ("KZ004", 1)
    assert ("KZ101", 2) in found


def test_directory_without_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("not records")
    code, found = codes_of(tmp_path, capsys=capsys)
    assert (code, found) == (1, [("KZ006", None)])


def test_source_text_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = b"Caf\xe9 " * 10
    source = json.loads((DATA / "valid" / "full" / "records.jsonl").read_text().splitlines()[0])
    source.update(
        path="t.txt", sha256=hashlib.sha256(text).hexdigest(), id="src-" + hashlib.sha256(text).hexdigest()[:12]
    )
    (tmp_path / "t.txt").write_bytes(text)
    (tmp_path / "s.jsonl").write_text(json.dumps(source) + "\n")
    code, found = codes_of(tmp_path / "s.jsonl", capsys=capsys)
    assert (code, found) == (1, [("KZ308", 1)])


def test_other_schema_violation_gets_kz108(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"record_type": "actor", "id": "act-a", "name": "A", "actor_type": "person", "roles": {"x": 1}}\n')
    code, found = codes_of(path, capsys=capsys)
    assert code == 1 and found == [("KZ104", 1)]
    issues = list(iter_issues([path]))
    assert issues[0].pointer == "/roles"


# --- invariants ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".jsonl", ".json", ".csv"]))
def test_validate_never_raises_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"claims{suffix}"
    path.write_bytes(data)
    report = validate([path])
    assert report.ok == (report.by_severity[Severity.ERROR] == 0)
    report.to_json()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            ['{"', "}", "[", "]", ":", ",", '"id"', "1e999", "NaN", "\\ud800", '"record_type"', '"claim"', "\n", "\xff"]
        ),
        max_size=40,
    )
)
def test_validate_never_raises_on_json_like_junk(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_bytes("".join(parts).encode("utf-8", "surrogatepass"))
    validate([path]).to_json()


def test_validation_never_changes_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(p for p in DATA.rglob("*") if p.is_file())
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    for case in CASES:
        run(["validate", *inputs(case), "--format", "json"], capsys)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before
    assert sorted(p for p in DATA.rglob("*") if p.is_file()) == files


# --- in-memory entry point ----------------------------------------------------------------------


def test_validate_records_runs_the_non_schema_checks() -> None:
    lines = (DATA / "invalid" / "quote-mismatch" / "records.jsonl").read_text().splitlines()
    records = [parse_record(line) for line in lines]
    report = validate_records(records, texts=DATA, file="<build>")
    assert [(i.code, i.file, i.line, i.pointer) for i in report.issues] == [("KZ301", "<build>", 5, "/quote")]
    assert report.records == 6 and not report.ok
    good = [parse_record(line) for line in (DATA / "valid" / "full" / "records.jsonl").read_text().splitlines()]
    assert validate_records(good, texts=DATA / "texts").ok


# --- documentation -----------------------------------------------------------------------------


def test_every_code_is_documented_with_example_and_fix() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "issues.md").read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0].split()[0]: part for part in doc.split("\n## ")[1:]}
    for code, info in CODES.items():
        assert code in sections, f"{code} has no section in docs/issues.md"
        assert info.severity.value in sections[code]
        assert "Example" in sections[code] and "Fix" in sections[code], code
    assert set(sections) == set(CODES)


def test_unreadable_file_is_a_tool_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_text("{}\n")

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    code, out, err = run(["validate", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: cannot read {path}: Permission denied — ")
