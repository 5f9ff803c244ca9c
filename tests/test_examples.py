"""examples/contested_figures.py and the README's DuckDB query, run on a real release."""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.release_factory import write_release

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "contested_figures.py"
PRESIDENT, MINISTRY = "act-office-of-the-president", "act-ministry-of-internal-affairs"

# The figures tests/data/load/records.jsonl sets against each other: 5,800 (president) and
# 5,969 (ministry, in two sources) for 9 January, 7,939 and 7,989 (ministry) for 10 January.
# Not contested: the Almaty-only figure and the retracted death toll.
EXPECTED = [
    (date(2022, 1, 9), PRESIDENT, 5800, "about", 1),
    (date(2022, 1, 9), MINISTRY, 5969, "exact", 2),
    (date(2022, 1, 10), MINISTRY, 7939, "exact", 1),
    (date(2022, 1, 10), MINISTRY, 7989, "exact", 1),
]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_release(tmp_path_factory.mktemp("host"), "0.1.0")


@pytest.fixture(scope="module")
def example() -> ModuleType:
    pytest.importorskip("matplotlib")
    pytest.importorskip("duckdb")
    pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location("contested_figures", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_query(heading: str = "### Contested detention figures") -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, f"the section {heading!r} has one SQL block"
    return str(blocks[0])


def test_readme_quantities_query_gives_each_days_detention_reference_row(tmp_path: Path) -> None:
    import duckdb

    from kzdata.build.pipeline import build

    out = tmp_path / "dev"
    assert build(ROOT / "seeds", out).ok
    rows = duckdb.connect().execute(_readme_query("### So how many were detained?").replace(
        "'quantities.parquet'", f"'{out / 'quantities.parquet'}'")).fetchall()  # fmt: skip
    by_day = {row[0].isoformat(): row[1:4] for row in rows}
    assert by_day["2022-01-09"] == (5800, 5969, 5969)
    assert by_day["2022-01-10"] == (7939, 7939, 8000)
    assert all(row[6] >= 1 and row[7] for row in rows if row[2] is not None)  # n_claims, best_claim_ids


def test_readme_query_is_the_example_query(example: ModuleType) -> None:
    assert _readme_query().strip() == example.QUERY.strip()


def test_readme_duckdb_query_in_a_release_folder(
    example: ModuleType, release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    monkeypatch.chdir(release)  # the README says: run it in the release folder
    assert [tuple(row) for row in duckdb.sql(_readme_query()).fetchall()] == EXPECTED


def test_duckdb_and_pandas_give_the_expected_figures(example: ModuleType, release: Path) -> None:
    assert example.with_duckdb(release) == EXPECTED
    assert example.with_pandas(release) == EXPECTED


def test_script_prints_the_table_and_saves_the_chart(
    example: ModuleType, release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import matplotlib.image

    chart = tmp_path / "contested.png"
    assert example.main([str(release), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["2022-01-09", PRESIDENT, "5,800", "about", "1"]
    assert len(out) == 1 + len(EXPECTED) + 1
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    height, width, _ = matplotlib.image.imread(chart).shape
    assert (width, height) == (900, 440)  # one panel: the detention figures nationwide


def test_chart_points_from_duckdb_are_the_releases(example: ModuleType, release: Path) -> None:
    from kzdata.formats import chart
    from kzdata.records.kinds import BY_TYPE
    from tests.release_factory import sample_records

    tables: dict[str, list[Any]] = {}
    for record in sample_records():
        tables.setdefault(BY_TYPE[record.record_type].table, []).append(record)
    points = example.chart_points(release)
    assert sorted(points, key=chart.Point.key) == chart.points(tables)
    # every nationwide detention figure, not only the contested ones; not the Almaty one nor the death toll
    assert {(p.claimant, p.amount) for p in points} == {
        ("Office of the President", 5800), ("Ministry of Internal Affairs", 5969),
        ("Ministry of Internal Affairs", 7939), ("Ministry of Internal Affairs", 7989),
    }  # fmt: skip
    assert len(points) == 5  # 5,969 twice: one marker per claim


def test_the_examples_chart_is_the_releases_png(example: ModuleType, release: Path, tmp_path: Path) -> None:
    chart = example.chart(release, tmp_path / "contested.png")
    assert chart.read_bytes() == (release / "contested_figures.png").read_bytes()
