"""Serve a release's ``kzdata.sqlite`` with Datasette: read-only, on 127.0.0.1 unless told otherwise.

The database is opened immutable (Datasette's ``-i``: no writes, no locks, counts cached). A
release cut before kzdata wrote ``kzdata.sqlite`` gets one built from its JSONL tables into a
temporary folder (:func:`database_for`), removed when the server stops; the release folder is
never written to. The metadata comes from :mod:`kzdata.explore.metadata`, the claim page
from :mod:`kzdata.explore.plugin`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.plugins import pm

from kzdata.errors import UsageError
from kzdata.explore import plugin
from kzdata.explore.metadata import build_metadata
from kzdata.formats import sqlite
from kzdata.records.kinds import TABLES
from kzdata.records.schema import SCHEMA_VERSION
from kzdata.release.layout import read_package, release_version

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


@contextlib.contextmanager
def database_for(folder: Path) -> Iterator[Path]:
    """The release's ``kzdata.sqlite``, or one built from its ``.jsonl`` tables in a temporary folder."""
    path = folder / sqlite.FILE_NAME
    if path.is_file():
        yield path
        return
    tables = {t: folder / f"{t}.jsonl" for t in TABLES if (folder / f"{t}.jsonl").is_file()}
    if "claims" not in tables:
        raise UsageError(f"{folder} has neither {sqlite.FILE_NAME} nor claims.jsonl", "pass a release folder")
    schema_version = str(read_package(folder).get("schema_version") or SCHEMA_VERSION)
    with tempfile.TemporaryDirectory(prefix="kzdata-explore-") as scratch:
        yield sqlite.write_sqlite(
            Path(scratch) / sqlite.FILE_NAME, tables,
            dataset_version=release_version(folder) or "unknown", schema_version=schema_version,
        )  # fmt: skip


def metadata_for(folder: Path, texts: Sequence[Path] = ()) -> dict[str, Any]:
    """The Datasette metadata of a release folder served here (texts and release as absolute paths)."""
    return build_metadata(version=release_version(folder), texts=[p.resolve() for p in texts], release=folder.resolve())


def write_metadata(folder: Path, out: Path, texts: Sequence[Path] = ()) -> Path:
    """Write the metadata as ``metadata.json`` for ``datasette serve|publish|package -m``."""
    document = build_metadata(version=release_version(folder), texts=list(texts))  # no local release path
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def make_datasette(database: Path, metadata: dict[str, Any]) -> Datasette:
    """A Datasette over one immutable database, with the kzdata plugin registered."""
    if not pm.is_registered(plugin):
        pm.register(plugin, name="kzdata-explore")
    ds = Datasette(immutables=[str(database)], metadata=metadata, settings={"default_page_size": 100})
    asyncio.run(ds.invoke_startup())
    return ds


def serve(folder: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, texts: Sequence[Path] = ()) -> None:
    """Serve the release in ``folder`` until interrupted."""
    with database_for(folder) as database:
        ds = make_datasette(database, metadata_for(folder, texts))
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
