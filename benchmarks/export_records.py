"""Scenario 3 driver: export a records JSONL file with ``kzdata.release.write.export_jsonl``.

``python benchmarks/export_records.py RECORDS.jsonl OUT_DIR`` parses and validates every line
and writes the release layout (JSONL + Parquet + CSV per table, datapackage.json,
SHA256SUMS…) into OUT_DIR, streaming (bounded memory), as a user exporting a large file
would. It is timed as a whole process by benchmarks/run.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kzdata.release.write import export_jsonl


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: export_records.py RECORDS.jsonl OUT_DIR", file=sys.stderr)
        return 2
    export_jsonl([Path(argv[0])], Path(argv[1]), dataset_version="0.0.0-bench")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
