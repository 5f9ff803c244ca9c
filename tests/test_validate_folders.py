"""kzdata validate on the repository's own folders: a release folder and seeds/curated.

A folder holding ``datapackage.json`` is a release: its record tables (the ``.jsonl`` files
of sources, actors, events, claims and claim relations) are validated once — not the CSV
copies, not ``changes.jsonl``, not ``datapackage.json``. Records under a checkout's
``seeds/curated/`` may refer to what the build extracts from ``seeds/articles/`` (sources,
actors, claims): those references resolve, and curated quotes are checked against the
seed texts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzdata import cli
from kzdata.validate import validate

ROOT = Path(__file__).parent.parent
RELEASE = ROOT / "exports" / "v0.1.0"
TABLES = ["sources", "actors", "events", "claims", "claim_relations"]


def test_a_release_folder_validates_its_tables_once() -> None:
    report = validate([RELEASE], jobs=1)
    assert report.ok, report.issues[:3]
    assert sorted(Path(f.path).name for f in report.files) == sorted(f"{t}.jsonl" for t in TABLES)


def test_a_release_folder_inside_a_folder_is_read_as_a_release(tmp_path: Path) -> None:
    shutil.copytree(RELEASE, tmp_path / "releases" / "v0.1.0")
    (tmp_path / "releases" / "more.jsonl").write_bytes((RELEASE / "sources.jsonl").read_bytes()[:0])
    report = validate([tmp_path / "releases"], jobs=1)
    names = sorted(Path(f.path).name for f in report.files)
    assert names == sorted([*(f"{t}.jsonl" for t in TABLES), "more.jsonl"])


def test_an_error_in_a_release_is_reported_once(tmp_path: Path) -> None:
    release = tmp_path / "v0.1.0"
    shutil.copytree(RELEASE, release)
    claims = release / "claims.jsonl"
    lines = claims.read_bytes().splitlines(keepends=True)
    claims.write_bytes(b"".join([*lines[:2], b'{"record_type": "claim"}\n', *lines[2:]]))
    report = validate([release], jobs=1)
    assert not report.ok
    errors = {(Path(i.file).name, i.line) for i in report.issues if i.severity == "error"}
    assert errors == {("claims.jsonl", 3)}


def test_the_curated_records_of_the_checkout_validate(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's contributor check: ``kzdata validate seeds/curated/``."""
    report = validate([ROOT / "seeds" / "curated"], jobs=1)
    assert report.ok, [i.message for i in report.issues[:3]]
    assert report.records > 0
    code = 0
    try:
        cli.main(["validate", str(ROOT / "seeds" / "curated")])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    assert code == 0
    assert capsys.readouterr().out.startswith("ok:")


def _checkout(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds" / "articles", seeds / "articles")
    shutil.copy(ROOT / "seeds" / "sources.toml", seeds / "sources.toml")
    shutil.copytree(ROOT / "seeds" / "curated", seeds / "curated")
    return seeds


def test_curated_references_still_must_resolve(tmp_path: Path) -> None:
    seeds = _checkout(tmp_path)
    claims = seeds / "curated" / "claims.jsonl"
    text = claims.read_text("utf-8")
    first_source = text.split('"source_id":"', 1)[1][:16] if '"source_id":"' in text else None
    assert first_source is not None and first_source.startswith("src-")
    claims.write_text(text.replace(first_source, "src-000000000000", 1), "utf-8")
    report = validate([seeds / "curated"], jobs=1)
    assert [i.code for i in report.issues if i.code.startswith("KZ2")] == ["KZ201"]


def test_curated_quotes_are_checked_against_the_seed_texts(tmp_path: Path) -> None:
    seeds = _checkout(tmp_path)
    claims = seeds / "curated" / "claims.jsonl"
    lines = claims.read_text("utf-8").splitlines(keepends=True)
    quote = lines[0].split('"quote":"', 1)[1].split('"', 1)[0]
    changed = quote[:-1] + ("x" if quote[-1] != "x" else "y")
    claims.write_text("".join([lines[0].replace(f'"quote":"{quote}"', f'"quote":"{changed}"'), *lines[1:]]), "utf-8")
    report = validate([seeds / "curated"], jobs=1)
    assert "KZ301" in report.by_code


def test_curated_records_outside_a_checkout_are_not_helped(tmp_path: Path) -> None:
    folder = tmp_path / "contribution"
    shutil.copytree(ROOT / "seeds" / "curated", folder)
    assert "KZ201" in validate([folder], jobs=1).by_code
