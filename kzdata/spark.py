"""Extraction past one machine: a Spark job writing the claims, actors and sources of many articles.

Needs the ``spark`` extra (``pip install 'kzdata[spark]'``) and Java 17; this module imports
pyspark, so nothing else in kzdata imports it. See docs/spark.md for a cluster::

    from pyspark.sql import SparkSession
    from kzdata import spark as kzspark
    from kzdata.build.batch import derive_from_parquet

    session = SparkSession.builder.getOrCreate()
    kzspark.run(session, "seeds/articles", "seeds/sources.toml", "out/")   # out/{sources,actors,claims}/part-*.parquet
    records = derive_from_parquet(Path("out"))   # + events linked, relations derived (one machine)

:func:`run` reads a folder of ``*.txt`` articles (Spark's ``binaryFile`` source) or a DataFrame
of articles (``name`` or ``path``, and ``content`` bytes or ``text``), maps
:func:`kzdata.build.batch.extract_batch` over Arrow batches (:func:`extract_arrow`, through
``mapInArrow``), then range-partitions the records by (table, id) in one shuffle, folds the records of
one id into one (:func:`kzdata.build.batch.merge_records`: an actor named in many articles) and
writes ``out_dir/<table>/part-NNNNN.parquet`` from the executors with the release's Arrow schema
(:func:`kzdata.build.batch.parquet_table`). Parts are sorted by id and in id order by part
number, so reading the folder gives the rows as ``kzdata build`` orders them, with the same ids.
``out_dir`` must be a path every executor can write (a shared file system on a cluster).
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

import pyarrow as pa
from pyspark import TaskContext
from pyspark.sql import DataFrame, SparkSession

from kzdata.build.batch import EXTRACTED_TABLES, extract_batch, merge_rows, parquet_schema, parquet_table
from kzdata.errors import UsageError
from kzdata.formats.parquet import parquet_writer
from kzdata.records.models import AnyRecord
from kzdata.sources import Metadata, load_metadata

RECORDS_SCHEMA = "table string, id string, record string"
"""The records DataFrame between extraction and writing: table, id, canonical JSON."""
RECORDS_ARROW = pa.schema([("table", pa.string()), ("id", pa.string()), ("record", pa.string())])
WRITTEN_SCHEMA = "table string, path string, rows long"
WRITTEN_ARROW = pa.schema([("table", pa.string()), ("path", pa.string()), ("rows", pa.int64())])
ROW_GROUP = 10_000
"""Records per Parquet row group written by an executor."""

Catalogue = Path | str | Mapping[str, Metadata] | None


def run(
    spark: SparkSession,
    articles: str | Path | DataFrame,
    catalogue: Catalogue,
    out_dir: str | Path,
    *,
    seeds_name: str | None = None,
    dataset_version: str = "dev",
) -> dict[str, int]:
    """Extract every article and write ``out_dir/{sources,actors,claims}/``; rows written per table.

    ``articles``: a folder of ``*.txt`` files or a DataFrame of articles. ``catalogue``: a
    ``sources.toml`` (read here, on the driver) or its entries by file name, or None.
    ``seeds_name``: the seeds folder name in each Source ``path`` (default: the parent of a
    folder named ``articles``, else ``seeds``), so that paths and ids match ``kzdata build``.
    A table folder that already holds files is refused (UsageError): remove it first.
    """
    out = Path(out_dir)
    for table in EXTRACTED_TABLES:
        if (out / table).is_dir() and any((out / table).iterdir()):
            raise UsageError(f"{out / table}: already holds files", "remove it or give another output folder")
    frame = read_articles(spark, articles) if isinstance(articles, str | Path) else articles
    entries = load_metadata(Path(catalogue)) if isinstance(catalogue, str | Path) else dict(catalogue or {})
    records = extract_records(frame, entries, seeds_name or _seeds_name(articles)).persist()
    try:  # persisted: the range partitioning samples the records, the write reads them again
        return write_tables(records, out, dataset_version)
    finally:
        records.unpersist()


def read_articles(spark: SparkSession, folder: str | Path) -> DataFrame:
    """The ``*.txt`` files of ``folder`` (not its subfolders) as rows of ``path`` and ``content``."""
    reader = spark.read.format("binaryFile").option("pathGlobFilter", "*.txt").option("recursiveFileLookup", "false")
    return reader.load(str(folder)).select("path", "content")


def extract_records(frame: DataFrame, catalogue: Mapping[str, Metadata], seeds_name: str) -> DataFrame:
    """The records of every article of ``frame`` as rows of :data:`RECORDS_SCHEMA`."""
    columns = [c for c in ("name", "path", "content", "text") if c in frame.columns]
    function = functools.partial(extract_arrow, catalogue=dict(catalogue), seeds_name=seeds_name)
    return frame.select(*columns).mapInArrow(function, RECORDS_SCHEMA)


def extract_arrow(
    batches: Iterable[pa.RecordBatch], *, catalogue: Mapping[str, Metadata], seeds_name: str
) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` function: article batches in, one batch of their records (:data:`RECORDS_ARROW`) out for each."""
    for batch in batches:
        rows = list(extract_batch(batch.to_pylist(), catalogue=catalogue, seeds_name=seeds_name))
        yield pa.RecordBatch.from_pylist(rows, schema=RECORDS_ARROW)


def write_tables(records: DataFrame, out: Path, dataset_version: str = "dev") -> dict[str, int]:
    """Write ``records`` as ``out/<table>/part-NNNNN.parquet``; the number of rows per table.

    One shuffle: the records are range-partitioned by (table, id) and sorted, so each
    partition writes one part per table it holds, and part numbers follow id order.
    """
    ordered = records.repartitionByRange("table", "id").sortWithinPartitions("table", "id")
    function = functools.partial(write_parts, folder=str(out), dataset_version=dataset_version)
    written = ordered.mapInArrow(function, WRITTEN_SCHEMA).collect()
    counts = dict.fromkeys(EXTRACTED_TABLES, 0)
    for row in written:
        counts[row["table"]] += row["rows"]
    for table in EXTRACTED_TABLES:
        if not any(row["table"] == table for row in written):  # no rows: an empty file still gives the schema
            (out / table).mkdir(parents=True, exist_ok=True)
            with parquet_writer(out / table / "part-00000.parquet", parquet_schema(table, dataset_version)):
                pass
    return counts


def write_parts(batches: Iterable[pa.RecordBatch], *, folder: str, dataset_version: str) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` function: one partition's (table, id, record) rows, sorted → one Parquet part per table.

    The records of one id are merged; a part is written under a temporary name and renamed,
    so a retried task replaces it whole. Yields a row per part: table, path, row count.
    """
    context = TaskContext.get()
    number = context.partitionId() if context is not None else 0
    triples = (row for batch in batches for row in zip(*_columns(batch), strict=True))
    for table, rows in itertools.groupby(triples, key=lambda row: row[0]):
        path = os.path.join(folder, table, f"part-{number:05d}.parquet")
        count = write_part(_merged((record_id, line) for _, record_id, line in rows), table, path, dataset_version)
        yield pa.RecordBatch.from_pylist([{"table": table, "path": path, "rows": count}], schema=WRITTEN_ARROW)


def write_part(records: Iterator[AnyRecord], table: str, path: str, dataset_version: str) -> int:
    """Write the records (sorted by id) of one part, a row group at a time; the number written."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    staging = f"{path}.tmp-{os.getpid()}"
    count = 0
    with parquet_writer(Path(staging), parquet_schema(table, dataset_version)) as writer:
        for chunk in _chunks(records, ROW_GROUP):
            writer.write_table(parquet_table(chunk, table, dataset_version), row_group_size=ROW_GROUP)
            count += len(chunk)
    os.replace(staging, path)
    return count


def _columns(batch: pa.RecordBatch) -> tuple[list[str], list[str], list[str]]:
    return batch.column("table").to_pylist(), batch.column("id").to_pylist(), batch.column("record").to_pylist()


def _merged(pairs: Iterable[tuple[str, str]]) -> Iterator[AnyRecord]:
    # rows arrive sorted by id: the records of one id are consecutive
    for _, group in itertools.groupby(pairs, key=lambda pair: pair[0]):
        yield from merge_rows(line for _, line in group)


def _chunks(items: Iterator[AnyRecord], size: int) -> Iterator[list[AnyRecord]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _seeds_name(articles: object) -> str:
    if isinstance(articles, str | Path):
        folder = PurePosixPath(str(articles).rstrip("/"))
        if folder.name == "articles" and folder.parent.name:
            return folder.parent.name
    return "seeds"
