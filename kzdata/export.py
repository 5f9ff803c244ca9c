"""Write the exported tables of a dataset build or release into one folder, atomically.

For each record type (``sources, actors, events, claims, claim_relations``)::

    <table>.jsonl    canonical records (kzdata.records.dumps: sorted keys, UTF-8, "\\n"), rows by id
    <table>.parquet  explicit Arrow schema (kzdata.arrow), zstd, rows by id, bounded row groups,
                     key-value metadata: schema_version, dataset_version, record_type,
                     field_descriptions (JSON, path → description)
    <table>.csv      kzdata.flat columns, RFC 4180, UTF-8 without BOM, CRLF line ends, rows by id

then ``datapackage.json``, the card ``README.md``, ``CITATION.cff``, any extra files (a
release adds ``changes.jsonl``) and ``SHA256SUMS`` over all of them.

Everything is written into a hidden folder beside ``out_dir`` and renamed into place at the
end, so a crash never leaves a half-written export. The bytes depend only on the records and
the parameters: not on the input order, the clock, ``TZ``, the locale or ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import orjson
import pyarrow.parquet as pq
from pydantic import BaseModel

from kzdata import arrow, card, checksums, datapackage, flat
from kzdata.errors import DataError, UsageError
from kzdata.models import Source
from kzdata.records import AnyRecord, dumps
from kzdata.schema import SCHEMA_VERSION

ROW_GROUP_SIZE = 10_000
ZSTD_LEVEL = 9
PARQUET_FORMAT_VERSION = "2.6"
CSV_LINE_TERMINATOR = "\r\n"


def split_tables(records: Iterable[AnyRecord]) -> dict[str, list[AnyRecord]]:
    """Records grouped by table and sorted by id; duplicate ids are refused."""
    tables: dict[str, list[AnyRecord]] = {name: [] for name in arrow.TABLES}
    for record in records:
        tables[arrow.TABLE_OF_TYPE[record.record_type]].append(record)
    for name, rows in tables.items():
        rows.sort(key=lambda r: r.id)
        duplicates = sorted({a.id for a, b in itertools.pairwise(rows) if a.id == b.id})
        if duplicates:
            raise DataError(
                f"{name}: duplicate ids {', '.join(duplicates[:5])}", "run 'kzdata validate' and merge them"
            )
    return tables


def jsonl_bytes(rows: Sequence[AnyRecord]) -> bytes:
    """Canonical JSON Lines of rows already sorted by id."""
    return "".join(dumps(r) + "\n" for r in rows).encode("utf-8")


def write_parquet(
    path: Path, rows: Sequence[AnyRecord], model: type[BaseModel], metadata: Mapping[str, str], row_group_size: int
) -> None:
    """One Parquet file with the model's explicit schema, written one row group at a time."""
    schema = arrow.schema_for(model, metadata=dict(metadata))
    with pq.ParquetWriter(
        path,
        schema,
        compression="zstd",
        compression_level=ZSTD_LEVEL,
        version=PARQUET_FORMAT_VERSION,
        data_page_version="1.0",
        use_dictionary=True,
        write_statistics=True,
    ) as writer:
        for table in arrow.batches(rows, model, row_group_size, schema):
            writer.write_table(table, row_group_size=row_group_size)


def parquet_metadata(
    model: type[BaseModel], table: str, *, dataset_version: str, schema_version: str
) -> dict[str, str]:
    """Key-value metadata stamped into a Parquet file."""
    descriptions = orjson.dumps(arrow.descriptions(model), option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return {
        "dataset_version": dataset_version,
        "field_descriptions": descriptions,
        "record_type": arrow.TYPE_OF_TABLE[table],
        "schema_version": schema_version,
    }


def csv_bytes(rows: Sequence[AnyRecord], columns: Sequence[str]) -> bytes:
    """RFC 4180 CSV of the flattened rows: header, then one line per record, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=CSV_LINE_TERMINATOR, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for record in rows:
        try:
            cells = flat.flatten(record)
        except ValueError as error:
            raise DataError(f"{record.id}: cannot be written as CSV: {error}", "fix the record") from None
        writer.writerow([cells[c] for c in columns])
    return buffer.getvalue().encode("utf-8")


def _write_table_files(
    staging: Path,
    name: str,
    rows: Sequence[AnyRecord],
    *,
    dataset_version: str,
    schema_version: str,
    row_group_size: int,
) -> list[str]:
    model = arrow.TABLES[name]
    (staging / f"{name}.jsonl").write_bytes(jsonl_bytes(rows))
    meta = parquet_metadata(model, name, dataset_version=dataset_version, schema_version=schema_version)
    write_parquet(staging / f"{name}.parquet", rows, model, meta, row_group_size)
    (staging / f"{name}.csv").write_bytes(csv_bytes(rows, flat.COLUMNS[arrow.TYPE_OF_TABLE[name]]))
    return [f"{name}.jsonl", f"{name}.parquet", f"{name}.csv"]


def _render_json(document: object) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_into(
    staging: Path,
    tables: Mapping[str, Sequence[AnyRecord]],
    *,
    dataset_version: str,
    schema_version: str,
    quality: Path | None,
    extra_files: Mapping[str, bytes],
    released: date | None,
    row_group_size: int,
) -> list[str]:
    """Write every file of an export into ``staging``; returns the file names."""
    names: list[str] = []
    for name, rows in tables.items():
        names += _write_table_files(
            staging, name, rows, dataset_version=dataset_version, schema_version=schema_version,
            row_group_size=row_group_size,
        )  # fmt: skip
    text = card.render_card(tables, dataset_version=dataset_version, schema_version=schema_version, quality=quality)
    documents = {"README.md": text.encode("utf-8"), "CITATION.cff": card.render_citation(
        dataset_version=dataset_version, released=released).encode("utf-8"), **extra_files}  # fmt: skip
    for file_name, content in documents.items():
        (staging / file_name).write_bytes(content)
    names += list(documents)
    package = datapackage.build(
        dataset_version=dataset_version,
        schema_version=schema_version,
        digests=checksums.digest_all(staging, names),
        csv_columns={name: flat.COLUMNS[arrow.TYPE_OF_TABLE[name]] for name in tables},
        line_terminator=CSV_LINE_TERMINATOR,
        outlets=[s.outlet for s in tables.get("sources", []) if isinstance(s, Source)],
    )
    (staging / "datapackage.json").write_bytes(_render_json(package))
    names.append("datapackage.json")
    sums = checksums.render_sums(checksums.digest_all(staging, names))
    (staging / checksums.SUMS_NAME).write_bytes(sums.encode("utf-8"))
    return sorted([*names, checksums.SUMS_NAME])


def staging_dir(out_dir: Path, tag: str = "tmp") -> Path:
    """The hidden folder beside ``out_dir`` an export is written into before the rename."""
    return out_dir.parent / f".{out_dir.name}.{tag}-{os.getpid()}"


def publish(staging: Path, out_dir: Path, *, replace: bool) -> None:
    """Move a finished staging folder to ``out_dir`` (replacing an old one only if ``replace``)."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not replace:
        raise UsageError(f"{out_dir} already exists", "choose another folder or version")
    old = staging_dir(out_dir, "old")
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old)


def write_tables(
    records: Iterable[AnyRecord],
    out_dir: Path,
    *,
    dataset_version: str,
    schema_version: str = SCHEMA_VERSION,
    quality: Path | None = None,
    extra_files: Mapping[str, bytes] | None = None,
    released: date | None = None,
    replace: bool = True,
    row_group_size: int = ROW_GROUP_SIZE,
) -> list[Path]:
    """Write all tables, the data package, card, citation and checksums into ``out_dir``.

    ``extra_files`` (name → bytes) are added before the checksums (a release's ``changes.jsonl``);
    ``quality`` is a file of extraction quality figures for the card (Markdown, or a JSON object).
    An existing ``out_dir`` is replaced as a whole unless ``replace`` is false (then UsageError).
    Returns the paths written, sorted by name.
    """
    tables = split_tables(records)
    if not replace and out_dir.exists():
        raise UsageError(f"{out_dir} already exists", "choose another folder or version")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(out_dir)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        names = write_into(
            staging, tables, dataset_version=dataset_version, schema_version=schema_version, quality=quality,
            extra_files=dict(extra_files or {}), released=released, row_group_size=row_group_size,
        )  # fmt: skip
        publish(staging, out_dir, replace=replace)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / name for name in names]
