"""kzdata.remote.transfer: one file from a release host to disk (the HTTP cases are in test_fetch)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kzdata.errors import ChecksumError, FetchError
from kzdata.remote.transfer import fetch_file


@pytest.fixture
def published(tmp_path: Path) -> Path:
    folder = tmp_path / "host"
    folder.mkdir()
    (folder / "data file.csv").write_bytes(b"a,b\n1,2\n")
    return folder


def test_fetch_file_over_file_url_checks_the_hash(published: Path, tmp_path: Path) -> None:
    data = (published / "data file.csv").read_bytes()
    url = published.as_uri() + "/"
    path = fetch_file(url, "data file.csv", hashlib.sha256(data).hexdigest(), tmp_path / "out", retries=0, hint="h")
    assert path.read_bytes() == data


def test_wrong_hash_names_expected_and_got_and_keeps_nothing(published: Path, tmp_path: Path) -> None:
    got = hashlib.sha256((published / "data file.csv").read_bytes()).hexdigest()
    with pytest.raises(ChecksumError, match=f"expected {'0' * 64}, got {got}"):
        fetch_file(published.as_uri() + "/", "data file.csv", "0" * 64, tmp_path / "out", retries=0, hint="h")
    assert list((tmp_path / "out").iterdir()) == []


def test_missing_file_carries_the_hint(published: Path, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"cannot read file://.*/nothing\.csv.*— try again"):
        fetch_file(published.as_uri() + "/", "nothing.csv", None, tmp_path / "out", retries=0, hint="try again")
