"""kzdata.formats.sqlite: kzdata.sqlite in a release — tables, keys, full-text search, views, same bytes."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdata.formats import csv as flat
from kzdata.formats import sqlite
from kzdata.formats.datapackage import FOREIGN_KEYS
from kzdata.records import kinds
from kzdata.records.jsonl import dumps, parse_record
from kzdata.records.models import AnyRecord, Claim
from kzdata.release.layout import release_tables
from kzdata.release.write import read_records, write_tables
from tests import strategies
from tests.benchmark_support import load_benchmark

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "exports" / "v0.1.0"
WITH_SQLITE = ROOT / "exports" / "v0.2.0"


def release_records() -> list[AnyRecord]:
    """The records of the committed release v0.1.0 (it has no kzdata.sqlite of its own)."""
    return list(read_records([RELEASE / f"{table}.jsonl" for table in release_tables(RELEASE)]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sqlite") / "v0.1.0"
    write_tables(release_records(), out, dataset_version="0.1.0")
    return out


@pytest.fixture
def db(built: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{built / sqlite.FILE_NAME}?mode=ro", uri=True)) as conn:
        yield conn


def test_same_records_in_any_order_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    records = release_records()
    random.Random(7).shuffle(records)
    again = tmp_path / "again"
    write_tables(records, again, dataset_version="0.1.0")
    assert (again / sqlite.FILE_NAME).read_bytes() == (built / sqlite.FILE_NAME).read_bytes()
    assert not [p.name for p in again.iterdir() if p.name.startswith(".")]


def test_listed_in_sha256sums_and_the_data_package(built: Path) -> None:
    assert f"  {sqlite.FILE_NAME}\n" in (built / "SHA256SUMS").read_text(encoding="utf-8")
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == sqlite.FILE_NAME)
    assert resource["bytes"] == (built / sqlite.FILE_NAME).stat().st_size
    assert resource["hash"].startswith("sha256:")


@pytest.mark.parametrize("table", release_tables(RELEASE))
def test_every_table_has_every_row_with_its_key(db: sqlite3.Connection, table: str) -> None:
    lines = (RELEASE / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert [r[0] for r in db.execute(f"SELECT id FROM {table} ORDER BY rowid")] == sorted(ids)
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    assert [c[1] for c in info] == flat.COLUMNS[kinds.BY_TABLE[table].record_type]
    assert [c[1] for c in info if c[5]] == ["id"]
    keys = {(row[3], row[2]) for row in db.execute(f"PRAGMA foreign_key_list({table})")}
    assert keys == set(FOREIGN_KEYS.get(table, []))
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_values_are_typed_and_lists_are_json(db: sqlite3.Connection) -> None:
    claims = {r.id: r for r in release_records() if isinstance(r, Claim)}
    rows = db.execute("SELECT id, value_amount, span_start, relayed_by, confidence, quote FROM claims").fetchall()
    for claim_id, amount, start, relayed_by, confidence, quote in rows:
        claim = claims[claim_id]
        assert amount == (claim.value.amount if claim.value else None)
        assert (start, confidence, quote) == (claim.span.start, claim.confidence, claim.quote)
        assert json.loads(relayed_by) == claim.relayed_by
    types = dict(db.execute("SELECT name, type FROM pragma_table_info('sources')").fetchall())
    assert (types["machine_translated"], types["length"], types["authors"]) == ("INTEGER", "INTEGER", "TEXT")


def test_full_text_search_on_quotes(db: sqlite3.Connection) -> None:
    found = db.execute(
        "SELECT c.id, c.quote FROM claims_fts JOIN claims c ON c.rowid = claims_fts.rowid "
        "WHERE claims_fts MATCH 'detained' ORDER BY c.id"
    ).fetchall()
    expected = [(i, q) for i, q in db.execute("SELECT id, quote FROM claims ORDER BY id") if "detained" in q.lower()]
    assert found == expected
    assert len(found) >= 4


def test_contested_claims_view(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT claim_id, amount, claimant, as_of, contradicts FROM contested_claims").fetchall()
    detained = {(amount, claimant) for _, amount, claimant, _, _ in rows}
    assert {
        (5800, "Office of the President of Kazakhstan"),
        (5969, "Ministry of Internal Affairs of Kazakhstan"),
        (7939, "Ministry of Internal Affairs of Kazakhstan"),
        (7989, "Ministry of Internal Affairs of Kazakhstan"),
    } <= detained
    ids = {claim_id for claim_id, *_ in rows}
    for *_, contradicts in rows:
        assert set(json.loads(contradicts)) <= ids
        assert json.loads(contradicts)


def test_numeric_claims_and_figures_by_day_views(db: sqlite3.Connection) -> None:
    numeric = db.execute("SELECT count(*) FROM numeric_claims").fetchone()[0]
    assert numeric == db.execute("SELECT count(*) FROM claims WHERE value_unit IS NOT NULL").fetchone()[0]
    row = db.execute(
        "SELECT lowest, highest, amounts, claims FROM figures_by_day "
        "WHERE predicate = 'detained' AND scope = 'nationwide' AND day = '2022-01-09'"
    ).fetchone()
    assert row[:2] == (5800, 5969)
    assert json.loads(row[2]) == [5800, 5969]
    same_day = "predicate = 'detained' AND scope = 'nationwide' AND as_of = '2022-01-09' AND value_amount IS NOT NULL"
    assert row[3] == db.execute(f"SELECT count(*) FROM claims WHERE {same_day}").fetchone()[0]


def test_release_table_names_the_versions(db: sqlite3.Connection) -> None:
    versions = dict(db.execute("SELECT key, value FROM kzdata_release").fetchall())
    assert versions["dataset_version"] == "0.1.0"
    assert set(versions) == {"dataset_version", "schema_version"}


def test_the_tables_follow_the_registry() -> None:
    for kind in kinds.KINDS:
        assert list(sqlite.column_types(kind.table)) == flat.COLUMNS[kind.record_type]


def _table_files(records: list[AnyRecord], folder: Path) -> dict[str, Path]:
    """Each kind's records as a sorted canonical ``.jsonl`` file, as an export leaves them."""
    folder.mkdir()
    tables = {}
    for kind in kinds.KINDS:
        rows = sorted((r for r in records if r.record_type == kind.record_type), key=lambda r: r.id)
        tables[kind.table] = folder / f"{kind.table}.jsonl"
        tables[kind.table].write_text("".join(dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tables


def _same_bytes_as_the_reference(records: list[AnyRecord], tmp: Path) -> None:
    reference = load_benchmark("sqlite_write").reference_sqlite
    tables = _table_files(records, tmp / "tables")
    versions = {"dataset_version": "1.2.3", "schema_version": "0.1.0"}
    new = sqlite.write_sqlite(tmp / "new.sqlite", tables, **versions)
    expected = reference(tmp / "expected.sqlite", tables, **versions)
    assert new.read_bytes() == expected.read_bytes()
    assert sorted(p.name for p in tmp.iterdir()) == ["expected.sqlite", "new.sqlite", "tables"]


def test_generated_records_give_the_bytes_of_the_sqlite_utils_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite, "BATCH", 700)  # many batches
    load_benchmark("generate").generate(tmp_path / "gen", claims=3000, seed=5, invalid_share=0.0, csv=False)
    lines = (tmp_path / "gen" / "records.jsonl").read_bytes().splitlines()
    records = [parse_record(line) for line in lines]
    assert sum(isinstance(r, Claim) for r in records) >= 3000
    work = tmp_path / "work"
    work.mkdir()
    _same_bytes_as_the_reference(records, work)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
@given(st.lists(strategies.records, max_size=12, unique_by=lambda r: r.id))
def test_arbitrary_records_give_the_bytes_of_the_sqlite_utils_writer(
    tmp_path_factory: pytest.TempPathFactory, records: list[AnyRecord]
) -> None:
    _same_bytes_as_the_reference(records, tmp_path_factory.mktemp("arbitrary"))


def test_the_committed_release_is_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    committed = WITH_SQLITE / sqlite.FILE_NAME
    with closing(sqlite3.connect(f"file:{committed}?mode=ro", uri=True)) as conn:
        versions = dict(conn.execute("SELECT key, value FROM kzdata_release").fetchall())
    tables = {name: WITH_SQLITE / f"{name}.jsonl" for name in release_tables(WITH_SQLITE)}
    rebuilt = sqlite.write_sqlite(tmp_path / sqlite.FILE_NAME, tables, **versions)
    assert rebuilt.read_bytes() == committed.read_bytes(), f"SQLite {sqlite3.sqlite_version} wrote other bytes"
