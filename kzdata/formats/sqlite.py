"""``kzdata.sqlite``: every table of a release in one SQLite file, for Datasette, sqlite3 and DuckDB.

Layout:

- one table per record kind of :data:`kzdata.records.kinds.KINDS`, a new kind included
  automatically. Columns are the flat layout of :mod:`kzdata.formats.csv` (``value_amount``,
  ``span_start``, ``location_name`` …) with SQL types: text, integer, real, booleans as 0/1,
  dates as ``YYYY-MM-DD`` text, lists (``aliases``, ``relayed_by``, ``roles``, ``participants``)
  as JSON text (``json_each`` reads them), null as NULL; no spreadsheet escaping. ``id`` is the
  primary key; the foreign keys are those of the data package
  (:data:`kzdata.formats.datapackage.FOREIGN_KEYS`); the other columns a record always has are
  ``NOT NULL``.
- ``claims_fts``: FTS5 full-text index of the claim quotes (``content=claims``), filled once
  after the rows and optimized; no triggers (the file is published read-only).
- views an analyst would otherwise write: :data:`VIEWS`.
- ``kzdata_release``: ``key``/``value`` rows: dataset and schema version.

The ``CREATE`` statements are the text sqlite-utils wrote for this layout up to kzdata 0.2.0
(:func:`create_table_sql`), so files are unchanged byte for byte; the rows go in with the
standard library's ``sqlite3``: each ``.jsonl`` line parsed by orjson into a tuple by a row
function generated from the layout (:func:`row_function`), :data:`BATCH` lines at a time, into
``executemany``, one transaction per table. A null is bound as an empty blob that ``NULLIF``
turns back into NULL: binding ``None`` costs the ``sqlite3`` module an adapter lookup, 3× the
binding of a string. (benchmarks/SQLITE.md compares this with sqlite-utils' ``insert_all``.)

Determinism: rows are inserted in id order (read from the sorted ``.jsonl`` tables) into a
scratch file with a fixed page size and no journal, then copied with ``VACUUM INTO`` into the
final file, which is therefore compact, its pages in a fixed order, its header free of
change counters left by earlier writes. SQLite stores no timestamps. The same records (and
SQLite library) give the same bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack, closing, contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import Any

import orjson

from kzdata.formats.csv import LAYOUT, Column
from kzdata.formats.datapackage import FOREIGN_KEYS
from kzdata.records.kinds import KINDS

FILE_NAME = "kzdata.sqlite"
PAGE_SIZE = 4096
CACHE_KIB = 32 * 1024
"""Page cache of the scratch connection (KiB): a little faster than the default 2 MiB at a million claims; 64 MiB
was no faster and pushed the export past its 400 MB memory bound."""
FTS_TABLE = "claims_fts"
FTS_CONTENT, FTS_COLUMN = "claims", "quote"
BATCH = 10_000
"""Lines parsed and inserted at a time."""
RELEASE_TABLE = "kzdata_release"
_SQL_TYPES: dict[str, str] = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "number": "REAL", "bool": "INTEGER"}
NULL = bytearray()
"""What a null is bound as (``NULLIF(?, x'')`` stores NULL): no JSON value becomes a blob."""

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


def column_types(table: str) -> dict[str, str]:
    """SQL column types of a table (``TEXT``, ``INTEGER``, ``REAL``), in the flat layout's order."""
    return {c.name: _SQL_TYPES.get(c.kind, "TEXT") for c in _layout(table)}


def _layout(table: str) -> list[Column]:
    return LAYOUT[next(k.record_type for k in KINDS if k.table == table)]


def quote_name(name: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: str, present: Collection[str]) -> str:
    """The ``CREATE TABLE`` of a record table, as sqlite-utils wrote it: one column a line, in layout order.

    ``id`` is the ``PRIMARY KEY``; a column a record always has is ``NOT NULL``; a foreign key of
    :data:`FOREIGN_KEYS` to a table in ``present`` is an inline ``REFERENCES "other"("id")``.
    """
    references = {column: other for column, other in FOREIGN_KEYS.get(table, []) if other in present}
    not_null = {c.name for c in _layout(table) if len(c.path) == 1 and not c.nullable}
    definitions = []
    for column, sql_type in column_types(table).items():
        extras = ["PRIMARY KEY"] if column == "id" else []
        if column in not_null:
            extras.append("NOT NULL")
        if column in references:
            extras.append(f"REFERENCES {quote_name(references[column])}({quote_name('id')})")
        definitions.append((column, sql_type, extras))
    return _create_sql(table, definitions)


def _create_sql(table: str, definitions: list[tuple[str, str, list[str]]]) -> str:
    lines = [f"   {quote_name(name)} {' '.join([sql_type, *extras])}" for name, sql_type, extras in definitions]
    return f"CREATE TABLE {quote_name(table)} (\n" + ",\n".join(lines) + "\n)"


def insert_sql(table: str) -> str:
    """The ``INSERT`` of one row of a record table; a column that may be null reads ``NULLIF(?, x'')``."""
    columns = _layout(table)
    names = ", ".join(quote_name(c.name) for c in columns)
    slots = ", ".join("NULLIF(?, x'')" if _may_be_null(c) else "?" for c in columns)
    return f"INSERT INTO {quote_name(table)} ({names}) VALUES ({slots})"


def _may_be_null(column: Column) -> bool:
    return column.nullable or len(column.path) > 1


def _value_expression(column: Column) -> str:
    """Python source of one column's value from the record dict ``d`` (``None`` for a missing key)."""
    *parents, key = column.path
    if parents:  # a nested part (value, span, location): null when the part is null
        (parent,) = parents
        return f"(NULL if (p := d.get({parent!r})) is None or (v := p.get({key!r})) is None else v)"
    value = f"(v := d.get({key!r}))"
    if column.kind in ("list", "json"):
        return f"(NULL if {value} is None else dumps(v))"
    if column.kind == "bool":
        return f"(NULL if {value} is None else int(v))"
    if column.nullable:
        return f"(NULL if {value} is None else v)"
    return f"d.get({key!r})"  # never null in a valid record; None fails NOT NULL, as it should


def row_function(table: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The function from a JSON-ready record dict to the parameters of :func:`insert_sql`.

    Lists become JSON text with sorted keys, booleans 0/1, nested parts their flat columns, a
    null (or a missing key) :data:`NULL`. Generated from the layout as one expression per
    column (as :mod:`dataclasses` generates ``__init__``): the claims go in 20 % faster than
    with a loop over per-column functions.
    """
    body = ", ".join(_value_expression(c) for c in _layout(table))
    namespace: dict[str, Any] = {"NULL": NULL, "dumps": _dumps}
    exec(f"def row(d):\n    return ({body},)\n", namespace)  # source built from the layout's names only
    function: Callable[[Mapping[str, Any]], tuple[Any, ...]] = namespace["row"]
    return function


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


Lines = Path | Sequence[Path]
"""A table's sorted canonical lines: one file, or several read end to end."""


def _batches(lines: Lines, table: str) -> Iterator[list[tuple[Any, ...]]]:
    row, loads = row_function(table), orjson.loads
    paths = [lines] if isinstance(lines, Path) else lines
    with ExitStack() as files:
        stream = chain.from_iterable(files.enter_context(path.open("rb")) for path in paths)
        while batch := list(islice(stream, BATCH)):
            yield list(map(row, map(loads, batch)))


def _insert_tables(conn: sqlite3.Connection, tables: Mapping[str, Lines]) -> None:
    """Each table created and its rows inserted in file order, in one transaction."""
    for table, lines in tables.items():
        conn.execute(create_table_sql(table, tables))
        sql = insert_sql(table)
        with _transaction(conn):
            for rows in _batches(lines, table):
                conn.executemany(sql, rows)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction (the connection is in autocommit mode): a table's rows in one commit."""
    conn.execute("BEGIN")
    yield
    conn.execute("COMMIT")


def _finish(conn: sqlite3.Connection, tables: Mapping[str, Lines], versions: Mapping[str, str]) -> None:
    """Full-text index, views, release table and statistics, made as sqlite-utils made them."""
    if FTS_CONTENT in tables:
        fts, content, column = quote_name(FTS_TABLE), quote_name(FTS_CONTENT), quote_name(FTS_COLUMN)
        conn.execute(f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {column},\n    content={content}\n)")
        conn.execute(f"INSERT INTO {fts} (rowid, {column}) SELECT rowid, {column} FROM {content}")
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
    for name, (_, sql) in VIEWS.items():
        conn.execute(f"CREATE VIEW {quote_name(name)} AS {sql}")
    conn.execute(_create_sql(RELEASE_TABLE, [("key", "TEXT", ["PRIMARY KEY"]), ("value", "TEXT", [])]))
    with _transaction(conn):
        conn.executemany(f"INSERT INTO {quote_name(RELEASE_TABLE)} VALUES (?, ?)", sorted(versions.items()))
    conn.execute("ANALYZE")


def write_sqlite(out: Path, tables: Mapping[str, Lines], *, dataset_version: str, schema_version: str) -> Path:
    """Write ``out`` (``kzdata.sqlite``) from the sorted canonical lines of each table (table → ``.jsonl`` path,
    or the paths of files to read end to end).

    A scratch file beside ``out`` is built first and removed; ``out`` must not exist.
    """
    scratch = out.with_name(f".{out.name}.build")
    scratch.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(scratch, isolation_level=None)) as conn:
            pragmas = (f"page_size = {PAGE_SIZE}", "journal_mode = OFF", "synchronous = OFF",
                       f"cache_size = -{CACHE_KIB}", "locking_mode = EXCLUSIVE")  # fmt: skip
            for pragma in pragmas:
                conn.execute(f"PRAGMA {pragma}")
            _insert_tables(conn, tables)
            _finish(conn, tables, {"dataset_version": dataset_version, "schema_version": schema_version})
            conn.execute("VACUUM INTO ?", (str(out),))
    finally:
        scratch.unlink(missing_ok=True)
    return out
