"""The dataset card (``README.md``) and ``CITATION.cff`` of a release.

Both are pure functions of the records and the release metadata, so they are as
reproducible as the tables: nothing depends on the clock, the locale or the input order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from kzdata.errors import InputError
from kzdata.formats import csv, datapackage
from kzdata.records.kinds import TABLES
from kzdata.records.models import Actor, AnyRecord, Claim, ClaimRelation, Source, Value

_QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "over": "over ",
    "at_least": "at least ",
    "almost": "almost ",
    "up_to": "up to ",
    "under": "under ",
}
CSV_READ = 'pd.read_csv("claims.csv", keep_default_na=False, na_values=[""])'
"""How to read a CSV table in pandas; the card prints it and a test runs it."""
CSV_NOTES = f"""\
- One row per record; nested fields are flattened to `parent_child` columns (`value_amount`,
  `span_start`, `location_name`…). Lists of strings are joined with `{csv.SEPARATOR}`; lists of
  objects (actor `roles`, event `participants`) are one cell holding a JSON array.
- RFC 4180, UTF-8 without BOM, comma separated, `"` quoting, CRLF line ends. An empty cell is
  null (so an empty optional text reads back as null); booleans are `true`/`false`.
- Spreadsheet safety: a text cell starting with `=`, `+`, `-`, `@`, a tab, a carriage return or
  `'` gets a leading `'`; numeric cells are never escaped (`-43.2` stays a number).
  `kzdata.formats.csv.unflatten` removes the `'` and reads the CSV back to the records.
- In pandas, read a CSV with `{CSV_READ}`: only empty cells are missing
  (a text such as `NA` stays text) and numeric columns stay numeric."""


def _cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _number(amount: float | None) -> str:
    if amount is None:
        return "?"
    if isinstance(amount, float) and not amount.is_integer():
        return f"{amount:,}"
    return f"{int(amount):,}"


def format_value(value: Value | None) -> str:
    """'about 5,800 people', '2,000–2,500 troops', 'hundreds (vague) people'."""
    if value is None:
        return ""
    if value.qualifier in ("range", "vague") or value.amount is None:
        bounds = f"{_number(value.low)}–{_number(value.high)}"
        return f"{value.qualifier} {bounds} {value.unit}"
    return f"{_QUALIFIER_WORDS.get(value.qualifier, value.qualifier + ' ')}{_number(value.amount)} {value.unit}"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def contested_figures(tables: Mapping[str, Sequence[AnyRecord]]) -> str:
    """Markdown: every claim that takes part in a claim relation, grouped by predicate and scope."""
    claims = {c.id: c for c in tables.get("claims", []) if isinstance(c, Claim)}
    actors = {a.id: a for a in tables.get("actors", []) if isinstance(a, Actor)}
    sources = {s.id: s for s in tables.get("sources", []) if isinstance(s, Source)}
    relations = [r for r in tables.get("claim_relations", []) if isinstance(r, ClaimRelation)]
    involved = sorted(
        {c for r in relations for c in (r.claim_id, r.other_claim_id) if c in claims},
        key=lambda i: _claim_key(claims[i]),
    )
    if not involved:
        return "No claims are related to each other in this release."

    def claimant(claim: Claim) -> str:
        if claim.claimant_id is None:
            outlet = sources[claim.source_id].outlet if claim.source_id in sources else claim.source_id
            return f"{outlet} (the outlet)"
        return actors[claim.claimant_id].name if claim.claimant_id in actors else claim.claimant_id

    def outlet(claim: Claim) -> str:
        return sources[claim.source_id].outlet if claim.source_id in sources else claim.source_id

    header = ["predicate", "scope", "value", "claimant", "stated on", "as of", "source outlet", "status", "claim"]
    rows = [
        [c.predicate, c.scope or "", format_value(c.value) or c.label or "", claimant(c), c.stated_on or "",
         c.as_of or "", outlet(c), c.status, f"`{c.id}`"]
        for c in (claims[i] for i in involved)
    ]  # fmt: skip
    ordered = sorted(relations, key=lambda r: (_claim_key(claims[r.claim_id]) if r.claim_id in claims else (), r.id))
    links = [[f"`{r.claim_id}`", r.relation, f"`{r.other_claim_id}`", r.note or ""] for r in ordered]
    return (
        _table(header, rows) + "\n\nHow they relate:\n\n" + _table(["claim", "relation", "other claim", "why"], links)
    )


def _claim_key(claim: Claim) -> tuple[str, str, str, str, float, str]:
    amount = claim.value.amount if claim.value is not None and claim.value.amount is not None else -1.0
    return (
        str(claim.predicate),
        claim.scope or "",
        claim.as_of.isoformat() if claim.as_of else "",
        claim.stated_on.isoformat() if claim.stated_on else "",
        float(amount),
        claim.id,
    )


def quality_section(quality: Path | None) -> str:
    """Extraction quality figures from a file (Markdown verbatim, or a flat JSON object as a table)."""
    if quality is None:
        return "No extraction quality figures were supplied for this release (see `kzdata evaluate`)."
    try:
        text = quality.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the quality figures {quality}: {error}", "pass a readable UTF-8 file") from None
    if quality.suffix != ".json":
        return text.strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{quality} is not valid JSON: {error}", "pass the JSON written by kzdata evaluate") from None
    if not isinstance(data, dict):
        raise InputError(f"{quality} is not a JSON object", "pass the JSON written by kzdata evaluate")
    rows = [[key, json.dumps(data[key], sort_keys=True, ensure_ascii=False)] for key in sorted(data)]
    return _table(["measure", "value"], rows)


LOADING = """\
```python
import pandas as pd
claims = pd.read_parquet("claims.parquet")  # or {csv_read}

import polars as pl
claims = pl.read_parquet("claims.parquet")

import duckdb
duckdb.sql("SELECT predicate, scope, value.amount, as_of FROM 'claims.parquet' ORDER BY as_of")

import kzdata
claims = kzdata.load("claims", version="{version}")  # downloads and verifies the release
```

Parquet columns carry explicit types: dates are `date32`, vocabulary columns are
dictionary-encoded strings, lists are `list<string>`, `value`, `span` and `location` are
structs. Amounts are `float64` (exact for whole numbers below 2^53). The key-value metadata
of each file holds `schema_version`, `dataset_version` and `field_descriptions`."""


def render_card(
    tables: Mapping[str, Sequence[AnyRecord]],
    *,
    dataset_version: str,
    schema_version: str,
    quality: Path | None = None,
    counts: Mapping[str, int] | None = None,
) -> str:
    """The dataset card of a release.

    ``counts`` (table → rows) is given when ``tables`` holds only what the card shows (an export
    streams its claims and passes only those in a relation); by default the rows of ``tables`` are counted.
    """
    rows = {name: len(tables.get(name, [])) for name in TABLES} if counts is None else counts
    counted = _table(["table", "rows"], [[name, rows.get(name, 0)] for name in TABLES])
    parts = [
        f"# {datapackage.TITLE}\n\nDataset version **{dataset_version}** · schema version **{schema_version}** · "
        f"licence **{datapackage.LICENSE['name']}**",
        datapackage.DESCRIPTION,
        "## Tables\n\nEach table comes as `.jsonl` (canonical records, one per line), `.parquet` and `.csv`, "
        "rows sorted by `id`.\n\n" + counted,
        "## Loading\n\n" + LOADING.replace("{version}", dataset_version).replace("{csv_read}", CSV_READ),
        "## CSV notes\n\n" + CSV_NOTES,
        "## Contested figures\n\n" + contested_figures(tables),
        "## Extraction quality\n\n" + quality_section(quality),
        "## Files\n\n`datapackage.json` (Frictionless Data Package), `SHA256SUMS` (`sha256sum -c SHA256SUMS`), "
        "`changes.jsonl` (records added, changed and withdrawn since the previous release, if any), "
        "`CITATION.cff`. `kzdata verify` checks every hash and re-validates the records.",
        f"## Licence\n\nThe data is licensed under [{datapackage.LICENSE['title']}]({datapackage.LICENSE['path']}) "
        "(CC-BY-4.0): share and adapt it, with attribution. Quotes are short excerpts of the cited articles, "
        "whose copyright stays with their publishers.",
        f"## Citation\n\nkzdata contributors. *{datapackage.TITLE}*, version {dataset_version}. See `CITATION.cff`.",
    ]
    return "\n\n".join(parts) + "\n"


def render_citation(*, dataset_version: str, released: date | None = None) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) of the dataset."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {json.dumps(datapackage.TITLE)}",
        f'version: "{dataset_version}"',
        "authors:",
        '  - name: "kzdata contributors"',
        f"license: {datapackage.LICENSE['name']}",
        f"abstract: {json.dumps(datapackage.DESCRIPTION)}",
        "keywords:",
        *[f"  - {json.dumps(k)}" for k in datapackage.KEYWORDS],
    ]
    if released is not None:
        lines.append(f"date-released: {released.isoformat()}")
    return "\n".join(lines) + "\n"
