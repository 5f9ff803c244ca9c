"""kzdata.validate.scan and .parallel: byte ranges, worker processes, and the same Report whatever --jobs is."""

from __future__ import annotations

import importlib.util
import io
import sys
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import pytest

from kzdata.records import ids
from kzdata.records.jsonl import parse_record
from kzdata.records.models import Claim
from kzdata.validate import Report, parallel, scan, validate
from kzdata.validate.facts import claim_facts

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 4000


def _generator() -> ModuleType:
    name = "kzdata_bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator's invalid variant, plus a BOM, a claim before its source, blanks and an over-long line."""
    out = tmp_path_factory.mktemp("scan")
    _generator().generate(out, claims=300, seed=3, invalid_share=0.1, csv=False)
    lines = (out / "invalid.jsonl").read_bytes().splitlines(keepends=True)
    last_claim = next(line for line in reversed(lines) if b'"record_type":"claim"' in line)
    data = b"\xef\xbb\xbf" + last_claim + b"".join(lines[:40]) + b"\n   \r\n"
    data += b"".join(lines[40:]) + b'{"x": "' + b"y" * LIMIT + b'"}\n' + lines[-1].rstrip(b"\n")
    path = out / "hostile.jsonl"
    path.write_bytes(data)
    return path


@pytest.fixture(autouse=True)
def _parallel_at_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)


def _report(path: Path, jobs: int, chunk: int) -> Report:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan, "CHUNK_BYTES", chunk)
        return validate([path], jobs=jobs, max_line_bytes=LIMIT)


def test_jobs_do_not_change_the_report(hostile: Path) -> None:
    one = _report(hostile, jobs=1, chunk=scan.CHUNK_BYTES)
    assert not one.ok
    codes = set(one.by_code)
    assert {"KZ001", "KZ003", "KZ004", "KZ102", "KZ202", "KZ301", "KZ401", "KZ601", "KZ605"} <= codes
    for jobs, chunk in ((1, 5000), (2, 5000), (2, 20_000), (3, 1)):
        assert _report(hostile, jobs=jobs, chunk=chunk) == one, (jobs, chunk)


def test_ranges_report_what_the_line_by_line_loader_reports(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    by_range = _report(hostile, jobs=1, chunk=7000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(hostile.read_bytes())))
    monkeypatch.chdir(hostile.parent)
    by_line = validate(["-"], jobs=1, max_line_bytes=LIMIT)
    assert by_line.to_json() == by_range.to_json().replace(str(hostile), "<stdin>")


def test_huge_ranges_are_read_line_by_line(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _report(hostile, jobs=1, chunk=50_000)
    monkeypatch.setattr(scan, "WHOLE_RANGE_BYTES", 0)
    assert _report(hostile, jobs=1, chunk=50_000) == whole


def test_split_ranges_cover_the_file_and_end_at_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    data = b"".join(b"x" * (n % 37) + b"\n" for n in range(500)) + b"tail without newline"
    path.write_bytes(data)
    for chunk in (1, 10, 100, 1000, len(data), 10 * len(data)):
        ranges = scan.split(path, chunk)
        assert ranges[0][0] == 0
        assert ranges[-1][1] == len(data)
        assert all(a[1] == b[0] for a, b in pairwise(ranges))
        assert all(data[end - 1 : end] == b"\n" for _, end in ranges[:-1])
        assert sum(scan.scan_range((str(path), s, e, 100)).lines for s, e in ranges) == data.count(b"\n") + 1
    path.write_bytes(b"")
    assert scan.split(path) == []


def test_claim_facts_follow_the_id_rule(hostile: Path) -> None:
    claims = [
        r
        for r in (parse_record(line) for line in (hostile.parent / "records.jsonl").read_bytes().splitlines()[-50:])
        if isinstance(r, Claim)
    ]
    keys = set()
    for claim in claims:
        facts = claim_facts(claim)
        assert facts[2] is None  # the generator's ids are the deterministic ones
        renamed = claim_facts(claim.model_copy(update={"id": "clm-0000000000000000"}))
        assert renamed[2] == ids.claim_id(claim.source_id, claim.span.start, claim.span.end, claim.predicate.value)
        keys.add(facts[3])
    assert len(keys) == len(claims)
    assert all(len(key) == 16 for key in keys)


def test_workers_return_chunks_in_file_order(hostile: Path) -> None:
    tasks = [(str(hostile), s, e, LIMIT) for s, e in scan.split(hostile, 3000)]
    assert len(tasks) > 8
    serial = list(parallel.chunks(tasks, 1))
    forked = list(parallel.chunks(tasks, 2))
    assert [c.lines for c in forked] == [c.lines for c in serial]
    assert [[i[:4] for i in c.items] for c in forked] == [[i[:4] for i in c.items] for c in serial]
