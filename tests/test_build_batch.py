"""kzdata.build.batch: extraction over rows of article bytes gives the build's records, without Spark."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kzdata.build.batch import (
    article_name,
    derive_from_parquet,
    extract_batch,
    merge_rows,
    parquet_table,
    record_path,
)
from kzdata.build.pipeline import build_records
from kzdata.errors import InputError, UsageError
from kzdata.records.models import Claim
from kzdata.sources import load_metadata

SEEDS = Path(__file__).parent / "data" / "build" / "seeds"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """The build seeds without curated records: only what the rules extract."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS / "articles", copy / "articles")
    shutil.copy(SEEDS / "sources.toml", copy / "sources.toml")
    return copy


def _rows(seeds: Path) -> list[dict[str, object]]:
    return [{"path": f"file://{p}", "content": p.read_bytes()} for p in sorted((seeds / "articles").glob("*.txt"))]


def test_extract_batch_needs_no_spark(seeds: Path) -> None:
    catalogue = load_metadata(seeds / "sources.toml")
    out = list(extract_batch(_rows(seeds), catalogue=catalogue))
    assert {row["table"] for row in out} == {"sources", "actors", "claims"}
    built = {r.id: r for r in build_records(seeds).records}
    merged = merge_rows(row["record"] for row in out)
    assert all(built[r.id] == r for r in merged if not isinstance(r, Claim))


def test_records_written_as_parquet_give_back_the_build(seeds: Path, tmp_path: Path) -> None:
    merged = merge_rows(
        row["record"] for row in extract_batch(_rows(seeds), catalogue=load_metadata(seeds / "sources.toml"))
    )
    for table in ("sources", "actors", "claims"):
        (tmp_path / table).mkdir()
        records = [r for r in merged if r.record_type == table.removesuffix("s")]
        pq.write_table(parquet_table(records, table), tmp_path / table / "part-00000.parquet")
    assert derive_from_parquet(tmp_path) == list(build_records(seeds).records)


def test_names_paths_and_bad_bytes() -> None:
    assert article_name({"path": "file:/x/seeds/articles/a%20b.txt"}) == "a b.txt"
    assert article_name({"name": "n.txt", "path": "file:/x/p.txt"}) == "n.txt"
    assert record_path("a.txt", "corpus") == "corpus/articles/a.txt"
    with pytest.raises(UsageError):
        article_name({})
    with pytest.raises(InputError, match=r"^seeds/articles/x\.txt: not valid UTF-8"):
        list(extract_batch([{"name": "x.txt", "content": b"abc\xff"}]))
