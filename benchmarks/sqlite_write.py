"""``kzdata.sqlite`` from an export folder: the sqlite-utils writer (before) against kzdata's (now).

``python benchmarks/sqlite_write.py EXPORT_DIR [EXPORT_DIR …] --repeat 3`` times, on the sorted
``<table>.jsonl`` files of each export folder (``kzdata export … --out EXPORT_DIR``):

- **sqlite-utils** — :func:`reference_sqlite`, the writer of kzdata ≤ 0.2.0 kept here as the
  peer (and as the reference tests/test_formats_sqlite.py compares against): ``insert_all`` of
  per-row dicts, ``enable_fts``, ``create_view``, ``ANALYZE``, ``VACUUM INTO``;
- **kzdata** — :func:`kzdata.formats.sqlite.write_sqlite`: rows as tuples from a row function
  generated from the layout into ``executemany``, nulls bound as an empty blob (``NULLIF``).

The two run alternately in one process, ``--repeat`` times each, into a temporary folder;
each run reports wall time (``time.perf_counter``) and CPU time (user + system of the process
and of any finished children). Every pair of files is compared
byte for byte. Results go to ``benchmarks/SQLITE.md`` (``--out``) with the command and the
machine.

Tried while writing the new writer and dropped (measured once on the same shared 2-core
machine, not re-run by this script): SQLite flattening the JSON itself (``INSERT … SELECT
?->>'$.id', …`` per line: 1.13–1.26 s for 89k claims against 0.98–1.03 s with tuples;
``json_each`` over a batch: 2.70 s); ``pyarrow.json`` + ``to_pylist`` (0.84 s CPU to parse
and convert against 0.30–0.38 s for orjson and the row function); multi-row ``VALUES`` of
10–50 rows (5–8 % less); building ``claims_fts`` in a worker process beside the inserts (the
same index, but +5 s CPU at 1M claims and a slower wall time in two of three runs while the
machine was shared); leaving out ``VACUUM INTO`` (other bytes: the header's change counter
and the root pages differ). ``ANALYZE`` takes 0.06 s at 1M claims; filling and optimizing the
index (about 4 s and 0.7 s) is kept as it was, since the index must stay the same.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson
import sqlite_utils

from kzdata.formats import sqlite as kz
from kzdata.formats.csv import Column
from kzdata.release.layout import release_tables

OUT = Path(__file__).parent / "SQLITE.md"
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "number": float, "bool": int}


def _sql_row(data: Mapping[str, Any], columns: list[Column]) -> dict[str, Any]:
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
            yield _sql_row(orjson.loads(line), columns)


def reference_sqlite(out: Path, tables: Mapping[str, Path], *, dataset_version: str, schema_version: str) -> Path:
    """``kzdata.sqlite`` as kzdata ≤ 0.2.0 wrote it, with sqlite-utils (the same bytes, slower)."""
    scratch = out.with_name(f".{out.name}.reference")
    scratch.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(scratch)) as conn:
            for pragma in (f"page_size = {kz.PAGE_SIZE}", "journal_mode = OFF", "synchronous = OFF"):
                conn.execute(f"PRAGMA {pragma}")
            db = sqlite_utils.Database(conn, execute_plugins=False)
            for table, path in tables.items():
                columns = kz._layout(table)
                keys = [(column, other, "id") for column, other in kz.FOREIGN_KEYS.get(table, []) if other in tables]
                not_null = [c.name for c in columns if len(c.path) == 1 and not c.nullable]
                types = {c.name: _TYPES.get(c.kind, str) for c in columns}
                db[table].create(types, pk="id", foreign_keys=keys, not_null=not_null)  # type: ignore[union-attr]
                db[table].insert_all(_rows(path, columns), batch_size=1000)  # type: ignore[union-attr]
            if db["claims"].exists():
                db["claims"].enable_fts(["quote"], fts_version="FTS5")  # type: ignore[union-attr]
                db.execute("INSERT INTO claims_fts(claims_fts) VALUES ('optimize')")
            for name, (_, sql) in kz.VIEWS.items():
                db.create_view(name, sql)
            versions = {"dataset_version": dataset_version, "schema_version": schema_version}
            db[kz.RELEASE_TABLE].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]
            db[kz.RELEASE_TABLE].insert_all([{"key": k, "value": v} for k, v in sorted(versions.items())])  # type: ignore[union-attr]
            db.execute("ANALYZE")
            conn.commit()
            conn.execute("VACUUM INTO ?", (str(out),))
    finally:
        scratch.unlink(missing_ok=True)
    return out


WRITERS: dict[str, Callable[..., Path]] = {"sqlite-utils": reference_sqlite, "kzdata": kz.write_sqlite}
PHASES = ("table rows", "claims_fts filled", "claims_fts optimize", "ANALYZE", "VACUUM INTO")


def _phase(sql: str) -> str:
    text = " ".join(sql.split()).replace('"', "").replace("[", "").replace("]", "")
    if "optimize" in text:
        return "claims_fts optimize"
    if text.startswith("INSERT INTO claims_fts"):
        return "claims_fts filled"
    for phase in ("ANALYZE", "VACUUM INTO"):
        if text.startswith(phase):
            return phase
    return "table rows" if text.startswith("INSERT INTO") else "other SQL"


class _Timed(sqlite3.Connection):
    """A connection that adds the wall time of each statement to its phase (:data:`PHASES`)."""

    spent: dict[str, float]

    def _timed(self, method: Callable[..., Any], sql: str, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(sql, *args)
        finally:
            self.spent[_phase(sql)] = self.spent.get(_phase(sql), 0.0) + time.perf_counter() - started

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        return self._timed(super().execute, sql, *args)  # type: ignore[no-any-return]

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        return self._timed(super().executemany, sql, *args)  # type: ignore[no-any-return]

    def executescript(self, sql: str) -> sqlite3.Cursor:  # type: ignore[override]
        return self._timed(super().executescript, sql)  # type: ignore[no-any-return]


def phases(writer: Callable[..., Path], tables: Mapping[str, Path], out: Path) -> dict[str, float]:
    """One run of ``writer`` with every statement timed: seconds per phase; the rest is Python."""
    spent: dict[str, float] = {}
    connect = sqlite3.connect

    def timed_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, factory=_Timed, **kwargs)
        conn.spent = spent  # type: ignore[attr-defined]
        return conn

    sqlite3.connect = timed_connect  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        writer(out, tables, dataset_version="0.0.0-bench", schema_version="0.1.0")
        total = time.perf_counter() - started
    finally:
        sqlite3.connect = connect
    out.unlink()
    return {**spent, "Python": total - sum(spent.values()), "total": total}


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(folder: Path, repeat: int, scratch: Path) -> dict[str, Any]:
    """Alternate runs of both writers on one export folder; wall and CPU seconds of each run."""
    tables = {name: folder / f"{name}.jsonl" for name in release_tables(folder)}
    rows = {name: sum(1 for _ in path.open("rb")) for name, path in tables.items()}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in WRITERS}
    for _ in range(repeat):
        files = {}
        for name, writer in WRITERS.items():
            out = scratch / f"{name}.sqlite"
            out.unlink(missing_ok=True)
            wall, cpu = time.perf_counter(), _cpu()
            writer(out, tables, dataset_version="0.0.0-bench", schema_version="0.1.0")
            runs[name].append((time.perf_counter() - wall, _cpu() - cpu))
            files[name] = out.read_bytes()
            wall, cpu = runs[name][-1]
            print(f"{folder.name} {name:12s} wall {wall:6.2f} s  cpu {cpu:6.2f} s", flush=True)
        if len(set(files.values())) != 1:
            sys.exit(f"{folder}: the two writers wrote different bytes")
    split = {name: phases(writer, tables, scratch / f"{name}.phases.sqlite") for name, writer in WRITERS.items()}
    return {"folder": str(folder), "rows": rows, "bytes": len(files["kzdata"]), "runs": runs, "phases": split}


def render(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        "# kzdata.sqlite: sqlite-utils (before) vs kzdata's writer (now)",
        "",
        "Generated by `benchmarks/sqlite_write.py` (its docstring says what is timed). Both writers",
        "wrote the same bytes in every run. Median (min – max) of the runs; CPU is user + system.",
        "Each export folder was made by `kzdata export RECORDS --out DIR --dataset-version 0.0.0-bench`",
        "from records of `benchmarks/generate.py` (the claims, their sources, actors and events).",
        "",
        "| export | claims | file MB | writer | runs | wall s | CPU s | wall × faster | CPU × less |",
        "|---|---:|---:|---|---:|---|---|---:|---:|",
    ]
    for result in results:
        before = result["runs"]["sqlite-utils"]
        for name, runs in result["runs"].items():
            wall, cpu = [w for w, _ in runs], [c for _, c in runs]
            faster = statistics.median(w for w, _ in before) / statistics.median(wall)
            less = statistics.median(c for _, c in before) / statistics.median(cpu)
            claims, megabytes = result["rows"].get("claims", 0), result["bytes"] / 1e6
            lines.append(
                f"| `{Path(result['folder']).name}` | {claims:,} | {megabytes:.0f} "
                f"| {name} | {len(runs)} | {_spread(wall)} | {_spread(cpu)} | {faster:.1f} | {less:.1f} |"
            )
    lines += [
        "",
        "Where the time goes: one more run of each writer with every SQL statement timed (wall s);",
        "the rest of the run is Python. (sqlite-utils binds its rows inside its `INSERT` calls, so its",
        "table rows include work kzdata does in Python.)",
        "",
        "| export | writer | " + " | ".join(PHASES) + " | Python: parsing, rows | total |",
        "|---|---|" + "---:|" * (len(PHASES) + 2),
    ]
    for result in results:
        for name, spent in result["phases"].items():
            cells = [f"{spent.get(phase, 0.0):.2f}" for phase in (*PHASES, "Python", "total")]
            lines.append(f"| `{Path(result['folder']).name}` | {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"sqlite-utils {metadata.version('sqlite-utils')}; shared with other jobs while it ran.",
        "",
    ]
    return "\n".join(lines)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f} – {max(values):.2f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folders", nargs="+", type=Path, help="export folders (kzdata export … --out DIR)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kzdata-sqlite-bench-") as scratch:
        results = [measure(folder, args.repeat, Path(scratch)) for folder in args.folders]
    command = "python benchmarks/sqlite_write.py " + " ".join(sys.argv[1:] if argv is None else argv)
    args.out.write_text(render(results, command), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
