"""The contested detention figures of a kzdata release, by claimant and date, and a chart.

A detention figure is *contested* when the release links it to a different figure for the
same quantity on the same day (a ``contradicts`` relation in ``claim_relations``). The same
table is computed twice — with DuckDB straight from the Parquet files, and with pandas via
``kzdata.load`` — and the two must agree; the chart shows the figures over time, one series
per claimant.

    python examples/contested_figures.py                 # latest published release
    python examples/contested_figures.py 0.1.0 --chart detained.png
    python examples/contested_figures.py exports/v0.1.0  # a local release folder

Needs ``pip install 'kzdata[pandas,plot]' duckdb``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import matplotlib.dates as mdates
from matplotlib.figure import Figure

import kzdata
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


def chart(rows: list[Row], path: Path) -> Path:
    """Plot the figures over time, one line per claimant, and save the chart as PNG."""
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    for claimant in sorted({row[1] for row in rows}):
        points = [(row[0], row[2]) for row in rows if row[1] == claimant]
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=claimant.removeprefix("act-"))
    ordered = sorted(rows, key=lambda row: (row[0], row[2]))
    for i, (day, _, amount, _, _) in enumerate(ordered):
        highest_that_day = i + 1 == len(ordered) or ordered[i + 1][0] != day  # label it above, the others below
        offset = (6, 4) if highest_that_day else (6, -12)
        axes.annotate(f"{amount:,}", (day, amount), textcoords="offset points", xytext=offset, fontsize=8)
    axes.xaxis.set_major_locator(mdates.DayLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    axes.margins(x=0.15, y=0.1)
    axes.set_title("Contested detention figures, by claimant and date")
    axes.set_ylabel("people detained (as stated)")
    axes.legend(fontsize=8)
    figure.savefig(path, dpi=100)
    return path


def render(rows: list[Row]) -> str:
    """The figures as an aligned text table."""
    lines = [f"{'day':<10}  {'claimant':<40}  {'detained':>8}  {'qualifier':<9}  sources"]
    lines += [f"{d.isoformat():<10}  {c:<40}  {n:>8,}  {q:<9}  {s:>7}" for d, c, n, q, s in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("release", nargs="?", default="latest", help="version, 'latest' or a release folder")
    parser.add_argument("--chart", type=Path, default=Path("contested_detentions.png"), help="PNG to write")
    args = parser.parse_args(argv)
    target: Any = Path(args.release)
    folder = release_dir(source=target) if target.is_dir() else release_dir(args.release)
    rows = with_duckdb(folder)
    if rows != with_pandas(folder):
        print("DuckDB and pandas disagree", file=sys.stderr)
        return 1
    print(render(rows))
    print(f"chart: {chart(rows, args.chart)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
