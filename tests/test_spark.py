"""kzdata.spark in Spark's local mode: the same claims, ids and fields as ``kzdata build``.

Skipped when pyspark (the ``spark`` extra) or a Java runtime is missing.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kzdata.build.batch import derive_from_parquet, parquet_schema, read_parquet_records
from kzdata.build.pipeline import build_records
from kzdata.errors import UsageError
from kzdata.records.models import AnyRecord, Claim
from kzdata.sources import load_metadata

SEEDS = Path(__file__).parent / "data" / "build" / "seeds"
# pyspark warns about pandas 3 when it checks its Arrow support; kzdata.spark uses no pandas
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'kzdata[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime (java on PATH or JAVA_HOME): Spark needs Java 17", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from kzdata import spark as kzspark  # noqa: E402


@pytest.fixture(scope="module")
def session() -> Iterator[SparkSession]:
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors run this interpreter, which has kzdata
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("kzdata-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1")
        .getOrCreate()
    )
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build seeds without curated records: only what the rules extract."""
    copy = tmp_path_factory.mktemp("spark") / "seeds"
    shutil.copytree(SEEDS / "articles", copy / "articles")
    shutil.copy(SEEDS / "sources.toml", copy / "sources.toml")
    return copy


@pytest.fixture(scope="module")
def job(session: SparkSession, seeds: Path) -> tuple[Path, dict[str, int]]:
    """The job run once over the seeds folder: its output folder and row counts."""
    out = seeds.parent / "out"
    return out, kzspark.run(session, seeds / "articles", seeds / "sources.toml", out)


def _by_id(records: list[AnyRecord], kind: type) -> dict[str, AnyRecord]:
    return {r.id: r for r in records if isinstance(r, kind)}


def test_the_spark_job_writes_the_claims_the_build_extracts(job: tuple[Path, dict[str, int]], seeds: Path) -> None:
    out, counts = job
    built = build_records(seeds).records
    derived = derive_from_parquet(out)
    claims = _by_id(list(built), Claim)
    assert claims, "the build extracts claims from the test seeds"
    assert counts["claims"] == len(claims)
    assert _by_id(derived, Claim) == claims  # every field, after events are linked
    assert list(derived) == list(built)  # sources, actors, events, claims and relations alike
    for table in ("sources", "actors", "claims"):
        parts = sorted((out / table).glob("part-*.parquet"))
        assert parts
        assert all(pq.read_schema(p).equals(parquet_schema(table), check_metadata=True) for p in parts)
        ids = pq.read_table(out / table).column("id").to_pylist()
        assert ids == sorted(ids)
        assert len(ids) == counts[table]


def test_a_table_of_articles_gives_the_same_records_as_the_folder(
    session: SparkSession, job: tuple[Path, dict[str, int]], seeds: Path, tmp_path: Path
) -> None:
    rows = [{"name": p.name, "content": p.read_bytes()} for p in sorted((seeds / "articles").glob("*.txt"))]
    frame = session.createDataFrame(rows, "name string, content binary")
    kzspark.run(session, frame, load_metadata(seeds / "sources.toml"), tmp_path / "table")
    assert read_parquet_records(tmp_path / "table") == read_parquet_records(job[0])


def test_the_job_refuses_an_output_folder_holding_parts(session: SparkSession, seeds: Path, tmp_path: Path) -> None:
    (tmp_path / "out" / "claims").mkdir(parents=True)
    (tmp_path / "out" / "claims" / "part-00000.parquet").write_bytes(b"old")
    with pytest.raises(UsageError, match="already holds files"):
        kzspark.run(session, seeds / "articles", None, tmp_path / "out")
