"""Peer: jsonschema-rs checking the published claim schema alone, line by line.

``python benchmarks/jsonschema_rs_check.py SCHEMA RECORDS.jsonl`` parses each claim line with
orjson and validates it with ``jsonschema_rs`` (formats checked, as check-jsonschema does);
other record types are skipped. Exit 1 if any claim is invalid. This is the "schema only"
bar: no references, provenance, time, quantity or cross-record checks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema_rs
import orjson


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: jsonschema_rs_check.py SCHEMA RECORDS.jsonl", file=sys.stderr)
        return 2
    validator = jsonschema_rs.validator_for(orjson.loads(Path(argv[0]).read_bytes()), validate_formats=True)
    invalid = 0
    with open(argv[1], "rb") as lines:
        for line in lines:
            if b'"record_type":"claim"' in line:
                invalid += not validator.is_valid(orjson.loads(line))
    print(f"{invalid} invalid claims")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
