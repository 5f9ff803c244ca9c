"""The Arrow-batch export writes the same bytes as the per-row reference writer (tests/export_reference.py).

Records come from the benchmark generator (realistic: Cyrillic, curly quotes, many claims) and
from hypothesis (formula characters, quotes, line breaks, floats with exponents, empty and
odd lists, null parts); the export runs with worker processes and small row groups, so
batches, workers and the merge of sorted runs are all exercised.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdata.errors import DataError
from kzdata.records.jsonl import dumps, parse_record
from kzdata.records.models import AnyRecord
from kzdata.release import write
from tests import strategies
from tests.export_reference import reference_tables

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("kzdata_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _compare(records: list[AnyRecord], tmp: Path, *, jobs: int, row_group_size: int) -> None:
    source = tmp / "records.jsonl"
    source.write_text("".join(dumps(r) + "\n" for r in reversed(records)), encoding="utf-8")
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
    monkeypatch.setattr(write.scan, "CHUNK_BYTES", 64 * 1024)


def test_generated_records_give_the_reference_bytes(tmp_path: Path, workers_for_small_files: None) -> None:
    generate = _generator()
    generate.generate(tmp_path / "gen", claims=3000, seed=3, invalid_share=0.0)  # type: ignore[attr-defined]
    lines = (tmp_path / "gen" / "records.jsonl").read_bytes().splitlines()
    records = [parse_record(line) for line in lines]
    _compare(records, tmp_path, jobs=2, row_group_size=700)


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
