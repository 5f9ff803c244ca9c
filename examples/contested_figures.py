"""The contested detention figures of a kzdata release, by claimant and date, and a chart.

A detention figure is *contested* when the release links it to a different figure for the
same quantity on the same day (a ``contradicts`` relation in ``claim_relations``). The same
table is computed twice — with DuckDB straight from the Parquet files, and with pandas via
``kzdata.load`` — and the two must agree.

The chart shows, for each contested quantity (predicate, scope and unit), every figure of it
over time: one marker per claim, coloured by claimant (by name; "the outlet (X)" when the
outlet itself asserts it), hollow when approximate, an ``x`` when retracted, and no line
joining figures that contradict each other. Its points come from DuckDB (``CHART_QUERY``) and
are drawn by :mod:`kzdata.formats.chart`, so the PNG is byte for byte the release's
``contested_figures.png``.

    python examples/contested_figures.py                 # latest published release
    python examples/contested_figures.py 0.1.0 --chart contested.png
    python examples/contested_figures.py exports/v0.1.0  # a local release folder

Needs ``pip install 'kzdata[pandas]' duckdb``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

import kzdata
from kzdata.formats.chart import Point, render_png
from kzdata.remote.load import release_dir

QUERY = """
WITH contested AS (
    SELECT claim_id AS id FROM 'claim_relations.parquet' WHERE relation = 'contradicts'
    UNION
    SELECT other_claim_id FROM 'claim_relations.parquet' WHERE relation = 'contradicts'
)
SELECT
    coalesce(as_of, stated_on) AS day,
    coalesce(claimant_id, 'the outlet') AS claimant,
    CAST(value.amount AS BIGINT) AS detained,
    CAST(value.qualifier AS VARCHAR) AS qualifier,
    count(DISTINCT source_id) AS sources
FROM 'claims.parquet'
WHERE predicate = 'detained' AND id IN (SELECT id FROM contested)
GROUP BY ALL
ORDER BY day, detained, claimant;
"""
"""The query of the README; run it in a release folder (relative file names)."""

CHART_QUERY = """
WITH contested AS (
    SELECT DISTINCT c.predicate::VARCHAR AS predicate, c.scope, c.value.unit::VARCHAR AS unit
    FROM 'claim_relations.parquet' r
    JOIN 'claims.parquet' c ON c.id = r.claim_id OR c.id = r.other_claim_id
    WHERE r.relation = 'contradicts' AND c.value IS NOT NULL
)
SELECT
    c.predicate::VARCHAR, c.scope, c.value.unit::VARCHAR,
    coalesce(c.as_of, c.stated_on) AS day,
    coalesce(a.name, c.claimant_id, 'the outlet (' || coalesce(s.outlet, c.source_id) || ')') AS claimant,
    c.value.amount, c.value.low, c.value.high, c.value.qualifier::VARCHAR, c.status::VARCHAR, c.id
FROM 'claims.parquet' c
JOIN contested q
    ON q.predicate = c.predicate::VARCHAR AND q.scope IS NOT DISTINCT FROM c.scope AND q.unit = c.value.unit::VARCHAR
LEFT JOIN 'actors.parquet' a ON a.id = c.claimant_id
LEFT JOIN 'sources.parquet' s ON s.id = c.source_id
WHERE coalesce(c.as_of, c.stated_on) IS NOT NULL
    AND (c.value.amount IS NOT NULL OR c.value.low IS NOT NULL OR c.value.high IS NOT NULL)
ORDER BY c.id;
"""
"""Every dated figure of each contested quantity, with the claimant's name: the points of the chart."""

Row = tuple[date, str, int, str, int]
COLUMNS = ["day", "claimant", "detained", "qualifier", "sources"]


def with_duckdb(folder: Path) -> list[Row]:
    """The contested figures computed by DuckDB from the Parquet files of ``folder``."""
    with duckdb.connect() as connection:
        connection.execute("SET file_search_path = ?", [str(folder)])
        return [tuple(row) for row in connection.sql(QUERY).fetchall()]  # type: ignore[misc]


def with_pandas(folder: Path) -> list[Row]:
    """The same figures computed with pandas from ``kzdata.load``."""
    claims = kzdata.load("claims", source=folder, as_="pandas")
    relations = kzdata.load("claim_relations", source=folder, as_="pandas")
    contradicts = relations[relations["relation"] == "contradicts"]
    contested = set(contradicts["claim_id"]) | set(contradicts["other_claim_id"])
    rows = claims[(claims["predicate"] == "detained") & claims["id"].isin(contested)]
    table = rows.assign(
        day=rows["as_of"].fillna(rows["stated_on"]).dt.date,
        claimant=rows["claimant_id"].fillna("the outlet"),
        detained=rows["value_amount"].astype(int),
        qualifier=rows["value_qualifier"].astype(str),
    )
    grouped = table.groupby(COLUMNS[:4], observed=True)["source_id"].nunique().reset_index(name="sources")
    grouped = grouped.sort_values(["day", "detained", "claimant"])
    return [(r.day, r.claimant, int(r.detained), r.qualifier, int(r.sources)) for r in grouped.itertuples()]


def chart_points(folder: Path) -> list[Point]:
    """The chart's points, computed by DuckDB from the Parquet files of ``folder``."""
    with duckdb.connect() as connection:
        connection.execute("SET file_search_path = ?", [str(folder)])
        rows = connection.sql(CHART_QUERY).fetchall()
    return [
        Point((predicate, scope, unit), day, claimant, amount, low, high, qualifier, status, claim_id)
        for predicate, scope, unit, day, claimant, amount, low, high, qualifier, status, claim_id in rows
    ]


def chart(folder: Path, path: Path) -> Path:
    """Draw every figure of each contested quantity over time and save the chart as PNG."""
    path.write_bytes(render_png(chart_points(folder)))
    return path


def render(rows: list[Row]) -> str:
    """The figures as an aligned text table."""
    lines = [f"{'day':<10}  {'claimant':<40}  {'detained':>8}  {'qualifier':<9}  sources"]
    lines += [f"{d.isoformat():<10}  {c:<40}  {n:>8,}  {q:<9}  {s:>7}" for d, c, n, q, s in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("release", nargs="?", default="latest", help="version, 'latest' or a release folder")
    parser.add_argument("--chart", type=Path, default=Path("contested_figures.png"), help="PNG to write")
    args = parser.parse_args(argv)
    target: Any = Path(args.release)
    folder = release_dir(source=target) if target.is_dir() else release_dir(args.release)
    rows = with_duckdb(folder)
    if rows != with_pandas(folder):
        print("DuckDB and pandas disagree", file=sys.stderr)
        return 1
    print(render(rows))
    print(f"chart: {chart(folder, args.chart)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
