from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kzdata.build.merge import sort_key
from kzdata.build.parallel import chart_in_background
from kzdata.build.pipeline import BuildResult, build, build_records, load_curated
from kzdata.cli import app
from kzdata.cli.render import build_summary as summary
from kzdata.errors import DataError, InputError, UsageError
from kzdata.formats import chart
from kzdata.records.kinds import BY_TYPE
from kzdata.records.models import AnyRecord, Claim, ClaimRelation, Event, Source
from kzdata.records.vocab import Relation

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
    assert result.stats.articles_parsed == 2


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


@pytest.mark.parametrize("jobs", [1, 2])
def test_validation_errors_stop_the_build_and_nothing_is_written(seeds: Path, tmp_path: Path, jobs: int) -> None:
    _break_a_quote(seeds)
    out = tmp_path / "out"
    result = build(seeds, out, jobs=jobs)  # with 2, the chart's worker is stopped too
    assert not result.ok
    assert result.written == ()
    assert result.stats.errors == 1
    assert not out.exists()
    assert result.report is not None
    assert [(i.severity.value, i.code) for i in result.report.issues] == [("error", "KZ307")]


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
    result = build(seeds, tmp_path / "out")
    figures = {
        "articles parsed": 2,
        "claims extracted": 3,  # two in the bodies, one in a headline ("Almost 8,000 held, ministry says")
        "curated records": 4,
        "curated claims": 2,
        "overridden": 2,
        "claims": 3,
        "events": 1,
        "events derived": 0,
        "claims linked": 3,
        "relations": 2,
        "quantities": 2,
        "warnings": 0,
        "errors": 0,
        "files written": len(result.written),
    }
    assert summary(result) == "".join(f"{label:<18}{value:>6}\n" for label, value in figures.items())


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
    assert re.search(r"^clm-[0-9a-f]{16}: error KZ\d{3} .*\[/", result.stderr, re.MULTILINE)
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


# --- the bundled seeds, end to end ----------------------------------------------------------

BUNDLED = Path(__file__).parents[1] / "seeds"
MIA = "act-ministry-of-internal-affairs-of-kazakhstan"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(BUNDLED, tmp_path_factory.mktemp("dev") / "out")


def _figures(result: BuildResult, predicate: str) -> dict[float, list[Claim]]:
    out: dict[float, list[Claim]] = {}
    for claim in (r for r in result.records if isinstance(r, Claim) and r.predicate.value == predicate):
        if claim.value is not None and claim.value.amount is not None:
            out.setdefault(claim.value.amount, []).append(claim)
    return out


def _pairs(result: BuildResult, relation: Relation) -> set[tuple[str, str]]:
    return {
        (r.claim_id, r.other_claim_id)
        for r in result.records
        if isinstance(r, ClaimRelation) and r.relation is relation
    }


def test_the_bundled_seeds_build_without_errors_into_every_file(bundled: BuildResult) -> None:
    assert bundled.ok, bundled.report
    names = {p.name for p in bundled.written}
    assert {f"{t}.{ext}" for t in TABLES for ext in ("jsonl", "parquet", "csv")} <= names
    assert bundled.stats.articles_parsed == 5
    assert bundled.stats.curated_claims > 0
    assert bundled.stats.claims_extracted > 0


def test_the_claims_hold_every_detention_and_troop_figure(bundled: BuildResult) -> None:
    detained = _figures(bundled, "detained")
    assert {5800, 5969, 7939, 7989, 8000, 5000} <= set(detained)
    assert MIA in {c.claimant_id for c in detained[5969]}
    assert MIA in {c.claimant_id for c in detained[7939]}
    assert MIA in {c.claimant_id for c in detained[7989]}
    assert "act-office-of-the-president-of-kazakhstan" in {c.claimant_id for c in detained[5800]}
    assert 2500 in _figures(bundled, "troops_deployed")


def test_the_relations_link_the_detention_figures(bundled: BuildResult) -> None:
    detained = _figures(bundled, "detained")
    ids = {amount: {c.id for c in claims} for amount, claims in detained.items()}
    contradicts = _pairs(bundled, Relation.CONTRADICTS)
    assert any((a, b) in contradicts for a in ids[5969] for b in ids[5800])
    assert any((a, b) in contradicts for a in ids[5800] for b in ids[5969])
    assert any((a, b) in contradicts for a in ids[7989] for b in ids[7939])
    assert not any((a, b) in contradicts for a in ids[7939] for b in ids[7989])
    ministry = {c.id for amount in (5969, 7939) for c in detained[amount] if c.claimant_id == MIA}
    updates = {(a, b) for a, b in _pairs(bundled, Relation.UPDATES) if a in ministry and b in ministry}
    assert any(a in ids[7939] and b in ids[5969] for a, b in updates)


def test_the_relations_link_the_troop_figures_and_the_retracted_deaths(bundled: BuildResult) -> None:
    troops = {c.id for c in _figures(bundled, "troops_deployed")[2500]}
    assert any(a in troops and b in troops for a, b in _pairs(bundled, Relation.REPEATS))
    killed = _figures(bundled, "killed")[164]
    retracted = {c.id for c in killed if c.status.value == "retracted"}
    reported = {c.id for c in killed if c.status.value == "reported"}
    assert any(a in retracted and b in reported for a, b in _pairs(bundled, Relation.RETRACTS))


def test_the_bundled_build_links_claims_to_the_curated_events(bundled: BuildResult) -> None:
    events = {r.id: r for r in bundled.records if isinstance(r, Event)}
    linked = [r for r in bundled.records if isinstance(r, Claim) and r.event_id is not None]
    assert {events[str(c.event_id)].event_type.value for c in linked if c.predicate.value == "detained"} == {
        "detention"
    }
    massimov = [c for c in linked if c.subject_id == "act-karim-massimov" and c.predicate.value == "arrest"]
    assert massimov
    assert {events[str(c.event_id)].title for c in massimov} == {"Arrest of Karim Massimov"}


def test_progress_is_reported_for_every_step(seeds: Path, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    build(seeds, tmp_path / "out", progress=lambda step, done, total: calls.append((step, done, total)))
    assert [c for c in calls if c[0] == "extract"] == [("extract", 0, 2), ("extract", 1, 2), ("extract", 2, 2)]
    assert [step for step, done, total in calls if done == total] == ["extract", "merge", "validate", "write"]


def test_two_builds_give_byte_identical_files_whatever_the_hash_seed_and_timezone(
    bundled: BuildResult, tmp_path: Path
) -> None:
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Asia/Almaty", "LC_ALL": "C"}
    command = [sys.executable, "-m", "kzdata", "build", "--seeds", str(BUNDLED), "--out", str(out), "--quiet"]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    first = {p.name: p.read_bytes() for p in bundled.written}
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_build_in_two_processes_writes_the_same_bytes_as_in_one(seeds: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for jobs in ("1", "2"):
        result = runner.invoke(app, ["build", "--seeds", str(seeds), "--out", str(tmp_path / jobs), "-q", "-j", jobs])
        assert result.exit_code == 0, result.output
    assert _files(tmp_path / "2") == _files(tmp_path / "1")


def test_the_progress_advances_per_article_with_workers(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS / "articles", seeds / "articles")
    for n in range(5):  # more articles than one chunk per worker
        shutil.copy(SEEDS / "articles" / "b_update.txt", seeds / "articles" / f"c_{n}.txt")
    calls: list[tuple[str, int, int]] = []
    result = build_records(seeds, jobs=2, progress=lambda step, done, total: calls.append((step, done, total)))
    assert [c for c in calls if c[0] == "extract"] == [("extract", n, 7) for n in range(8)]
    assert result.records == build_records(seeds, jobs=1).records


def test_an_unreadable_article_stops_a_parallel_build_with_its_error(seeds: Path) -> None:
    (seeds / "articles" / "c_empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match=r"c_empty\.txt: the file is empty") as raised:
        build_records(seeds, jobs=2)
    assert raised.value.hint


def test_the_chart_rendered_in_a_worker_is_the_one_the_export_renders(bundled: BuildResult) -> None:
    tables: dict[str, list[AnyRecord]] = {name: [] for name in TABLES}
    for record in bundled.records:
        tables.setdefault(BY_TYPE[record.record_type].table, []).append(record)
    with chart_in_background(bundled.records, jobs=1) as none:
        assert none is None  # one process: the export renders the chart itself
    with chart_in_background(bundled.records, jobs=2) as png:
        assert png is not None
        assert png() == chart.render_png(chart.points(tables))
