"""kzdata.remote.fetch against a real local HTTP release host (tests/release_server.py)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzdata.cli import main
from kzdata.errors import ChecksumError, FetchError, UsageError
from kzdata.remote import fetch
from tests.release_factory import write_release
from tests.release_server import ReleaseServer

CLAIMS = "v0.1.0/claims.parquet"


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release host folder with two versions (0.1.0 and 0.2.0, the latest)."""
    root = tmp_path_factory.mktemp("host")
    write_release(root, "0.1.0")
    write_release(root, "0.2.0")
    return root


@pytest.fixture
def server(host: Path) -> Iterator[ReleaseServer]:
    with ReleaseServer(host) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(fetch.CACHE_ENV, raising=False)
    monkeypatch.delenv(fetch.BASE_URL_ENV, raising=False)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _left_behind(cache: Path) -> list[str]:
    """Everything in the cache except lock files: must be empty after a failed download."""
    return sorted(p.name for p in cache.iterdir() if not p.name.endswith(".lock")) if cache.exists() else []


def test_download_fetches_and_verifies_every_file(server: ReleaseServer, host: Path, tmp_path: Path) -> None:
    folder = fetch.download("0.1.0", base_url=server.url, dest=tmp_path)
    assert folder == tmp_path / "v0.1.0"
    published = sorted(p.name for p in (host / "v0.1.0").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == published
    for name in published:
        assert (folder / name).read_bytes() == (host / "v0.1.0" / name).read_bytes()
    assert set(fetch.verify_checksums(folder)) == set(published) - {"SHA256SUMS"}
    assert _left_behind(tmp_path) == ["v0.1.0"]


def test_latest_resolves_through_the_index(server: ReleaseServer, tmp_path: Path) -> None:
    assert fetch.download(base_url=server.url, dest=tmp_path) == tmp_path / "v0.2.0"
    assert server.count("v0.1.0/claims.parquet") == 0


def test_second_download_is_a_noop_without_network(server: ReleaseServer, tmp_path: Path) -> None:
    first = fetch.download("v0.1.0", base_url=server.url, dest=tmp_path)
    asked = len(server.requests)
    assert fetch.download("0.1.0", base_url=server.url, dest=tmp_path) == first
    assert len(server.requests) == asked


def test_offline_cached_version_loads_and_missing_one_names_the_url(server: ReleaseServer, tmp_path: Path) -> None:
    fetch.download("0.1.0", base_url=server.url, dest=tmp_path)
    offline = "http://127.0.0.1:9/"  # the discard port: nothing listens there
    assert fetch.download("0.1.0", base_url=offline, dest=tmp_path) == tmp_path / "v0.1.0"
    with pytest.raises(FetchError, match=r"http://127\.0\.0\.1:9/index\.json") as caught:
        fetch.download("0.2.0", base_url=offline, dest=tmp_path, retries=0)
    assert "cached versions load offline" in str(caught.value)
    assert f"cached in {tmp_path}: 0.1.0" in str(caught.value)
    assert fetch.cached_versions(tmp_path) == ["0.1.0"]


@pytest.mark.parametrize("mode", ["corrupt", "truncate"])
def test_bad_bytes_raise_checksum_error_and_keep_nothing(
    server: ReleaseServer, host: Path, tmp_path: Path, mode: str
) -> None:
    original = (host / CLAIMS).read_bytes()
    served = original[: len(original) // 2] if mode == "truncate" else original[:-1] + bytes([original[-1] ^ 0xFF])
    server.fail(CLAIMS, mode)
    with pytest.raises(ChecksumError) as caught:
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path, retries=0)
    message = str(caught.value)
    assert "claims.parquet" in message
    assert f"expected {_sha(original)}, got {_sha(served)}" in message
    assert _left_behind(tmp_path) == []


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("404", "HTTP 404"),
        ("drop", "closed without an answer"),
        ("short", "broke mid-transfer"),
    ],
)
def test_transfer_failures_raise_fetch_error_and_keep_nothing(
    server: ReleaseServer, tmp_path: Path, mode: str, reason: str
) -> None:
    server.fail(CLAIMS, mode)
    with pytest.raises(FetchError, match=reason) as caught:
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path, retries=0)
    assert not isinstance(caught.value, ChecksumError)
    assert server.url + CLAIMS in str(caught.value)
    assert _left_behind(tmp_path) == []


def test_file_missing_from_the_host(tmp_path: Path) -> None:
    root = tmp_path / "host"
    write_release(root, "0.1.0")
    (root / CLAIMS).unlink()
    with ReleaseServer(root) as server, pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path / "cache", retries=0)
    assert server.url + CLAIMS in str(caught.value)
    assert _left_behind(tmp_path / "cache") == []


def test_index_404_names_the_index_url(server: ReleaseServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch.download(base_url=server.url + "nowhere/", dest=tmp_path, retries=0)
    assert server.url + "nowhere/index.json" in str(caught.value)


def test_transient_failure_is_retried(server: ReleaseServer, tmp_path: Path) -> None:
    server.fail(CLAIMS, "drop", times=1)
    folder = fetch.download("0.1.0", base_url=server.url, dest=tmp_path, retries=1)
    assert server.count(CLAIMS) == 2
    fetch.verify_checksums(folder)


def test_persistent_corruption_gives_up_after_the_retries(server: ReleaseServer, tmp_path: Path) -> None:
    server.fail(CLAIMS, "corrupt")
    with pytest.raises(ChecksumError):
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path, retries=1)
    assert server.count(CLAIMS) == 2
    assert _left_behind(tmp_path) == []


def test_corrupted_cache_is_downloaded_again(server: ReleaseServer, tmp_path: Path) -> None:
    folder = fetch.download("0.1.0", base_url=server.url, dest=tmp_path)
    (folder / "claims.parquet").write_bytes(b"not parquet")
    with pytest.raises(ChecksumError, match=r"claims\.parquet"):
        fetch.verify_checksums(folder)
    assert fetch.download("0.1.0", base_url=server.url, dest=tmp_path) == folder
    fetch.verify_checksums(folder)
    assert _left_behind(tmp_path) == ["v0.1.0"]


def test_index_and_sums_must_agree(tmp_path: Path) -> None:
    root = tmp_path / "host"
    write_release(root, "0.1.0")
    index = json.loads((root / "index.json").read_text())
    index["versions"]["0.1.0"]["files"]["claims.parquet"]["sha256"] = "0" * 64
    del index["versions"]["0.1.0"]["files"]["SHA256SUMS"]
    (root / "index.json").write_text(json.dumps(index))
    with ReleaseServer(root) as server, pytest.raises(ChecksumError, match=r"disagree on claims\.parquet"):
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path / "cache", retries=0)
    assert _left_behind(tmp_path / "cache") == []


def test_file_url_and_plain_path(host: Path, tmp_path: Path) -> None:
    assert fetch.download("0.1.0", base_url=host.as_uri(), dest=tmp_path / "a") == tmp_path / "a" / "v0.1.0"
    assert fetch.download("0.2.0", base_url=str(host), dest=tmp_path / "b") == tmp_path / "b" / "v0.2.0"
    with pytest.raises(FetchError, match=r"index\.json"):
        fetch.download(base_url=str(tmp_path / "empty"), dest=tmp_path / "c")


def test_environment_variables(server: ReleaseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.BASE_URL_ENV, server.url)
    monkeypatch.setenv(fetch.CACHE_ENV, str(tmp_path / "env-cache"))
    assert fetch.download("0.1.0") == tmp_path / "env-cache" / "v0.1.0"


def test_cache_that_is_a_file_is_a_usage_error(server: ReleaseServer, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match=r"cannot use .* as the cache"):
        fetch.download(base_url=server.url, dest=tmp_path / "file")


def test_default_base_url_and_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fetch.resolve_base_url() == fetch.DEFAULT_BASE_URL
    assert fetch.cache_root().name == "kzdata"
    with pytest.raises(UsageError, match="unsupported base URL"):
        fetch.resolve_base_url("ftp://example.org/releases")


def test_unknown_version_lists_the_published_ones(server: ReleaseServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"published versions: 0\.1\.0, 0\.2\.0"):
        fetch.download("9.9.9", base_url=server.url, dest=tmp_path)
    with pytest.raises(UsageError, match="not a release version"):
        fetch.download("newest", base_url=server.url, dest=tmp_path)


def test_list_versions(server: ReleaseServer) -> None:
    entries = fetch.list_versions(server.url)
    assert [(e.version, e.latest) for e in entries] == [("0.1.0", False), ("0.2.0", True)]
    assert "claims.parquet" in entries[0].files


def test_malformed_index(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text('{"releases": []}')
    with pytest.raises(FetchError, match="not a kzdata release index"):
        fetch.fetch_index(str(tmp_path))
    (tmp_path / "index.json").write_text("{not json")
    with pytest.raises(FetchError, match="not valid JSON"):
        fetch.fetch_index(str(tmp_path))


def test_two_processes_download_the_same_version(host: Path, tmp_path: Path) -> None:
    code = "import sys; from kzdata.cli import main; main(sys.argv[1:])"
    with ReleaseServer(host, delay=0.02) as server:
        server.hold("index.json", parties=2)  # both processes have missed the cache before either downloads
        args = ["download", "0.1.0", "--base-url", server.url, "--dest", str(tmp_path)]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
            )
            for _ in range(2)
        ]
        results = [proc.communicate(timeout=120) for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], results
        assert [out.strip() for out, _ in results] == [str(tmp_path / "v0.1.0")] * 2
        assert server.count("index.json") == 2
        assert server.count(CLAIMS) == 1  # the second process waited for the lock, then found the cache
    fetch.verify_checksums(tmp_path / "v0.1.0")
    assert _left_behind(tmp_path) == ["v0.1.0"]


def _run(args: list[str]) -> int | str | None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    return caught.value.code


def test_cli_download_and_list(server: ReleaseServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["download", "--list", "--base-url", server.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("0.1.0\t")
    assert lines[1].startswith("0.2.0\t") and lines[1].endswith("(latest)")
    assert _run(["download", "--base-url", server.url, "--dest", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "v0.2.0")


@pytest.mark.parametrize(("mode", "code"), [("corrupt", 1), ("404", 2)])
def test_cli_download_errors(
    server: ReleaseServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, code: int
) -> None:
    server.fail("v0.2.0/claims.parquet", mode)
    assert _run(["download", "--base-url", server.url, "--dest", str(tmp_path), "--retries", "0"]) == code
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "claims.parquet" in err and "Traceback" not in err


def test_the_published_index_is_what_fetch_reads(host: Path) -> None:
    index = fetch.fetch_index(str(host))
    assert index.latest == "0.2.0"
    entry = index.resolve("0.1.0")
    assert entry.path == "v0.1.0/"
    assert entry.files["claims.parquet"] == _sha((host / CLAIMS).read_bytes())
    assert entry.size == sum(p.stat().st_size for p in (host / "v0.1.0").iterdir())


def test_progress_bar_only_when_asked_or_on_a_terminal(
    server: ReleaseServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fetch.download("0.1.0", base_url=server.url, dest=tmp_path / "quiet")  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    fetch.download("0.1.0", base_url=server.url, dest=tmp_path / "bar", progress=True)
    assert "kzdata v0.1.0" in capsys.readouterr().err


def test_a_stalled_host_times_out_quickly_and_names_the_url(server: ReleaseServer, tmp_path: Path) -> None:
    server.fail(CLAIMS, "stall")
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as caught:
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path, retries=0, timeout=0.5)
    assert time.monotonic() - started < 10
    assert server.url + CLAIMS in str(caught.value)
    assert _left_behind(tmp_path) == []


def test_the_timeout_comes_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.TIMEOUT_ENV, "2.5")
    assert fetch.resolve_timeout(None) == 2.5
    assert fetch.resolve_timeout(7) == 7
    monkeypatch.setenv(fetch.TIMEOUT_ENV, "soon")
    with pytest.raises(UsageError, match=fetch.TIMEOUT_ENV):
        fetch.resolve_timeout(None)


def test_a_4xx_is_never_retried_and_says_what_the_url_answered(server: ReleaseServer, tmp_path: Path) -> None:
    server.fail(CLAIMS, "404")
    with pytest.raises(FetchError) as caught:
        fetch.download("0.1.0", base_url=server.url, dest=tmp_path, retries=3)
    assert server.count(CLAIMS) == 1
    message = str(caught.value)
    assert f"{server.url}{CLAIMS} answered HTTP 404" in message and "network" not in message


def test_a_tampered_cache_offline_names_the_file_and_the_fix(server: ReleaseServer, tmp_path: Path) -> None:
    folder = fetch.download("0.1.0", base_url=server.url, dest=tmp_path)
    (folder / "claims.csv").write_text("tampered\n")
    with pytest.raises(ChecksumError) as caught:
        fetch.download("0.1.0", base_url="http://127.0.0.1:9/", dest=tmp_path, retries=0)
    message = str(caught.value)
    assert f"cached copy of {folder / 'claims.csv'} failed its checksum" in message
    assert "expected" in message and "found" in message and "kzdata download --force 0.1.0" in message
    assert "load offline" not in message


def test_force_downloads_a_cached_version_again(server: ReleaseServer, tmp_path: Path) -> None:
    folder = fetch.download("0.1.0", base_url=server.url, dest=tmp_path)
    (folder / "claims.csv").write_text("tampered\n")
    assert fetch.download("0.1.0", base_url=server.url, dest=tmp_path, force=True) == folder
    fetch.verify_checksums(folder)
    assert _left_behind(tmp_path) == ["v0.1.0"]


def test_the_cache_follows_the_umask(server: ReleaseServer, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        folder = fetch.download("0.1.0", base_url=server.url, dest=tmp_path / "shared")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o644}
