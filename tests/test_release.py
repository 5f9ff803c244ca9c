"""kzdata.release.cut, kzdata.release.verify and kzdata.release.changes: immutable releases, their checks and diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kzdata.cli import app
from kzdata.errors import DataError, UsageError
from kzdata.formats import parquet
from kzdata.records import ids
from kzdata.records.jsonl import read_records
from kzdata.records.kinds import BY_TYPE, TABLES
from kzdata.records.models import AnyRecord, Claim, Event, Span
from kzdata.release import changes
from kzdata.release import cut as rel
from kzdata.release.verify import verify

RECORDS_FILE = Path(__file__).parent / "data" / "export" / "records.jsonl"
ADDED_ID = ids.claim_id("src-aaaaaaaaaaa1", 500, 506, "detained")
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2022-02-01\n\n## [0.1.0] - 2022-01-20\n"


def load_records() -> list[AnyRecord]:
    return list(read_records([RECORDS_FILE]))


def second_version(records: list[AnyRecord]) -> list[AnyRecord]:
    """0.2.0: one event withdrawn, one claim corrected, one claim added."""
    out: list[AnyRecord] = []
    for record in records:
        if isinstance(record, Event) and record.title == "A test place":
            continue
        if isinstance(record, Claim) and record.value is not None and record.value.amount == 7989:
            value = record.value.model_copy(update={"amount": 7990})
            out.append(record.model_copy(update={"value": value, "notes": "corrected/updated"}))
        else:
            out.append(record)
    template = next(r for r in records if isinstance(r, Claim) and r.value and r.source_id == "src-aaaaaaaaaaa1")
    span = Span(start=500, end=506)
    added = template.model_copy(update={"id": ADDED_ID, "quote": "people", "span": span})
    return [*out, added]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return tmp_path


def cut(workdir: Path, version: str, records: list[AnyRecord]) -> rel.ReleaseResult:
    return rel.release(version, records=records, exports_dir=workdir / "exports", changelog=workdir / "CHANGELOG.md")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("releases")
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    records = load_records()
    cut(root, "0.1.0", records)
    cut(root, "0.2.0", second_version(records))
    return root / "exports"


def read_changes(directory: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (directory / "changes.jsonl").read_text(encoding="utf-8").splitlines()]


def test_first_release_lists_every_record_as_added(two_releases: Path) -> None:
    rows = read_changes(two_releases / "v0.1.0")
    assert len(rows) == len(load_records())
    assert {r["change"] for r in rows} == {"added"}
    assert all(r["added_in"] == "0.1.0" and r["since"] is None for r in rows)
    assert [r["id"] for r in rows] == sorted(str(r["id"]) for r in rows)


def test_changes_record_added_changed_and_withdrawn(two_releases: Path) -> None:
    rows = {str(r["id"]): r for r in read_changes(two_releases / "v0.2.0")}
    assert rows[ADDED_ID] == {
        "added_in": "0.2.0",
        "change": "added",
        "id": ADDED_ID,
        "record_type": "claim",
        "since": "0.1.0",
    }
    withdrawn = [r for r in rows.values() if r["change"] == "withdrawn"]
    assert len(withdrawn) == 1
    assert withdrawn[0]["record_type"] == "event"
    assert withdrawn[0]["withdrawn_in"] == "0.2.0"
    (changed,) = [r for r in rows.values() if r["change"] == "changed"]
    assert changed["fields"] == [
        {"new": "corrected/updated", "old": None, "pointer": "/notes"},
        {"new": 7990, "old": 7989, "pointer": "/value/amount"},
    ]
    assert len(rows) == 3


def test_index_lists_both_releases_with_hashes(two_releases: Path) -> None:
    index = json.loads((two_releases / "index.json").read_text(encoding="utf-8"))
    assert index["latest"] == "0.2.0"
    assert sorted(index["versions"]) == ["0.1.0", "0.2.0"]
    entry = index["versions"]["0.2.0"]
    assert entry["path"] == "v0.2.0/"
    assert entry["schema_version"] == "0.1.0"
    parquet = entry["files"]["claims.parquet"]
    assert parquet["bytes"] == (two_releases / "v0.2.0" / "claims.parquet").stat().st_size
    assert set(entry["files"]) == {p.name for p in (two_releases / "v0.2.0").iterdir()}
    text = (two_releases / "index.json").read_text(encoding="utf-8")
    assert text == json.dumps(index, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_diff_matches_changes_jsonl(two_releases: Path) -> None:
    found = rel.diff(two_releases / "v0.1.0", two_releases / "v0.2.0")
    assert [c.to_json() for c in found] == read_changes(two_releases / "v0.2.0")
    assert changes.summary(found) == {"added": 1, "changed": 1, "withdrawn": 1}


def test_verify_passes_on_a_fresh_release(two_releases: Path) -> None:
    report = verify(two_releases / "v0.2.0")
    assert report.ok, report.problems
    assert report.files == len(FILES)
    assert report.records == len(second_version(load_records()))


def test_text_with_unicode_line_separators_survives_diff_and_verify(workdir: Path) -> None:
    # U+2028/U+2029 are not escaped in canonical JSON; str.splitlines would cut a record there
    records = [
        r.model_copy(update={"notes": "first\u2028second\u2029third"}) if isinstance(r, Event) else r
        for r in load_records()
    ]
    cut(workdir, "0.1.0", records)
    folder = workdir / "exports" / "v0.1.0"
    assert "\u2028" in (folder / "events.jsonl").read_text(encoding="utf-8")
    assert rel.read_records(folder) == sorted(records, key=lambda r: (list(TABLES).index(_table(r)), r.id))
    assert rel.diff(folder, folder) == []
    report = verify(folder)
    assert report.ok, report.problems
    assert report.records == len(records)


def _table(record: AnyRecord) -> str:
    return BY_TYPE[record.record_type].table


def _copy_releases(source: Path, target: Path) -> Path:
    for path in source.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes())
    return target


FILES = [
    "CITATION.cff",
    "CODEBOOK.md",
    "README.md",
    "SHA256SUMS",
    "actors.csv",
    "actors.jsonl",
    "actors.parquet",
    "changes.jsonl",
    "claim_relations.csv",
    "claim_relations.jsonl",
    "claim_relations.parquet",
    "claims.csv",
    "claims.jsonl",
    "claims.parquet",
    "contested_figures.png",
    "datapackage.json",
    "events.csv",
    "events.jsonl",
    "events.parquet",
    "kzdata.sqlite",
    "quantities.csv",
    "quantities.jsonl",
    "quantities.parquet",
    "sources.csv",
    "sources.jsonl",
    "sources.parquet",
]


@pytest.mark.parametrize("name", FILES)
def test_verify_names_the_file_after_one_flipped_byte(two_releases: Path, tmp_path: Path, name: str) -> None:
    exports = _copy_releases(two_releases, tmp_path / "exports")
    path = exports / "v0.2.0" / name
    data = bytearray(path.read_bytes())
    if data:
        data[len(data) // 2] ^= 0x01
    else:  # an empty table (no quantities in this small release): one byte more changes it
        data = bytearray(b"\n")
    path.write_bytes(bytes(data))
    report = verify(exports / "v0.2.0")
    assert not report.ok
    assert report.problems[0].file == name, report.problems
    hashed = [p for p in report.problems if p.file == name and p.check in ("sha256", "listing")]
    assert hashed, report.problems
    assert hashed[0].expected != hashed[0].found


def test_verify_without_index_still_names_a_changed_table(two_releases: Path, tmp_path: Path) -> None:
    exports = _copy_releases(two_releases, tmp_path / "exports")
    (exports / "index.json").unlink()
    path = exports / "v0.1.0" / "claims.jsonl"
    path.write_bytes(path.read_bytes().replace(b"7,939", b"7,938"))
    report = verify(exports / "v0.1.0")
    files = {p.file for p in report.problems}
    assert "claims.jsonl" in files
    assert "claims.parquet" in files  # its records no longer equal the JSONL's
    sha = next(p for p in report.problems if p.file == "claims.jsonl" and p.check == "sha256")
    assert sha.message == "sha256 differs from SHA256SUMS"


def test_verify_reports_missing_and_unlisted_files(two_releases: Path, tmp_path: Path) -> None:
    exports = _copy_releases(two_releases, tmp_path / "exports")
    (exports / "v0.1.0" / "events.csv").unlink()
    (exports / "v0.1.0" / "extra.txt").write_text("hi", encoding="utf-8")
    problems = {(p.file, p.check) for p in verify(exports / "v0.1.0").problems}
    assert ("events.csv", "missing") in problems
    assert ("extra.txt", "unlisted") in problems


def test_release_refuses_an_existing_version(two_releases: Path) -> None:
    root = two_releases.parent
    before = (two_releases / "v0.1.0" / "SHA256SUMS").read_bytes()
    with pytest.raises(UsageError, match="already exists"):
        cut(root, "0.1.0", load_records())
    assert (two_releases / "v0.1.0" / "SHA256SUMS").read_bytes() == before


def test_release_requires_a_changelog_entry(workdir: Path) -> None:
    with pytest.raises(UsageError, match=r"no entry for 0\.3\.0"):
        cut(workdir, "0.3.0", load_records())
    assert not (workdir / "exports").exists()


@pytest.mark.parametrize("version", ["1.0", "01.2.3", "1.2.3-rc1", "latest", ""])
def test_release_refuses_a_version_that_is_not_semver(workdir: Path, version: str) -> None:
    with pytest.raises(UsageError, match="not a release version"):
        cut(workdir, version, load_records())


def test_release_refuses_records_with_validation_errors(workdir: Path) -> None:
    records = load_records()
    broken = [r for r in records if r.record_type != "source"]  # every claim loses its source
    with pytest.raises(DataError, match="validation error"):
        cut(workdir, "0.1.0", broken)
    assert not (workdir / "exports" / "v0.1.0").exists()


def test_a_crash_mid_release_leaves_no_partial_release(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(parquet, "parquet_writer", boom)
    with pytest.raises(OSError, match="disk full"):
        cut(workdir, "0.1.0", load_records())
    exports = workdir / "exports"
    assert not exports.exists() or list(exports.iterdir()) == []
    monkeypatch.undo()
    assert cut(workdir, "0.1.0", load_records()).version == "0.1.0"


def test_release_uses_a_build_function(workdir: Path) -> None:
    result = rel.release(
        "0.1.0", build=load_records, exports_dir=workdir / "exports", changelog=workdir / "CHANGELOG.md"
    )
    assert result.changes["added"] == len(load_records())
    assert result.previous is None


def test_previous_is_the_highest_version_below(two_releases: Path, tmp_path: Path) -> None:
    exports = _copy_releases(two_releases, tmp_path / "exports")
    (tmp_path / "CHANGELOG.md").write_text("## [0.1.5]\n", encoding="utf-8")
    result = rel.release("0.1.5", records=load_records(), exports_dir=exports, changelog=tmp_path / "CHANGELOG.md")
    assert result.previous == "0.1.0"
    assert result.changes == {"added": 0, "changed": 0, "withdrawn": 0}
    index = json.loads((exports / "index.json").read_text(encoding="utf-8"))
    assert index["latest"] == "0.2.0"


def test_field_changes_escape_pointers_and_compare_lists() -> None:
    found = changes.field_changes({"a/b": 1, "l": [1, 2], "m": [1]}, {"a/b": 2, "l": [1, 3], "m": [1, 2]})
    assert [(c.pointer, c.old, c.new) for c in found] == [("/a~1b", 1, 2), ("/l/1", 2, 3), ("/m", [1], [1, 2])]


runner = CliRunner()


def test_cli_verify_and_diff(two_releases: Path, tmp_path: Path) -> None:
    ok = runner.invoke(app, ["verify", "0.2.0", "--exports", str(two_releases)])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output
    as_json = runner.invoke(app, ["verify", str(two_releases / "v0.1.0"), "--format", "json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output) == json.loads(verify(two_releases / "v0.1.0").to_json())
    diff_json = runner.invoke(app, ["diff", "0.1.0", "0.2.0", "--exports", str(two_releases), "--format", "json"])
    assert diff_json.exit_code == 0
    assert diff_json.output == changes.to_json_text(rel.diff(two_releases / "v0.1.0", two_releases / "v0.2.0"))
    text = runner.invoke(app, ["diff", "0.1.0", "0.2.0", "--exports", str(two_releases)])
    assert "/value/amount: 7989 → 7990" in text.output
    assert text.output.rstrip().endswith("1 added, 1 changed, 1 withdrawn")
    exports = _copy_releases(two_releases, tmp_path / "exports")
    (exports / "v0.2.0" / "README.md").write_text("tampered\n", encoding="utf-8")
    bad = runner.invoke(app, ["verify", "0.2.0", "--exports", str(exports)])
    assert bad.exit_code == 1
    assert "README.md: sha256 differs" in bad.output


def test_cli_release_exit_codes(two_releases: Path) -> None:
    from kzdata.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "release",
                "0.1.0",
                "--exports",
                str(two_releases),
                "--changelog",
                str(two_releases.parent / "CHANGELOG.md"),
            ]
        )
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["verify", "9.9.9", "--exports", str(two_releases)])
    assert exit_info.value.code == 2
