"""Small real releases for the fetch/load tests, built with kzdata.release.write and kzdata.release.cut.

``write_release(root, version)`` writes ``root/vX.Y.Z/`` with :func:`kzdata.release.write.write_tables`
from the records of ``tests/data/load/records.jsonl`` plus the claim relations derived from
them, and refreshes ``root/index.json`` with :func:`kzdata.release.cut.write_index` — the same
layout a release host publishes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kzdata.build.relations import derive_relations
from kzdata.records.models import AnyRecord, Claim
from kzdata.release.index import write_index
from kzdata.release.write import read_records, write_tables

RECORDS = Path(__file__).parent / "data" / "load" / "records.jsonl"


def sample_records() -> list[AnyRecord]:
    """The fixture records and the relations derived between their claims."""
    records = list(read_records([RECORDS]))
    return records + list(derive_relations([r for r in records if isinstance(r, Claim)]))


def write_release(root: Path, version: str = "0.1.0", records: Sequence[AnyRecord] | None = None) -> Path:
    """Write one release folder under ``root`` and refresh ``root/index.json``; return the folder."""
    folder = root / f"v{version}"
    write_tables(sample_records() if records is None else records, folder, dataset_version=version, replace=False)
    write_index(root)
    return folder
