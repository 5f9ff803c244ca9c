"""Scenario 3 driver: parse a records JSONL and export it with ``kzdata.export.write_tables``.

``python benchmarks/export_records.py RECORDS.jsonl OUT_DIR`` writes the release layout
(JSONL + Parquet + CSV per table, datapackage.json, SHA256SUMS…) into OUT_DIR, as the build
does after validation. It is timed as a whole process by benchmarks/run.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kzdata.export import write_tables
from kzdata.records import iter_records


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: export_records.py RECORDS.jsonl OUT_DIR", file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    with source.open("rb") as lines:
        write_tables(iter_records(lines, file=str(source)), out, dataset_version="0.0.0-bench")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
