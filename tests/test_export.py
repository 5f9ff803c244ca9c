"""kzdata.release.write: the files of an export, their formats, determinism and atomicity."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdata.errors import DataError, InputError, RecordError, UsageError
from kzdata.formats import card
from kzdata.formats import csv as flat
from kzdata.formats import parquet as arrow
from kzdata.records import kinds
from kzdata.records.jsonl import dumps, iter_records, parse_record
from kzdata.records.models import AnyRecord, Claim, Event
from kzdata.release import write as export
from tests import strategies
from tests.test_flat import NUMBER

RECORDS_FILE = Path(__file__).parent / "data" / "export" / "records.jsonl"
TABLE_FILES = [f"{t}.{ext}" for t in kinds.TABLES for ext in ("jsonl", "parquet", "csv")]
OTHER_FILES = [
    "CITATION.cff",
    "CODEBOOK.md",
    "README.md",
    "SHA256SUMS",
    "contested_figures.png",
    "datapackage.json",
    "kzdata.sqlite",
]


def load_records() -> list[AnyRecord]:
    return list(iter_records(RECORDS_FILE.read_text(encoding="utf-8").splitlines(), file=str(RECORDS_FILE)))


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "v0.1.0"
    export.write_tables(load_records(), out, dataset_version="0.1.0")
    return out


def by_table(records: list[AnyRecord]) -> dict[str, list[AnyRecord]]:
    tables: dict[str, list[AnyRecord]] = {name: [] for name in kinds.TABLES}
    for record in sorted(records, key=lambda r: r.id):
        tables[kinds.BY_TYPE[record.record_type].table].append(record)
    return tables


def test_writes_every_file_of_the_layout_and_nothing_else(release: Path) -> None:
    assert sorted(p.name for p in release.iterdir()) == sorted(TABLE_FILES + OTHER_FILES)
    assert not [p for p in release.parent.iterdir() if p.name.startswith(".")]


def test_sha256sums_lists_every_other_file_sorted(release: Path) -> None:
    lines = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == sorted(n for n in TABLE_FILES + OTHER_FILES if n != "SHA256SUMS")
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_jsonl_is_canonical_and_sorted_by_id(release: Path) -> None:
    tables = by_table(load_records())
    for name, rows in tables.items():
        text = (release / f"{name}.jsonl").read_bytes().decode("utf-8")
        assert text == "".join(dumps(r) + "\n" for r in sorted(rows, key=lambda r: r.id))
        ids = [parse_record(line).id for line in text.splitlines()]
        assert ids == sorted(ids)


def test_parquet_reads_back_to_the_records_with_metadata(release: Path) -> None:
    tables = by_table(load_records())
    for name, rows in tables.items():
        path = release / f"{name}.parquet"
        table = pq.read_table(path)
        assert arrow.from_table(table, kinds.BY_TABLE[name].model) == rows
        assert table.schema.equals(arrow.schema_for(kinds.BY_TABLE[name].model))
        meta = pq.read_metadata(path)
        kv = meta.metadata
        assert kv[b"schema_version"] == b"0.1.0"
        assert kv[b"dataset_version"] == b"0.1.0"
        assert kv[b"record_type"].decode() == kinds.BY_TABLE[name].record_type
        assert json.loads(kv[b"field_descriptions"])["id"]
        if meta.num_row_groups:
            assert meta.row_group(0).column(0).compression == "ZSTD"


def test_row_groups_are_bounded(tmp_path: Path) -> None:
    export.write_tables(load_records(), tmp_path / "out", dataset_version="0.1.0", row_group_size=2)
    meta = pq.read_metadata(tmp_path / "out" / "claims.parquet")
    assert meta.num_rows == 5
    assert meta.num_row_groups == 3
    claims_model = kinds.BY_TABLE["claims"].model
    assert arrow.from_table(pq.read_table(tmp_path / "out" / "claims.parquet"), claims_model) == sorted(
        by_table(load_records())["claims"], key=lambda r: r.id
    )


def read_csv(path: Path, table: str) -> list[AnyRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    model = kinds.BY_TABLE[table].model
    record_type = kinds.BY_TABLE[table].record_type
    return [model.model_validate_json(json.dumps(flat.unflatten(row, record_type))) for row in rows]  # type: ignore[misc]


def test_csv_reads_back_to_the_records(release: Path) -> None:
    for name, rows in by_table(load_records()).items():
        raw = (release / f"{name}.csv").read_bytes()
        assert raw.count(b"\r\n") >= 1
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert read_csv(release / f"{name}.csv", name) == rows


def test_csv_cells_never_start_a_formula(release: Path) -> None:
    for name in kinds.TABLES:
        with (release / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                formulas = [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(c)]
                assert not formulas


def _csv_expected(record: AnyRecord) -> AnyRecord:
    """The record as CSV can hold it: an empty optional text is null (documented in kzdata.formats.csv)."""
    data = record.model_dump(mode="json")
    for column in flat.LAYOUT[record.record_type]:
        target = data
        for key in column.path[:-1]:
            target = target[key] if target is not None else None
        if target is not None and column.nullable and target[column.path[-1]] == "":
            target[column.path[-1]] = None
    return parse_record(json.dumps(data))


def _csv_bytes(rows: list[AnyRecord], record_type: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = flat.csv_writer(buffer)
    writer.writerow(flat.COLUMNS[record_type])
    writer.writerows(flat.csv_rows([r.model_dump(mode="json") for r in rows], record_type))
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(strategies.records, max_size=5, unique_by=lambda r: r.id))
def test_csv_round_trip_property(records: list[AnyRecord]) -> None:
    tables = by_table(records)
    for name, rows in tables.items():
        kind = kinds.BY_TABLE[name]
        try:
            data = _csv_bytes(rows, kind.record_type)
        except DataError:
            continue  # a list item that cannot be joined and split back is refused, not corrupted
        reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
        back = [kind.model.model_validate_json(json.dumps(flat.unflatten(row, kind.record_type))) for row in reader]
        assert back == [_csv_expected(r) for r in rows]


@settings(max_examples=40, deadline=None)
@given(strategies.records)
def test_spooled_line_is_the_canonical_json(record: AnyRecord) -> None:
    spools, _ = export.spool_records([record], Path("/nonexistent-never-spilled"))
    [(record_id, line)] = list(spools[kinds.BY_TYPE[record.record_type].table].sorted_pairs())
    assert record_id == record.id.encode("utf-8")
    assert line == (dumps(record) + "\n").encode("utf-8")


def _all_bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_same_bytes_for_shuffled_input(release: Path, tmp_path: Path) -> None:
    records = load_records()
    random.Random(7).shuffle(records)
    export.write_tables(records, tmp_path / "again", dataset_version="0.1.0")
    assert _all_bytes(tmp_path / "again") == _all_bytes(release)


SCRIPT = """
import sys, random
from pathlib import Path
from kzdata.release.write import write_tables
from kzdata.records.jsonl import iter_records
records = list(iter_records(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()))
random.Random(int(sys.argv[3])).shuffle(records)
write_tables(records, Path(sys.argv[2]), dataset_version="0.1.0")
"""


def test_same_bytes_under_other_tz_hashseed_and_locale(release: Path, tmp_path: Path) -> None:
    for n, (tz, seed, lang) in enumerate([("Asia/Almaty", "1", "C.UTF-8"), ("America/Los_Angeles", "4242", "C")]):
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "LC_ALL": lang, "LANG": lang}
        out = tmp_path / f"run{n}"
        subprocess.run([sys.executable, "-c", SCRIPT, str(RECORDS_FILE), str(out), str(n)], env=env, check=True)
        assert _all_bytes(out) == _all_bytes(release)


def test_same_bytes_when_every_table_spills_sorted_runs_to_disk(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "RUN_BYTES", 600)  # a run or two of lines per table
    records = load_records()
    random.Random(3).shuffle(records)
    export.write_tables(iter(records), tmp_path / "spilled", dataset_version="0.1.0")
    assert _all_bytes(tmp_path / "spilled") == _all_bytes(release)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spilled"]


def test_duplicate_ids_in_spilled_runs_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "RUN_BYTES", 600)
    records = load_records()
    claims = [r for r in records if r.record_type == "claim"]
    with pytest.raises(DataError, match="claims: duplicate ids") as raised:
        export.write_tables([*claims[::-1], *records, *claims[:2]], tmp_path / "dup", dataset_version="0.1.0")
    assert str(raised.value).split(" — ")[0] == "claims: duplicate ids " + ", ".join(sorted(c.id for c in claims)[:5])
    assert list(tmp_path.iterdir()) == []


def test_export_jsonl_streams_files_to_the_same_bytes(release: Path, tmp_path: Path) -> None:
    lines = RECORDS_FILE.read_text(encoding="utf-8").splitlines()
    (tmp_path / "a.jsonl").write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(lines[1::2]) + "\n\n", encoding="utf-8")
    out = tmp_path / "out"
    export.export_jsonl([tmp_path / "b.jsonl", tmp_path / "a.jsonl"], out, dataset_version="0.1.0")
    assert _all_bytes(out) == _all_bytes(release)


def test_export_jsonl_stops_at_a_bad_line_and_writes_nothing(tmp_path: Path) -> None:
    lines = RECORDS_FILE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([*lines[:3], '{"record_type": "claim"}', *lines[3:]]) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"bad\.jsonl:4: "):
        export.export_jsonl([bad], tmp_path / "out", dataset_version="0.1.0")
    with pytest.raises(InputError, match="cannot read"):
        export.export_jsonl([tmp_path / "missing.jsonl"], tmp_path / "out", dataset_version="0.1.0")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_datapackage_describes_every_file(release: Path) -> None:
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "kzdata"
    assert package["version"] == "0.1.0"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {s["title"] for s in package["sources"]} == {"Example Wire", "Пример Ньюс"}
    resources = {r["path"]: r for r in package["resources"]}
    assert set(resources) == {*TABLE_FILES, *(f for f in OTHER_FILES if f not in ("SHA256SUMS", "datapackage.json"))}
    assert resources["kzdata.sqlite"]["mediatype"] == "application/vnd.sqlite3"
    for path, resource in resources.items():
        data = (release / path).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    claims = resources["claims.csv"]["schema"]
    assert claims["primaryKey"] == ["id"]
    fields = {f["name"]: f for f in claims["fields"]}
    assert [f["name"] for f in claims["fields"]] == flat.COLUMNS["claim"]
    assert "killed" in fields["predicate"]["constraints"]["enum"]
    assert fields["as_of"]["type"] == "date"
    assert fields["value_amount"]["type"] == "number"
    assert fields["quote"]["constraints"]["required"] is True
    assert {"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}} in claims["foreignKeys"]


def test_datapackage_is_valid_for_frictionless(release: Path) -> None:
    frictionless = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=release,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:4000]
    assert done.returncode == 0


def test_duckdb_reads_every_parquet_with_the_intended_types(release: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    for name, rows in by_table(load_records()).items():
        path = str(release / f"{name}.parquet")
        types = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
        assert types["id"] == "VARCHAR"
        count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0]
        assert count == (len(rows),)
    claims = str(release / "claims.parquet")
    types = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{claims}')").fetchall()}
    assert types["as_of"] == "DATE"
    assert types["relayed_by"] == "VARCHAR[]"
    assert types["value"].startswith("STRUCT(amount DOUBLE")
    assert types["span"] == 'STRUCT("start" BIGINT, "end" BIGINT)'
    amounts = duckdb.sql(f"SELECT value.amount FROM read_parquet('{claims}') WHERE value IS NOT NULL").fetchall()
    assert sorted(a for (a,) in amounts) == [5800.0, 5969.0, 7939.0, 7989.0]
    events = str(release / "events.parquet")
    types = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{events}')").fetchall()}
    assert types["participants"] == 'STRUCT(actor_id VARCHAR, "role" VARCHAR)[]'


def test_polars_reads_every_parquet_with_the_intended_types(release: Path) -> None:
    pl = pytest.importorskip("polars")
    for name, rows in by_table(load_records()).items():
        frame = pl.read_parquet(release / f"{name}.parquet")
        assert frame.height == len(rows)
        assert frame["id"].to_list() == sorted(r.id for r in rows)
    claims = pl.read_parquet(release / "claims.parquet").schema
    assert claims["as_of"] == pl.Date
    assert claims["predicate"] == pl.Categorical
    assert claims["relayed_by"] == pl.List(pl.String)
    assert claims["value"] == pl.Struct(
        {
            "amount": pl.Float64,
            "low": pl.Float64,
            "high": pl.Float64,
            "unit": pl.Categorical,
            "qualifier": pl.Categorical,
        }
    )
    actors = pl.read_parquet(release / "actors.parquet").schema
    assert actors["aliases"] == pl.List(pl.String)


def test_empty_tables_still_have_their_schema(tmp_path: Path) -> None:
    export.write_tables([], tmp_path / "empty", dataset_version="0.0.1")
    table = pq.read_table(tmp_path / "empty" / "claims.parquet")
    assert table.num_rows == 0
    assert table.schema.field("as_of").type == pa.date32()
    assert (tmp_path / "empty" / "claims.csv").read_text(encoding="utf-8").startswith("record_type,id,")


def test_duplicate_ids_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    records = load_records()
    with pytest.raises(DataError, match="duplicate ids"):
        export.write_tables([*records, records[0]], tmp_path / "dup", dataset_version="0.1.0")
    assert list(tmp_path.iterdir()) == []


def test_a_crash_mid_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(card, "render_citation", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export.write_tables(load_records(), tmp_path / "v1", dataset_version="0.1.0")
    assert list(tmp_path.iterdir()) == []


def test_a_crash_keeps_the_previous_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dev"
    export.write_tables(load_records(), out, dataset_version="0.1.0")
    before = _all_bytes(out)
    monkeypatch.setattr(arrow, "parquet_writer", lambda *a, **k: (_ for _ in ()).throw(OSError("no space")))
    with pytest.raises(OSError, match="no space"):
        export.write_tables(load_records()[:3], out, dataset_version="0.2.0")
    assert _all_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev"]


def test_replace_swaps_the_whole_folder_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "dev"
    export.write_tables(load_records()[:3], out, dataset_version="0.0.1")
    export.write_tables(load_records(), out, dataset_version="0.1.0")
    assert '"version": "0.1.0"' in (out / "datapackage.json").read_text(encoding="utf-8")
    (out / "stale.txt").write_text("a file of the user's", encoding="utf-8")
    with pytest.raises(UsageError, match="not written by kzdata"):
        export.write_tables(load_records(), out, dataset_version="0.1.0")
    assert (out / "stale.txt").exists()
    with pytest.raises(UsageError, match="already exists"):
        export.write_tables(load_records(), out, dataset_version="0.1.0", replace=False)


def test_card_counts_tables_and_shows_contested_figures(release: Path) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    assert "| claims | 5 |" in text
    assert "| claim_relations | 3 |" in text
    for figure in ("about 5,800 people", "5,969 people", "7,939 people", "7,989 people"):
        assert figure in text
    assert (
        "| detained | nationwide | 7,989 people | Interior Ministry | 2022-01-10 | 2022-01-10 | Пример Ньюс | disputed"
        in text
    )
    assert "CC-BY-4.0" in text
    assert "duckdb" in text
    assert "polars" in text


def test_card_includes_quality_figures_from_a_file(tmp_path: Path) -> None:
    md = tmp_path / "quality.md"
    md.write_text("| measure | value |\n|---|---|\n| claims F1 | 0.91 |\n", encoding="utf-8")
    assert "| claims F1 | 0.91 |" in card.quality_section(md)
    js = tmp_path / "quality.json"
    js.write_text(json.dumps({"precision": 0.9, "recall": 0.8}), encoding="utf-8")
    assert "| precision | 0.9 |" in card.quality_section(js)
    js.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="not a JSON object"):
        card.quality_section(js)
    with pytest.raises(InputError, match="cannot read"):
        card.quality_section(tmp_path / "missing.md")


def test_citation_is_a_dataset_with_the_version(release: Path) -> None:
    text = (release / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version: 1.2.0" in text
    assert "type: dataset" in text
    assert 'version: "0.1.0"' in text
    assert "license: CC-BY-4.0" in text


def test_the_cards_csv_advice_keeps_numbers_numeric_and_text_text(tmp_path: Path) -> None:
    import pandas as pd

    records = load_records()
    claim = next(r for r in records if isinstance(r, Claim) and r.value is not None)
    noted = claim.model_copy(update={"notes": "NA"})
    out = tmp_path / "out"
    export.write_tables([noted if r is claim else r for r in records], out, dataset_version="0.1.0")
    assert card.CSV_READ in (out / "README.md").read_text(encoding="utf-8")
    advice = card.CSV_READ.replace('"claims.csv"', repr(str(out / "claims.csv")))
    claims = eval(advice, {"pd": pd})  # the card's own line, run as printed
    assert claims["value_amount"].dtype.kind == "f" and claims["span_start"].dtype.kind == "i"
    assert claims.loc[claims["id"] == noted.id, "notes"].item() == "NA"


def test_negative_numbers_are_never_escaped_in_csv(tmp_path: Path) -> None:
    records = load_records()
    event = next(r for r in records if isinstance(r, Event) and r.location is not None)
    location = event.location.model_copy(update={"lon": -43.25, "lat": -12.5})  # type: ignore[union-attr]
    moved = event.model_copy(update={"location": location})
    export.write_tables([moved if r is event else r for r in records], tmp_path / "out", dataset_version="0.1.0")
    text = (tmp_path / "out" / "events.csv").read_text(encoding="utf-8")
    assert ",-43.25," in text or text.rstrip().endswith("-43.25") or ",-43.25\r\n" in text
    assert "'-43.25" not in text and "'-12.5" not in text
