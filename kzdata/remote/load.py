"""Load the tables of a release into Arrow, pandas or polars.

Where the tables come from — exactly one of:

- ``version`` ("0.1.0", "v0.1.0" or "latest"): a published release, downloaded and verified
  into the cache by :func:`kzdata.remote.fetch.download` the first time, read from the cache after;
- ``source``: a local release folder (``exports/v0.1.0``) or one Parquet file.

With neither, ``version="latest"`` is used. Tables are the Parquet files of the release
(``sources``, ``actors``, ``events``, ``claims``, ``claim_relations``), read with their
explicit Arrow schema: dates are ``date32``, vocabularies are dictionary-encoded, ``value``
and ``span`` are structs. pandas and polars are optional extras
(``pip install 'kzdata[pandas]'`` / ``'kzdata[polars]'``).
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from kzdata.errors import InputError, UsageError
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


def load(table: str, version: str | None = None, *, source: PathLike | None = None, as_: Output = "arrow") -> Any:
    """One table of a release as a ``pyarrow.Table`` (default), pandas or polars DataFrame."""
    if as_ not in OUTPUTS:
        raise UsageError(f"unknown output {as_!r}", f"use one of: {', '.join(OUTPUTS)}")
    data = pq.read_table(table_path(table, version, source=source))
    if as_ == "pandas":
        _require("pandas")
        return data.to_pandas()
    if as_ == "polars":
        polars = _require("polars")
        return polars.from_arrow(data)
    return data


def open_dataset(version: str | None = None, *, source: PathLike | None = None) -> dict[str, ds.Dataset]:
    """A lazy ``pyarrow.dataset.Dataset`` per table of a release, by table name.

    Nothing is read until a dataset is scanned, so filters and column selections are pushed
    down to the Parquet files: ``open_dataset("0.1.0")["claims"].to_table(filter=...)``.
    """
    folder = release_dir(version, source=source)
    return {name: ds.dataset(path, format="parquet") for name, path in tables(folder).items()}


def release_dir(version: str | None = None, *, source: PathLike | None = None) -> Path:
    """The local folder of a release: ``source`` as given, else the downloaded ``version``."""
    if source is not None and version is not None:
        raise UsageError("give either a version or a source, not both", "a source is a local release folder")
    if source is None:
        return fetch.download(version or "latest")
    folder = Path(source).expanduser()
    if not folder.is_dir():
        raise InputError(f"{folder} is not a release folder", "give a folder like exports/v0.1.0, or a version")
    return folder


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
    if not (folder / fetch.SUMS_NAME).is_file():
        raise InputError(f"{folder} has no {fetch.SUMS_NAME}", "is it a release folder (exports/vX.Y.Z)?")
    verified = fetch.verify_checksums(folder)
    package = _package(folder)
    counts = {name: pq.ParquetFile(path).metadata.num_rows for name, path in tables(folder).items()}
    return ReleaseInfo(
        path=folder,
        version=package.get("version") or (folder.name[1:] if folder.name.startswith("v") else None),
        schema_version=package.get("schema_version"),
        counts=counts,
        verified=len(verified),
    )


def _package(folder: Path) -> dict[str, Any]:
    path = folder / fetch.PACKAGE_NAME
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path} is not valid JSON: {error}", "the release is malformed") from None
    return document if isinstance(document, dict) else {}


def _require(module: str) -> Any:
    """Import an optional extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"as_={module!r} needs {module}, which is not installed", f"pip install 'kzdata[{module}]'"
        ) from None
