from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kzdata.build import build, build_records, load_curated, summary
from kzdata.cli import app
from kzdata.errors import DataError, UsageError
from kzdata.merge import sort_key
from kzdata.models import Claim, ClaimRelation, Source
from kzdata.vocab import Relation

SEEDS = Path(__file__).parent / "data" / "build" / "seeds"
TABLES = ("sources", "actors", "events", "claims", "claim_relations")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def _break_a_quote(seeds: Path) -> None:
    path = seeds / "curated" / "claims.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["quote"] = "words that are not at this span"
    path.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n", encoding="utf-8")


def test_build_writes_every_table_in_every_format(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(seeds, out, dataset_version="9.9.9")
    assert result.ok
    names = {p.name for p in result.written}
    for table in TABLES:
        assert {f"{table}.jsonl", f"{table}.parquet", f"{table}.csv"} <= names
    assert {"datapackage.json", "SHA256SUMS", "README.md"} <= names
    assert all(p.parent == out and p.is_file() for p in result.written)
    assert result.stats.articles == 2


def test_curated_figures_are_linked_and_related(seeds: Path) -> None:
    records = build_records(seeds).records
    claims = {r.value.amount: r for r in records if isinstance(r, Claim) and r.method.value == "hand" and r.value}
    assert claims[5969].event_id is not None
    assert claims[5969].event_id == claims[7939].event_id
    relations = [r for r in records if isinstance(r, ClaimRelation)]
    assert (claims[7939].id, claims[5969].id, Relation.UPDATES) in {
        (r.claim_id, r.other_claim_id, r.relation) for r in relations
    }


def test_source_paths_do_not_depend_on_the_working_directory(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(seeds.parent)
    here = build_records(Path("seeds")).records
    monkeypatch.chdir(seeds / "articles")
    there = build_records(seeds).records
    assert here == there
    assert sorted(r.path for r in here if isinstance(r, Source)) == [
        "seeds/articles/a_ministry.txt",
        "seeds/articles/b_update.txt",
    ]


def test_the_build_does_not_depend_on_the_order_of_curated_lines_or_files(seeds: Path, tmp_path: Path) -> None:
    expected = build_records(seeds).records
    lines = [line for path in sorted((seeds / "curated").glob("*.jsonl")) for line in path.read_text().splitlines()]
    for path in (seeds / "curated").glob("*.jsonl"):
        path.unlink()
    random.Random(3).shuffle(lines)
    (seeds / "curated" / "z_all.jsonl").write_text("\n".join(lines[:2]) + "\n")
    (seeds / "curated" / "a_rest.jsonl").write_text("\n".join(lines[2:]) + "\n")
    assert build_records(seeds).records == expected


def test_validation_errors_stop_the_build_and_nothing_is_written(seeds: Path, tmp_path: Path) -> None:
    _break_a_quote(seeds)
    out = tmp_path / "out"
    result = build(seeds, out)
    assert not result.ok
    assert result.written == ()
    assert result.stats.errors >= 1
    assert not out.exists()
    assert result.report is not None
    assert any(issue.severity.value == "error" for issue in result.report.issues)


def test_a_failed_build_leaves_a_previous_export_untouched(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(seeds, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _break_a_quote(seeds)
    assert not build(seeds, out).ok
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_malformed_curated_line_is_a_data_error_naming_file_and_line(seeds: Path) -> None:
    with (seeds / "curated" / "claims.jsonl").open("a") as handle:
        handle.write('{"record_type": "claim", "id": "nope"}\n')
    with pytest.raises(DataError, match=r"claims\.jsonl:3"):
        load_curated(seeds / "curated")


def test_missing_articles_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="articles"):
        build_records(tmp_path)


def test_summary_lists_the_figures_of_the_build(seeds: Path, tmp_path: Path) -> None:
    text = summary(build(seeds, tmp_path / "out"))
    assert "articles parsed        2\n" in text
    assert "relations              1\n" in text
    assert "files written" in text


def test_cli_build_prints_the_summary_and_exits_0(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "claims extracted" in result.stdout
    assert f"wrote {len(list(out.iterdir()))} files into {out}" in result.stdout


def test_cli_build_exits_1_listing_the_errors_when_validation_fails(seeds: Path, tmp_path: Path) -> None:
    _break_a_quote(seeds)
    result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert "error" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_build_exits_2_without_articles(tmp_path: Path) -> None:
    from kzdata.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--seeds", str(tmp_path), "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2


def test_records_come_sorted_by_type_then_id(seeds: Path) -> None:
    records = build_records(seeds).records
    keys = [(sort_key(r)[0], r.id) for r in records]
    assert keys == sorted(keys)
    assert len({(r.record_type, r.id) for r in records}) == len(records)
