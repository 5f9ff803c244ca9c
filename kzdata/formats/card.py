"""The dataset card (``README.md``) and ``CITATION.cff`` of a release.

Both are pure functions of the records and the release metadata, so they are as
reproducible as the tables: nothing depends on the clock, the locale or the input order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import yaml

from kzdata.errors import InputError
from kzdata.formats import chart, csv, datapackage
from kzdata.records.kinds import BY_TABLE, TABLES
from kzdata.records.models import Actor, AnyRecord, Claim, ClaimRelation, Source, Value
from kzdata.records.vocab import ActorType

REPOSITORY = "https://github.com/kzdata/kzdata"
"""Where the code that builds the dataset lives (``repository-code`` of ``CITATION.cff``)."""
EVALUATION = f"{REPOSITORY}/blob/main/docs/evaluation.md"
TASK_CATEGORIES = ["other"]
"""Hugging Face task categories. None of its ML tasks fits an attributed-claims table honestly:
the data is for analysis (and, through quotes and spans, for evaluating information extraction)."""
TAGS = ["kazakhstan", "qandy-qantar", "claims", "provenance", "event-data", "information-extraction", "news"]
SIZE_CATEGORIES = [
    (1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
]  # fmt: skip
"""Hugging Face size categories by number of rows (upper bound exclusive, as on the Hub)."""
KEY_FIELDS = {
    "sources": ["id", "outlet", "published", "language", "machine_translated", "url"],
    "actors": ["id", "name", "actor_type", "aliases", "roles", "wikidata_id"],
    "events": ["id", "event_type", "start", "end", "location", "participants"],
    "claims": ["id", "source_id", "claimant_id", "predicate", "scope", "value", "as_of", "stated_on", "quote",
               "span", "status"],
    "claim_relations": ["claim_id", "other_claim_id", "relation", "predicate", "scope", "note"],
    "quantities": ["predicate", "scope", "unit", "as_of", "low", "best", "high", "best_claim_ids", "contested",
                   "latest_official", "rule"],
}  # fmt: skip
"""The fields the card names for each table; CODEBOOK.md has all of them."""

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
        return (
            "No extraction quality figures were supplied for this release: run `kzdata evaluate` in a checkout, "
            f"and see [docs/evaluation.md]({EVALUATION}) for how the rules score against the gold set."
        )
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


def front_matter(tables: Mapping[str, Sequence[AnyRecord]], rows: Mapping[str, int], *, dataset_version: str) -> str:
    """Hugging Face dataset card metadata: YAML between ``---`` lines, one ``configs`` entry per table.

    ``datasets.load_dataset(folder, name=table)`` reads the table's Parquet file (``claims`` by default).
    """
    languages = sorted({s.language for s in tables.get("sources", []) if isinstance(s, Source)}) or ["en"]
    claims = rows.get("claims", 0)
    size = next((label for bound, label in SIZE_CATEGORIES if claims < bound), "n>1T")
    meta = {
        "license": str(datapackage.LICENSE["name"]).lower(),
        "language": languages,
        "pretty_name": datapackage.TITLE,
        "task_categories": TASK_CATEGORIES,
        "size_categories": [size],
        "tags": TAGS,
        "configs": [
            {"config_name": name, "data_files": [{"split": "train", "path": f"{name}.parquet"}]}
            | ({"default": True} if name == "claims" else {})
            for name in TABLES
        ],
    }
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000)
    return f"---\n{text}---"


def data_fields() -> str:
    """Each table: its key fields and a link to its section of CODEBOOK.md."""
    lines = [
        f"- [`{name}`](CODEBOOK.md#{name}) ({BY_TABLE[name].record_type} records): "
        + ", ".join(f"`{field}`" for field in KEY_FIELDS[name])
        for name in TABLES
    ]
    return (
        "Every field of every table, with its type, meaning and an example, and every vocabulary value with its "
        "definition, is in [CODEBOOK.md](CODEBOOK.md). The key fields:\n\n" + "\n".join(lines)
    )


def limitations(tables: Mapping[str, Sequence[AnyRecord]], *, quality: Path | None) -> str:
    """Where the data is biased or weak, with this release's figures, and how to treat personal data."""
    sources = [s for s in tables.get("sources", []) if isinstance(s, Source)]
    outlets: dict[str, int] = {}
    for source in sources:
        outlets[source.outlet] = outlets.get(source.outlet, 0) + 1
    listed = ", ".join(f"{o} ({n})" for o, n in sorted(outlets.items(), key=lambda item: (-item[1], item[0])))
    translated = sum(s.machine_translated for s in sources)
    people = [a for a in tables.get("actors", []) if isinstance(a, Actor) and a.actor_type == ActorType.PERSON]
    unknown = sum(a.wikidata_id is None for a in people)
    figures = (
        "the figures are under *Extraction quality* below"
        if quality is not None
        else f"see [docs/evaluation.md]({EVALUATION}) and `kzdata evaluate`"
    )
    return f"""\
- **Which outlets.** The claims come from {len(sources)} articles of {len(outlets)} outlets \
(articles per outlet): {listed or "none"}. What these outlets chose to report, and whom they quoted, \
shapes the data: a figure no outlet here printed is missing, and an outlet's framing travels with its quotes.
- **Machine translation.** {translated} of {len(sources)} source texts are machine translations \
(`machine_translated` in `sources`); their quotes are the translation, not the original words, and \
figures or names may have been altered in translation. Check the original before quoting one.
- **Rule extraction.** Claims with `method` `rule` were extracted by rules (`rule_id` names the rule), not \
read by a person: some are wrong or missing, claimants may be misattributed; for precision and recall \
{figures}. Curated claims have `method` `hand`.
- **Figures are claims, not facts.** Each row is what someone said; contradicting figures are all kept and \
linked in `claim_relations`. Do not sum or average them without reading who said what, when.
- **Personal data.** Quotes may name private individuals (detainees, victims, witnesses). The release has \
{len(people)} actors of type person, {unknown} of them without a Wikidata item (possibly private \
individuals). Use their names only to verify a claim against its source; do not republish them out of \
context, link them to other data or profile anyone. To have a name removed or corrected, open an issue at \
{REPOSITORY}/issues: the next release corrects or withdraws it."""


def contested_chart(tables: Mapping[str, Sequence[AnyRecord]]) -> str:
    """The chart reference of the card, naming the quantities it leaves out."""
    rows = chart.points(tables)
    shown = chart.panels(rows)
    left_out = sorted({r.quantity for r in rows} - set(shown), key=lambda q: (q[0], q[1] or "", q[2]))
    text = (
        f"![Every figure of each contested quantity, by claimant and date]({chart.FILE_NAME})\n\n"
        f"`{chart.FILE_NAME}`: every figure of each contested quantity over time, one marker per claim, coloured "
        "by claimant; hollow markers are approximate figures, `x` marks a retracted one."
    )
    if left_out:
        text += " Not drawn (fewer claims): " + "; ".join(chart.title(q) for q in left_out) + "."
    return text


def render_card(
    tables: Mapping[str, Sequence[AnyRecord]],
    *,
    dataset_version: str,
    schema_version: str,
    quality: Path | None = None,
    counts: Mapping[str, int] | None = None,
) -> str:
    """The dataset card of a release, with Hugging Face metadata at the top.

    ``counts`` (table → rows) is given when ``tables`` holds only what the card shows (an export
    streams its claims and passes only those in a relation or of a contested quantity); by default the rows
    of ``tables`` are counted.
    """
    rows = {name: len(tables.get(name, [])) for name in TABLES} if counts is None else counts
    counted = _table(["table", "rows"], [[name, rows.get(name, 0)] for name in TABLES])
    parts = [
        front_matter(tables, rows, dataset_version=dataset_version),
        f"# {datapackage.TITLE}\n\nDataset version **{dataset_version}** · schema version **{schema_version}** · "
        f"licence **{datapackage.LICENSE['name']}**",
        datapackage.DESCRIPTION,
        "## Tables\n\nEach table comes as `.jsonl` (canonical records, one per line), `.parquet` and `.csv`, "
        "rows sorted by `id`.\n\n" + counted,
        "## Data Fields\n\n" + data_fields(),
        "## Loading\n\n" + LOADING.replace("{version}", dataset_version).replace("{csv_read}", CSV_READ),
        "## CSV notes\n\n" + CSV_NOTES,
        "## Contested figures\n\n" + contested_chart(tables) + "\n\n" + contested_figures(tables),
        "## Limitations and responsible use\n\n" + limitations(tables, quality=quality),
        "## Extraction quality\n\n" + quality_section(quality),
        "## Files\n\n`datapackage.json` (Frictionless Data Package), `SHA256SUMS` (`sha256sum -c SHA256SUMS`), "
        "`changes.jsonl` (records added, changed and withdrawn since the previous release, if any), "
        f"`{chart.FILE_NAME}`, `CITATION.cff`. `kzdata verify` checks every hash and re-validates the records.",
        f"## Licence\n\nThe data is licensed under [{datapackage.LICENSE['title']}]({datapackage.LICENSE['path']}) "
        "(CC-BY-4.0): share and adapt it, with attribution. Quotes are short excerpts of the cited articles, "
        "whose copyright stays with their publishers.",
        f"## Citation\n\nkzdata contributors. *{datapackage.TITLE}*, version {dataset_version}. See `CITATION.cff`.",
    ]
    return "\n\n".join(parts) + "\n"


def render_citation(*, dataset_version: str, released: date | None = None) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) of the dataset.

    ``released`` is an input, never the clock (a release passes the date of its CHANGELOG entry), so a
    rebuild gives the same bytes.
    """
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {json.dumps(datapackage.TITLE)}",
        f'version: "{dataset_version}"',
        f'repository-code: "{REPOSITORY}"',
        "authors:",
        '  - name: "kzdata contributors"',
        f"license: {datapackage.LICENSE['name']}",
        f"abstract: {json.dumps(datapackage.DESCRIPTION)}",
        "keywords:",
        *[f"  - {json.dumps(k)}" for k in datapackage.KEYWORDS],
    ]
    if released is not None:  # optional in CFF: a file without it is still valid
        lines.append(f'date-released: "{released.isoformat()}"')
    return "\n".join(lines) + "\n"
