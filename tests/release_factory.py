"""Small releases for the fetch/load tests, in the layout of a published release.

``write_release(root, version)`` writes ``root/vX.Y.Z/`` (tables as JSONL and Parquet,
``datapackage.json``, ``README.md``, ``SHA256SUMS``) from the records of
``tests/data/load/records.jsonl`` plus the claim relations derived from them, and rewrites
``root/index.json``. It stands in for ``kzdata.export`` + ``kzdata.release`` until those land.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kzdata.models import Claim
from kzdata.records import AnyRecord, dumps, iter_records
from kzdata.relations import derive_relations

RECORDS = Path(__file__).parent / "data" / "load" / "records.jsonl"
SCHEMA_VERSION = "0.1.0"
TABLES = {
    "source": "sources",
    "actor": "actors",
    "event": "events",
    "claim": "claims",
    "claim_relation": "claim_relations",
}


def sample_records() -> list[AnyRecord]:
    """The fixture records and the relations derived between their claims."""
    records = list(iter_records(RECORDS.read_text(encoding="utf-8").splitlines(), file=str(RECORDS)))
    return records + list(derive_relations([r for r in records if isinstance(r, Claim)]))


def write_release(root: Path, version: str = "0.1.0", records: Sequence[AnyRecord] | None = None) -> Path:
    """Write one release folder under ``root`` and refresh ``root/index.json``; return the folder."""
    folder = root / f"v{version}"
    folder.mkdir(parents=True)
    by_table: dict[str, list[AnyRecord]] = {name: [] for name in TABLES.values()}
    for record in sample_records() if records is None else records:
        by_table[TABLES[record.record_type]].append(record)
    for name, rows in by_table.items():
        rows.sort(key=lambda r: r.id)
        (folder / f"{name}.jsonl").write_text("".join(dumps(r) + "\n" for r in rows), encoding="utf-8")
        _write_parquet(folder / f"{name}.parquet", rows, version)
    (folder / "README.md").write_text(f"# kzdata v{version}\n\nTest release.\n", encoding="utf-8")
    _write_package(folder, version)
    _write_sums(folder)
    write_index(root)
    return folder


def _write_parquet(path: Path, rows: list[AnyRecord], version: str) -> None:
    dumped = [_plain(r.model_dump(mode="python")) for r in rows]
    table = pa.Table.from_pylist(dumped)
    for name in ("predicate", "status", "relation", "method"):
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, table[name].dictionary_encode())
    metadata = {"kzdata.schema_version": SCHEMA_VERSION, "kzdata.dataset_version": version}
    pq.write_table(table.replace_schema_metadata(metadata), path, compression="zstd")


def _plain(value: Any) -> Any:
    """Enums to their str values, recursively (pyarrow does not know StrEnum subclasses)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_package(folder: Path, version: str) -> None:
    resources = [
        {
            "name": path.name.replace(".", "-"),
            "path": path.name,
            "format": path.suffix[1:],
            "bytes": path.stat().st_size,
            "hash": "sha256:" + _sha256(path),
        }
        for path in sorted(folder.iterdir())
        if path.suffix in {".jsonl", ".parquet"}
    ]
    package = {"name": "kzdata", "version": version, "schema_version": SCHEMA_VERSION, "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _write_sums(folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir() if p.name != "SHA256SUMS")
    text = "".join(f"{_sha256(folder / name)}  {name}\n" for name in names)
    (folder / "SHA256SUMS").write_text(text, encoding="utf-8")


def write_index(root: Path) -> None:
    """Rewrite ``root/index.json`` from the release folders under ``root``."""
    versions = {}
    for folder in sorted(root.glob("v*/")):
        files = {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in sorted(folder.iterdir())}
        versions[folder.name[1:]] = {"files": files, "path": f"{folder.name}/", "schema_version": SCHEMA_VERSION}
    latest = max(versions, key=lambda v: tuple(int(x) for x in v.split(".")), default=None)
    index = {"latest": latest, "versions": versions}
    (root / "index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n", encoding="utf-8")
