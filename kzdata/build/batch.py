"""Extraction as a pure function over batches of article bytes, and the build's records from Parquet.

For engines that map a function over rows of a table — Spark (:mod:`kzdata.spark`), Dask, Ray
— instead of reading files from a seeds folder::

    rows:   {"name": "001_x.txt", "content": b"..."}        (or "path": "file:/…/001_x.txt";
                                                            "text": str instead of "content")
      → extract_batch(rows, catalogue=…, seeds_name="seeds")
    out:    {"table": "claims", "id": "clm-…", "record": "<canonical JSON>"}  per record

Each article gives exactly the records ``kzdata build`` extracts from the same file: the
Source id is the SHA-256 of the article's bytes, the Source path is
``<seeds_name>/articles/<name>`` (as the build writes it), the catalogue entry is looked up by
file name. A record may come from several articles (an actor named in many of them):
:func:`merge_records` folds one id's records into one, as the build's merge does, whatever
their order. :func:`parquet_table` lays records out with the release's Arrow schema.

Then relations, and the events claims are linked to, need every claim at once:
:func:`derive_from_parquet` reads the ``sources``, ``actors`` and ``claims`` Parquet back into
records and runs the build's :func:`kzdata.build.pipeline.assemble` (events linked, then
:func:`kzdata.build.relations.derive_relations`) — giving the records ``kzdata build`` would
give for those articles with no curated records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.parquet as pq

from kzdata import sources
from kzdata.build.merge import merge
from kzdata.build.pipeline import ARTICLES, assemble
from kzdata.errors import UsageError
from kzdata.extract import order_records, rule_records
from kzdata.formats.parquet import from_table, parquet_metadata, schema_for, table_from_dicts
from kzdata.records.jsonl import dumps, parse_record
from kzdata.records.kinds import BY_TABLE, BY_TYPE
from kzdata.records.models import AnyRecord
from kzdata.records.schema import SCHEMA_VERSION
from kzdata.sources import Metadata
from kzdata.sources.reader import decode_article

EXTRACTED_TABLES = ("sources", "actors", "claims")
"""The tables extraction produces (events and relations are derived from all of them)."""
RECORD_COLUMNS = ("table", "id", "record")
"""The columns of :func:`extract_batch`'s rows."""


def record_path(name: str, seeds_name: str = "seeds") -> str:
    """The Source ``path`` the build gives the article ``name`` of a seeds folder named ``seeds_name``."""
    return f"{seeds_name}/{ARTICLES}/{name}"


def article_name(row: Mapping[str, Any]) -> str:
    """The file name of an article row: its ``name``, else the last part of its ``path`` (a path or URI)."""
    name = row.get("name") or PurePosixPath(unquote(str(row.get("path") or ""))).name
    if not name:
        raise UsageError("an article row has neither a name nor a path", "give each row a 'name' or a 'path' column")
    return str(name)


def extract_text(
    data: bytes, name: str, *, catalogue: Mapping[str, Metadata] | None = None, seeds_name: str = "seeds"
) -> list[AnyRecord]:
    """The records of one article's bytes, as ``kzdata build`` extracts them from the file ``name``."""
    path = record_path(name, seeds_name)
    text = decode_article(data, path)
    document = sources.parse_text(text, path=path, data=data, listed=(catalogue or {}).get(name))
    return order_records([sources.to_source(document), *rule_records(document)])


def extract_batch(
    rows: Iterable[Mapping[str, Any]], *, catalogue: Mapping[str, Metadata] | None = None, seeds_name: str = "seeds"
) -> Iterator[dict[str, str]]:
    """``{"table", "id", "record"}`` (canonical JSON) for every record of every article row, in row order."""
    for row in rows:
        name = article_name(row)
        content = row.get("content")
        data = bytes(content) if content is not None else str(row.get("text") or "").encode("utf-8")
        for record in extract_text(data, name, catalogue=catalogue, seeds_name=seeds_name):
            yield {"table": BY_TYPE[record.record_type].table, "id": record.id, "record": dumps(record)}


def merge_records(records: Iterable[AnyRecord]) -> list[AnyRecord]:
    """Records extracted from several articles, one per id (actors merged as the build merges them)."""
    return list(merge(records, []).records)


def merge_rows(lines: Iterable[str | bytes]) -> list[AnyRecord]:
    """:func:`merge_records` of canonical JSON lines (the ``record`` column of :func:`extract_batch`)."""
    return merge_records(parse_record(line) for line in lines)


def parquet_schema(table: str, dataset_version: str = "dev") -> pa.Schema:
    """The release's Arrow schema of ``table``, with its key-value metadata."""
    model = BY_TABLE[table].model
    metadata = parquet_metadata(model, table, dataset_version=dataset_version, schema_version=SCHEMA_VERSION)
    return schema_for(model, metadata=metadata)


def parquet_table(records: Iterable[AnyRecord], table: str, dataset_version: str = "dev") -> pa.Table:
    """Records of one table (sorted by id) as Arrow with the release's schema, as ``kzdata build`` writes them."""
    rows = [record.model_dump(mode="json") for record in sorted(records, key=lambda record: record.id)]
    return table_from_dicts(rows, parquet_schema(table, dataset_version))


def read_parquet_records(folder: Path) -> list[AnyRecord]:
    """The records of ``folder/<table>`` (a Parquet file or a folder of parts) for the extracted tables."""
    records: list[AnyRecord] = []
    for table in EXTRACTED_TABLES:
        path = folder / table
        if not path.exists():
            raise UsageError(f"{path}: no such Parquet file or folder", "run the extraction job first")
        records += from_table(pq.read_table(path), BY_TABLE[table].model)
    return records


def derive_from_parquet(folder: Path) -> list[AnyRecord]:
    """The build's records from extracted Parquet: claims linked to events, relations and quantities derived."""
    records, _ = assemble(merge_records(read_parquet_records(folder)))
    return records
