"""Load the tables of a release into Arrow, pandas or polars.

Where the tables come from (:func:`kzdata.release.store.resolve`) — exactly one of:

- ``version`` ("0.1.0", "v0.1.0" or "latest"): the release of that version found in
  ``exports/``, bundled with the package, in the cache, or downloaded (verified) from the host;
- ``source``: a local release folder (``exports/v0.1.0``) or one Parquet file.

With neither, ``latest`` is used: the newest release of all those places. Tables are the Parquet files of the release
(``sources``, ``actors``, ``events``, ``claims``, ``claim_relations``), read with their
explicit Arrow schema: dates are ``date32``, vocabularies are dictionary-encoded, ``value``
and ``span`` are structs. pandas and polars are optional extras
(``pip install 'kzdata[pandas]'`` / ``'kzdata[polars]'``).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from kzdata.errors import InputError, UsageError
from kzdata.formats import parquet
from kzdata.records import kinds
from kzdata.release import layout, store
from kzdata.remote import fetch

Output = Literal["arrow", "pandas", "polars"]
OUTPUTS: tuple[Output, ...] = ("arrow", "pandas", "polars")
PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class ReleaseInfo:
    """What ``kzdata info`` prints: the card summary of a release folder."""

    path: Path
    version: str | None
    schema_version: str | None
    counts: dict[str, int]
    """Table name -> number of rows (from the Parquet footers)."""
    verified: int
    """Number of files whose SHA-256 matched ``SHA256SUMS``."""

    def to_json(self) -> dict[str, Any]:
        """The info as a JSON-ready dict (``kzdata info --format json``)."""
        return {
            "counts": self.counts,
            "path": str(self.path),
            "schema_version": self.schema_version,
            "verified": self.verified,
            "version": self.version,
        }


def load(table: str, version: str | None = None, *, source: PathLike | None = None, as_: Output = "arrow") -> Any:
    """One table of a release as a ``pyarrow.Table`` (default), pandas or polars DataFrame."""
    if as_ not in OUTPUTS:
        raise UsageError(f"unknown output {as_!r}", f"use one of: {', '.join(OUTPUTS)}")
    path = table_path(table, version, source=source)
    data = pq.read_table(path)
    kind = _kind_of(path, data)
    if kind is not None:
        data = parquet.with_vocabularies(data, kind.model)
    if as_ == "pandas":
        return to_pandas(data)
    if as_ == "polars":
        return to_polars(data)
    return data


def to_pandas(data: pa.Table) -> Any:
    """A release table as pandas: structs flattened (``value_amount``), dates ``datetime64``, ints ``Int64``.

    Dictionary columns become categoricals whose categories are their dictionary: the full
    vocabulary, in vocabulary order, after :func:`kzdata.formats.parquet.with_vocabularies`.
    """
    pandas = _require("pandas")
    flat = _flatten(data)
    return flat.to_pandas(date_as_object=False, types_mapper={pa.int64(): pandas.Int64Dtype()}.get, split_blocks=True)


def to_polars(data: pa.Table) -> Any:
    """A release table as polars: dictionary columns (also inside structs) as ``Enum`` of their full vocabulary."""
    polars = _require("polars")
    frame = polars.from_arrow(data)
    casts = []
    for field in data.schema:
        if pa.types.is_dictionary(field.type):
            casts.append(polars.col(field.name).cast(polars.Enum(_categories(data.column(field.name)))))
        elif pa.types.is_struct(field.type) and any(pa.types.is_dictionary(f.type) for f in field.type):
            struct = data.column(field.name).combine_chunks()
            inner = [
                polars.field(f.name).cast(polars.Enum(_categories(struct.field(i))))
                for i, f in enumerate(field.type)
                if pa.types.is_dictionary(f.type)
            ]
            casts.append(polars.col(field.name).struct.with_fields(inner))
    return frame.with_columns(casts) if casts else frame


def _categories(column: pa.Array | pa.ChunkedArray) -> list[str]:
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return [str(v) for v in array.dictionary.to_pylist()]


def _flatten(data: pa.Table) -> pa.Table:
    """Struct columns become one column per field, named as in the CSV (``value_amount``, ``span_start``)."""
    while any(pa.types.is_struct(f.type) for f in data.schema):
        data = data.flatten()
    return data.rename_columns([name.replace(".", "_") for name in data.column_names])


def _kind_of(path: Path, data: pa.Table) -> kinds.RecordKind | None:
    """The record kind of a release table: from its file name, else its Parquet metadata."""
    meta = data.schema.metadata or {}
    record_type = meta.get(b"record_type", b"").decode("utf-8")
    return kinds.kind_of_name(path.stem) or kinds.BY_TYPE.get(record_type)


def open_dataset(version: str | None = None, *, source: PathLike | None = None) -> dict[str, ds.Dataset]:
    """A lazy ``pyarrow.dataset.Dataset`` per table of a release, by table name.

    Nothing is read until a dataset is scanned, so filters and column selections are pushed
    down to the Parquet files: ``open_dataset("0.1.0")["claims"].to_table(filter=...)``.
    """
    folder = release_dir(version, source=source)
    return {name: ds.dataset(path, format="parquet") for name, path in tables(folder).items()}


def release_dir(version: str | None = None, *, source: PathLike | None = None) -> Path:
    """The local folder of a release: ``source`` (a folder) or ``version``, by :func:`kzdata.release.store.resolve`."""
    if source is not None and version is not None:
        raise UsageError("give either a version or a source, not both", "a source is a local release folder")
    if source is not None:
        folder = Path(source).expanduser()
        if not folder.is_dir():
            raise InputError(f"{folder} is not a release folder", "give a folder like exports/v0.1.0, or a version")
        return folder
    return store.resolve(version)


def tables(folder: Path) -> dict[str, Path]:
    """Table name -> Parquet file, for every table of a release folder, sorted by name."""
    return {path.stem: path for path in sorted(folder.glob("*.parquet"))}


def table_path(table: str, version: str | None = None, *, source: PathLike | None = None) -> Path:
    """The Parquet file of ``table`` in a release; ``source`` may also be the file itself."""
    if source is not None and Path(source).suffix == ".parquet":
        if version is not None:
            raise UsageError("give either a version or a source, not both", "a source is a local release folder")
        path = Path(source).expanduser()
        if not path.is_file():
            raise InputError(f"{path} does not exist", "check the path of the Parquet file")
        return path
    available = tables(release_dir(version, source=source))
    if table not in available:
        known = ", ".join(available) or "none"
        raise UsageError(f"no table {table!r} in this release", f"tables: {known}")
    return available[table]


def release_info(version: str | None = None, *, source: PathLike | None = None) -> ReleaseInfo:
    """Verify a release folder against ``SHA256SUMS`` and summarise it (version, counts)."""
    folder = release_dir(version, source=source)
    if not (folder / layout.SUMS_NAME).is_file():
        raise InputError(f"{folder} has no {layout.SUMS_NAME}", "is it a release folder (exports/vX.Y.Z)?")
    verified = fetch.verify_checksums(folder)
    package = layout.read_package(folder)
    counts = {name: pq.ParquetFile(path).metadata.num_rows for name, path in tables(folder).items()}
    return ReleaseInfo(
        path=folder,
        version=layout.release_version(folder),
        schema_version=package.get("schema_version"),
        counts=counts,
        verified=len(verified),
    )


def _require(module: str) -> Any:
    """Import an optional extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"as_={module!r} needs {module}, which is not installed", f"pip install 'kzdata[{module}]'"
        ) from None
