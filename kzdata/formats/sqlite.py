"""``kzdata.sqlite``: every table of a release in one SQLite file, for Datasette, sqlite3 and DuckDB.

Layout (built with sqlite-utils):

- one table per record kind of :data:`kzdata.records.kinds.KINDS`, a new kind included
  automatically. Columns are the flat layout of :mod:`kzdata.formats.csv` (``value_amount``,
  ``span_start``, ``location_name`` …) with SQL types: text, integer, real, booleans as 0/1,
  dates as ``YYYY-MM-DD`` text, lists (``aliases``, ``relayed_by``, ``roles``, ``participants``)
  as JSON text (``json_each`` reads them), null as NULL; no spreadsheet escaping. ``id`` is the
  primary key; the foreign keys are those of the data package
  (:data:`kzdata.formats.datapackage.FOREIGN_KEYS`); the other columns a record always has are
  ``NOT NULL``.
- ``claims_fts``: FTS5 full-text index of the claim quotes (``content=claims``).
- views an analyst would otherwise write: :data:`VIEWS`.
- ``kzdata_release``: ``key``/``value`` rows: dataset and schema version.

Determinism: rows are inserted in id order (read from the sorted ``.jsonl`` tables) into a
scratch file with a fixed page size and no journal, then copied with ``VACUUM INTO`` into the
final file, which is therefore compact, its pages in a fixed order, its header free of
change counters left by earlier writes. SQLite stores no timestamps. The same records (and
SQLite library) give the same bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

import orjson
import sqlite_utils

from kzdata.formats.csv import LAYOUT, Column
from kzdata.formats.datapackage import FOREIGN_KEYS
from kzdata.records.kinds import KINDS

FILE_NAME = "kzdata.sqlite"
PAGE_SIZE = 4096
BATCH = 1000
FTS_TABLE = "claims_fts"
RELEASE_TABLE = "kzdata_release"
_SQL_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "number": float, "bool": int}

_CLAIM_COLUMNS = """
    c.id AS claim_id, c.predicate, c.scope,
    c.value_amount AS amount, c.value_low AS low, c.value_high AS high,
    c.value_unit AS unit, c.value_qualifier AS qualifier,
    c.as_of, c.stated_on, c.claimant_id,
    COALESCE(a.name, s.outlet) AS claimant, c.relayed_by,
    s.outlet, s.title AS source_title, s.published, c.status, c.quote, c.source_id"""
_CLAIM_FROM = """
  FROM claims c
  LEFT JOIN actors a ON a.id = c.claimant_id
  LEFT JOIN sources s ON s.id = c.source_id"""

_CONTRADICTED = """
  SELECT claim_id AS id FROM claim_relations WHERE relation = 'contradicts'
  UNION SELECT other_claim_id FROM claim_relations WHERE relation = 'contradicts'"""

VIEWS: dict[str, tuple[str, str]] = {
    "numeric_claims": (
        "Every claim with a figure, with the claimant's name (the outlet when the outlet itself claims it) "
        "and the source; ordered by quantity (predicate, scope) and day.",
        f"SELECT {_CLAIM_COLUMNS}{_CLAIM_FROM}\n  WHERE c.value_unit IS NOT NULL\n"
        "  ORDER BY c.predicate, c.scope, c.as_of, c.value_amount, c.id",
    ),
    "contested_claims": (
        "Claims in a 'contradicts' relation (same quantity, same day, different value), each with the ids "
        "of the claims it contradicts.",
        f"SELECT {_CLAIM_COLUMNS},\n"
        "  (SELECT json_group_array(CASE WHEN r.claim_id = c.id THEN r.other_claim_id ELSE r.claim_id END)\n"
        "     FROM claim_relations r WHERE r.relation = 'contradicts' AND c.id IN (r.claim_id, r.other_claim_id)\n"
        f"  ) AS contradicts{_CLAIM_FROM}\n"
        f"  WHERE c.id IN ({_CONTRADICTED})\n  ORDER BY c.predicate, c.scope, c.as_of, c.value_amount, c.id",
    ),
    "figures_by_day": (
        "Figures per quantity (predicate, scope, unit) and day (as_of): how many claims and claimants, "
        "the lowest and highest amount and every distinct amount.",
        "SELECT predicate, scope, value_unit AS unit, as_of AS day, count(*) AS claims,\n"
        "  count(DISTINCT COALESCE(claimant_id, '')) AS claimants,\n"
        "  min(value_amount) AS lowest, max(value_amount) AS highest,\n"
        "  json_group_array(DISTINCT value_amount) AS amounts,\n"
        "  sum(status = 'retracted') AS retracted\n"
        "  FROM (SELECT * FROM claims WHERE value_amount IS NOT NULL ORDER BY value_amount)\n"
        "  GROUP BY predicate, scope, value_unit, as_of\n  ORDER BY predicate, scope, value_unit, as_of",
    ),
}
"""View name → (description, SQL)."""


def column_types(table: str) -> dict[str, type]:
    """SQL column types (as sqlite-utils takes them) of a table, in the flat layout's order."""
    return {c.name: _SQL_TYPES.get(c.kind, str) for c in _layout(table)}


def _layout(table: str) -> list[Column]:
    return LAYOUT[next(k.record_type for k in KINDS if k.table == table)]


def sql_row(data: Mapping[str, Any], columns: list[Column]) -> dict[str, Any]:
    """The SQLite row of a JSON-ready record dict: flat columns, lists as JSON text, booleans as 0/1."""
    row: dict[str, Any] = {}
    for column in columns:
        value: Any = data
        for key in column.path:
            value = None if value is None else value.get(key)
        if column.kind in ("list", "json") and value is not None:
            value = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        elif column.kind == "bool" and value is not None:
            value = int(value)
        row[column.name] = value
    return row


def _rows(path: Path, columns: list[Column]) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            yield sql_row(orjson.loads(line), columns)


def _create_tables(db: sqlite_utils.Database, tables: Mapping[str, Path]) -> None:
    present = set(tables)
    for table, path in tables.items():
        columns = _layout(table)
        keys = [(column, other, "id") for column, other in FOREIGN_KEYS.get(table, []) if other in present]
        not_null = [c.name for c in columns if len(c.path) == 1 and not c.nullable]
        db[table].create(column_types(table), pk="id", foreign_keys=keys, not_null=not_null)  # type: ignore[union-attr]
        db[table].insert_all(_rows(path, columns), batch_size=BATCH)  # type: ignore[union-attr]


def _finish(db: sqlite_utils.Database, versions: Mapping[str, str]) -> None:
    if db["claims"].exists():
        db["claims"].enable_fts(["quote"], fts_version="FTS5")  # type: ignore[union-attr]
        db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    for name, (_, sql) in VIEWS.items():
        db.create_view(name, sql)
    db[RELEASE_TABLE].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]
    db[RELEASE_TABLE].insert_all([{"key": k, "value": v} for k, v in sorted(versions.items())])  # type: ignore[union-attr]
    db.execute("ANALYZE")


def write_sqlite(out: Path, tables: Mapping[str, Path], *, dataset_version: str, schema_version: str) -> Path:
    """Write ``out`` (``kzdata.sqlite``) from the sorted ``.jsonl`` file of each table (table → path).

    A scratch file beside ``out`` is built first and removed; ``out`` must not exist.
    """
    scratch = out.with_name(f".{out.name}.build")
    scratch.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(scratch)) as conn:
            for pragma in (f"page_size = {PAGE_SIZE}", "journal_mode = OFF", "synchronous = OFF"):
                conn.execute(f"PRAGMA {pragma}")
            db = sqlite_utils.Database(conn, execute_plugins=False)
            _create_tables(db, tables)
            _finish(db, {"dataset_version": dataset_version, "schema_version": schema_version})
            conn.commit()
            conn.execute("VACUUM INTO ?", (str(out),))
    finally:
        scratch.unlink(missing_ok=True)
    return out
