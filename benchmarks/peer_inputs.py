"""The peer tools' inputs for one generated data directory, derived from records.jsonl.

``python benchmarks/peer_inputs.py DIR`` writes, beside DIR/records.jsonl:

- ``claims.json``: the claims as ONE JSON array document (check-jsonschema validates whole
  JSON/YAML documents, not JSON Lines);
- ``claims-array.schema.json``: the published ``schema/claim.schema.json`` applied to every
  item of an array: ``{"type": "array", "items": <claim schema>, "$defs": <its $defs>}``.
  The claim schema is inlined (its ``$defs`` hoisted to the root, so its ``#/$defs/…``
  references resolve unchanged) rather than referenced with ``{"$ref": "file://…"}``: the
  ``$ref`` form measured about 20 % slower in check-jsonschema at 5,000 claims, and the
  benchmark should not handicap the peer;
- ``claims.tableschema.json``: kzdata's Table Schema of the claims CSV (as in a release's
  datapackage.json, less the foreign keys to the other tables), for ``frictionless validate``.

Run by benchmarks/run.py in its own process, so the runner stays small (a child's peak RSS
as the kernel reports it can never be below its parent's size at fork).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def claims_array(out: Path) -> None:
    with (out / "records.jsonl").open("rb") as lines, (out / "claims.json").open("wb") as array:
        array.write(b"[")
        first = True
        for line in lines:
            if b'"record_type":"claim"' in line:
                array.write((b"" if first else b",\n") + line.rstrip(b"\n"))
                first = False
        array.write(b"]\n")


def schemas(out: Path) -> None:
    from kzdata.formats import csv as flat
    from kzdata.formats import datapackage

    claim = json.loads((ROOT / "schema" / "claim.schema.json").read_text(encoding="utf-8"))
    item = {key: value for key, value in claim.items() if key not in ("$defs", "$schema", "$id")}
    wrapper = {"$schema": claim["$schema"], "$defs": claim["$defs"], "type": "array", "items": item}
    (out / "claims-array.schema.json").write_text(json.dumps(wrapper, indent=2) + "\n", encoding="utf-8")
    table = datapackage.table_schema("claims", flat.COLUMNS["claim"])
    table.pop("foreignKeys", None)  # the other tables are not part of a standalone CSV check
    (out / "claims.tableschema.json").write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: peer_inputs.py DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    claims_array(out)
    schemas(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
