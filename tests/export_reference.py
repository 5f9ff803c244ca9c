"""The table files of an export as the per-row writer made them before the Arrow-batch writer (reference).

Straightforward and slow on purpose: records are dumped one by one, sorted by id, every CSV
cell is encoded in Python (:func:`kzdata.formats.csv.encode_rows`) and written with the
``csv`` module, and each Parquet row group is built from dicts
(:func:`kzdata.formats.parquet.table_from_dicts`). tests/test_export_identity.py checks
that :mod:`kzdata.release.write` gives exactly these bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import orjson

from kzdata.formats import csv as flat
from kzdata.formats import parquet
from kzdata.records import kinds
from kzdata.records.jsonl import dumps
from kzdata.records.models import AnyRecord


def reference_tables(
    records: list[AnyRecord], out: Path, *, dataset_version: str, schema_version: str, row_group_size: int
) -> list[str]:
    """Write ``<table>.jsonl|.csv|.parquet`` of every table into ``out``; returns the file names."""
    names: list[str] = []
    for kind in kinds.KINDS:
        rows = sorted((r for r in records if r.record_type == kind.record_type), key=lambda r: r.id)
        lines = [(dumps(r) + "\n").encode("utf-8") for r in rows]
        (out / f"{kind.table}.jsonl").write_bytes(b"".join(lines))
        dicts = [orjson.loads(line) for line in lines]
        text = io.StringIO(newline="")
        writer = flat.csv_writer(text)
        writer.writerow(flat.COLUMNS[kind.record_type])
        writer.writerows(flat.csv_rows(dicts, kind.record_type))
        (out / f"{kind.table}.csv").write_bytes(text.getvalue().encode("utf-8"))
        meta = parquet.parquet_metadata(
            kind.model, kind.table, dataset_version=dataset_version, schema_version=schema_version
        )
        schema = parquet.schema_for(kind.model, metadata=meta)
        with parquet.parquet_writer(out / f"{kind.table}.parquet", schema) as handle:
            for first in range(0, len(dicts), row_group_size):
                batch = dicts[first : first + row_group_size]
                handle.write_table(parquet.table_from_dicts(batch, schema), row_group_size=row_group_size)
        names += [f"{kind.table}.{ext}" for ext in ("jsonl", "csv", "parquet")]
    return names
