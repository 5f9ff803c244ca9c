"""kzdata.load / kzdata.open_dataset / kzdata info over real releases (kzdata.release.write)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import kzdata
from kzdata.cli import main
from kzdata.errors import ChecksumError, InputError, UsageError
from kzdata.release.write import write_tables
from kzdata.remote import fetch
from kzdata.remote.load import release_info
from tests.release_factory import RECORDS, write_release
from tests.release_server import ReleaseServer

TABLE_NAMES = ["actors", "claim_relations", "claims", "events", "quantities", "sources"]


def _expected_counts() -> dict[str, int]:
    kinds = [json.loads(line)["record_type"] for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    return {"sources": kinds.count("source"), "actors": kinds.count("actor"), "claims": kinds.count("claim")}


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("host")
    write_release(root, "0.1.0")
    return root


@pytest.fixture
def release(host: Path) -> Path:
    return host / "v0.1.0"


@pytest.fixture
def served(host: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReleaseServer]:
    """The host over HTTP, set as the default base URL, with a fresh cache, run outside the checkout."""
    monkeypatch.chdir(tmp_path)  # no exports/ here: versions resolve to the cache, then the host
    with ReleaseServer(host) as server:
        monkeypatch.setenv(fetch.BASE_URL_ENV, server.url)
        monkeypatch.setenv(fetch.CACHE_ENV, str(tmp_path / "cache"))
        yield server


def test_load_arrow_keeps_the_explicit_types(release: Path) -> None:
    claims = kzdata.load("claims", source=release)
    assert isinstance(claims, pa.Table)
    assert claims.num_rows == _expected_counts()["claims"]
    assert claims.schema.field("as_of").type == pa.date32()
    assert pa.types.is_struct(claims.schema.field("value").type)
    assert pa.types.is_dictionary(claims.schema.field("predicate").type)


def test_load_pandas_from_a_release_folder(release: Path) -> None:
    claims = kzdata.load("claims", source=str(release), as_="pandas")
    ids = [json.loads(line)["id"] for line in (release / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(claims["id"]) == sorted(ids)
    detained = claims[claims["predicate"] == "detained"]
    assert sorted(int(v) for v in detained["value_amount"]) == [1600, 5800, 5969, 5969, 7939, 7989]
    assert set(detained["as_of"].dt.date) == {date(2022, 1, 9), date(2022, 1, 10)}


def test_load_polars(release: Path) -> None:
    polars = pytest.importorskip("polars")
    relations = kzdata.load("claim_relations", source=release, as_="polars")
    assert isinstance(relations, polars.DataFrame)
    assert set(relations["relation"].cast(polars.String)) == {"contradicts", "updates", "repeats"}


def test_missing_extra_says_how_to_install_it(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # makes `import polars` fail
    with pytest.raises(UsageError, match=r"pip install 'kzdata\[polars\]'"):
        kzdata.load("claims", source=release, as_="polars")


def test_load_a_parquet_file_directly(release: Path) -> None:
    assert kzdata.load("claims", source=release / "claims.parquet").num_rows == _expected_counts()["claims"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"table": "claimz"}, UsageError, "no table 'claimz'.*tables: actors, claim_relations, claims"),
        ({"as_": "excel"}, UsageError, "unknown output 'excel'"),
        ({"version": "0.1.0"}, UsageError, "either a version or a source"),
    ],
)
def test_bad_arguments(release: Path, kwargs: dict[str, str], error: type[Exception], message: str) -> None:
    table = kwargs.pop("table", "claims")
    with pytest.raises(error, match=message):
        kzdata.load(table, source=release, **kwargs)  # type: ignore[arg-type]


def test_source_must_exist(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a release folder"):
        kzdata.load("claims", source=tmp_path / "nowhere")


def test_load_by_version_downloads_once_then_works_offline(
    served: ReleaseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert kzdata.load("claims", "0.1.0").num_rows == _expected_counts()["claims"]
    assert served.count("v0.1.0/claims.parquet") == 1
    monkeypatch.setenv(fetch.BASE_URL_ENV, "http://127.0.0.1:9/")  # nothing listens: offline
    assert kzdata.load("actors", "v0.1.0", as_="pandas").shape[0] == _expected_counts()["actors"]
    assert served.count("v0.1.0/claims.parquet") == 1


def test_open_dataset_gives_one_lazy_dataset_per_table(served: ReleaseServer) -> None:
    datasets = kzdata.open_dataset()  # latest, through the server
    assert sorted(datasets) == TABLE_NAMES
    detained = datasets["claims"].to_table(columns=["id"], filter=pc.field("predicate") == "detained")
    assert detained.num_rows == 6
    assert datasets["sources"].count_rows() == _expected_counts()["sources"]


def test_release_info(release: Path) -> None:
    info = release_info(source=release)
    assert (info.version, info.schema_version) == ("0.1.0", "0.1.0")
    assert {k: info.counts[k] for k in _expected_counts()} == _expected_counts()
    assert sorted(info.counts) == TABLE_NAMES
    assert info.verified == len((release / "SHA256SUMS").read_text().splitlines())


def test_cli_info(release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["info", str(release)])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "release         0.1.0" in out
    assert f"claims{' ' * 10}{_expected_counts()['claims']:>8} rows" in out
    assert "files verified against SHA256SUMS" in out
    copy = shutil.copytree(release, tmp_path / "v0.1.0")
    (copy / "claims.csv").write_text("tampered\n")
    with pytest.raises(SystemExit) as caught:
        main(["info", str(copy)])
    assert caught.value.code == 1
    assert "claims.csv failed its checksum" in capsys.readouterr().err
    with pytest.raises(ChecksumError):
        release_info(source=copy)


def test_importing_kzdata_does_not_import_pyarrow() -> None:
    code = "import sys, kzdata; assert callable(kzdata.load); print('pyarrow' in sys.modules)"
    lazy = "import sys, kzdata; print('pyarrow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", lazy], capture_output=True, text=True, check=True).stdout == "False\n"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "True\n"


def test_load_stays_the_function_after_its_module_is_imported() -> None:
    import kzdata.remote.load  # the module behind kzdata.load has another name on purpose

    assert callable(kzdata.load)
    assert kzdata.load.__name__ == "load"


@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None, reason="needs pyspark and Java"
)
def test_spark_reads_the_parquet_with_the_intended_types(release: Path) -> None:
    from pyspark.sql import SparkSession, types

    spark = SparkSession.builder.master("local[1]").appName("kzdata-test").getOrCreate()
    try:
        claims = spark.read.parquet(str(release / "claims.parquet"))
        fields = {f.name: f.dataType for f in claims.schema.fields}
        assert isinstance(fields["as_of"], types.DateType)
        assert isinstance(fields["predicate"], types.StringType)
        assert isinstance(fields["value"], types.StructType)
        assert isinstance(fields["value"]["amount"].dataType, types.DoubleType)
        assert claims.count() == _expected_counts()["claims"]
        amounts = claims.where("predicate = 'detained'").select("value.amount").collect()
        assert sorted(int(row[0]) for row in amounts) == [1600, 5800, 5969, 5969, 7939, 7989]
    finally:
        spark.stop()


def test_pandas_gets_real_dates_nullable_ints_and_full_vocabulary_categoricals(release: Path) -> None:
    from kzdata.records.vocab import Predicate, Qualifier, Status

    claims = kzdata.load("claims", source=release, as_="pandas")
    assert str(claims["as_of"].dtype).startswith("datetime64") and claims["as_of"].dt.year.dropna().eq(2022).all()
    assert str(claims["span_start"].dtype) == "Int64" and str(claims["value_amount"].dtype) == "float64"
    assert list(claims["predicate"].cat.categories) == [p.value for p in Predicate]
    assert list(claims["value_qualifier"].cat.categories) == [q.value for q in Qualifier]
    assert list(claims["status"].cat.categories) == [s.value for s in Status]


def test_categories_do_not_depend_on_the_rows_of_a_release(tmp_path: Path) -> None:
    from tests.release_factory import sample_records

    records = sample_records()
    small = [r for r in records if r.record_type != "claim" or r.predicate.value == "killed"]  # type: ignore[union-attr]
    write_tables(records, tmp_path / "all", dataset_version="0.1.0")
    write_tables(small, tmp_path / "few", dataset_version="0.1.0")
    every = kzdata.load("claims", source=tmp_path / "all", as_="pandas")["predicate"].cat.categories
    few = kzdata.load("claims", source=tmp_path / "few", as_="pandas")["predicate"].cat.categories
    assert list(every) == list(few)


def test_polars_gets_enums_of_the_full_vocabulary(release: Path) -> None:
    import polars as pl

    from kzdata.records.vocab import Predicate, Unit

    claims = kzdata.load("claims", source=release, as_="polars")
    assert claims.schema["predicate"] == pl.Enum([p.value for p in Predicate])
    assert claims.schema["value"].to_schema()["unit"] == pl.Enum([u.value for u in Unit])
    assert claims.schema["as_of"] == pl.Date
