"""The Arrow-batch export writes the same bytes as the per-row reference writer (tests/export_reference.py).

Records come from the benchmark generator (realistic: Cyrillic, curly quotes, many claims) and
from hypothesis (formula characters, quotes, line breaks, floats with exponents, empty and
odd lists, null parts); the export runs with worker processes and small row groups, so
batches, workers and the merge of sorted runs are all exercised.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdata.errors import DataError
from kzdata.records.jsonl import dumps, parse_record
from kzdata.records.models import AnyRecord
from kzdata.release import write
from tests import strategies
from tests.benchmark_support import load_benchmark
from tests.export_reference import reference_tables

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> ModuleType:
    return load_benchmark("generate")


def _compare(records: list[AnyRecord], tmp: Path, *, jobs: int, row_group_size: int, in_order: bool = False) -> None:
    """Export ``records`` written in reverse (runs that overlap: merged) or by id (runs that chain) to the reference."""
    source = tmp / "records.jsonl"
    ordered = sorted(records, key=lambda r: r.id) if in_order else list(reversed(records))
    source.write_text("".join(dumps(r) + "\n" for r in ordered), encoding="utf-8")
    out, expected = tmp / "out", tmp / "expected"
    expected.mkdir()
    try:
        names = reference_tables(
            records,
            expected,
            dataset_version="1.2.3",
            schema_version=write.SCHEMA_VERSION,
            row_group_size=row_group_size,
        )
    except DataError:
        with pytest.raises(DataError):
            write.export_jsonl([source], out, dataset_version="1.2.3", jobs=jobs, row_group_size=row_group_size)
        return
    write.export_jsonl([source], out, dataset_version="1.2.3", jobs=jobs, row_group_size=row_group_size)
    for name in names:
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name


@pytest.fixture
def workers_for_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(write, "EXPORT_RANGE_BYTES", 64 * 1024)
    monkeypatch.setattr(write.scan, "CHUNK_BYTES", 64 * 1024)


def test_generated_records_give_the_reference_bytes(tmp_path: Path, workers_for_small_files: None) -> None:
    generate = _generator()
    generate.generate(tmp_path / "gen", claims=3000, seed=3, invalid_share=0.0)  # type: ignore[attr-defined]
    lines = (tmp_path / "gen" / "records.jsonl").read_bytes().splitlines()
    records = [parse_record(line) for line in lines]
    _compare(records, tmp_path, jobs=2, row_group_size=700)


def test_records_in_id_order_chain_their_runs_to_the_reference_bytes(
    tmp_path: Path, workers_for_small_files: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate = _generator()
    generate.generate(tmp_path / "gen", claims=3000, seed=5, invalid_share=0.0)  # type: ignore[attr-defined]
    records = [parse_record(line) for line in (tmp_path / "gen" / "records.jsonl").read_bytes().splitlines()]
    chained: list[bool] = []
    original = write.Spool.chained_runs

    def spy(self: write.Spool) -> object:
        runs = original(self)
        chained.append(runs is not None and len(runs) > 1)
        return runs

    monkeypatch.setattr(write.Spool, "chained_runs", spy)
    _compare(records, tmp_path, jobs=2, row_group_size=333, in_order=True)
    assert any(chained), "the claims' runs should have chained (several ranges, input by id)"
    # kzdata.sqlite was written from the runs in another process: the same bytes as from the tables, in this one
    write.export_jsonl([tmp_path / "records.jsonl"], tmp_path / "serial", dataset_version="1.2.3", jobs=1)
    assert (tmp_path / "out" / "kzdata.sqlite").read_bytes() == (tmp_path / "serial" / "kzdata.sqlite").read_bytes()


@pytest.mark.parametrize("where", ["where two files meet", "within a range"])
def test_a_repeated_id_in_ordered_input_is_refused(tmp_path: Path, workers_for_small_files: None, where: str) -> None:
    generate = _generator()
    generate.generate(tmp_path / "gen", claims=2000, seed=7, invalid_share=0.0)  # type: ignore[attr-defined]
    lines = sorted(
        (tmp_path / "gen" / "records.jsonl").read_bytes().splitlines(), key=lambda line: parse_record(line).id
    )
    claims = [i for i, line in enumerate(lines) if b'"record_type":"claim"' in line]
    at = claims[len(claims) // 2]
    # within a range: the claim twice in a row; else the first file's last claim is the second file's first
    parts = [[*lines[: at + 1], *lines[at:]]] if where == "within a range" else [lines[: at + 1], lines[at:]]
    sources = []
    for number, part in enumerate(parts):
        sources.append(tmp_path / f"part{number}.jsonl")
        sources[-1].write_bytes(b"\n".join(part) + b"\n")
    with pytest.raises(DataError, match="claims: duplicate ids " + parse_record(lines[at]).id):
        write.export_jsonl(sources, tmp_path / "out", dataset_version="1.2.3", jobs=2, row_group_size=100)
    assert not (tmp_path / "out").exists()


@settings(
    max_examples=60,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
@given(st.lists(strategies.records, max_size=12, unique_by=lambda r: r.id), st.sampled_from([1, 3, 10_000]))
def test_arbitrary_records_give_the_reference_bytes(
    tmp_path_factory: pytest.TempPathFactory, records: list[AnyRecord], row_group_size: int
) -> None:
    _compare(records, tmp_path_factory.mktemp("identity"), jobs=1, row_group_size=row_group_size)
