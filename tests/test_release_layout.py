"""kzdata.release.layout and kzdata.release.sums: versions, SHA256SUMS, the one hash comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.errors import ChecksumError, InputError, UsageError
from kzdata.release import layout, sums


@settings(max_examples=50, deadline=None)
@given(st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)), st.booleans())
def test_versions_normalize(parts: tuple[int, int, int], prefixed: bool) -> None:
    version = ".".join(map(str, parts))
    assert layout.normalize_version(("v" if prefixed else "") + version) == version


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=20))
def test_bad_versions_are_usage_errors(text: str) -> None:
    try:
        layout.normalize_version(text)
    except UsageError:
        return
    assert layout.SEMVER.match(text.strip())


def test_read_sums_rejects_paths_and_garbage(tmp_path: Path) -> None:
    listed = tmp_path / "SHA256SUMS"
    listed.write_text(f"{'a' * 64}  claims.parquet\n")
    assert sums.read_sums(listed) == {"claims.parquet": "a" * 64}
    bad_lines = [f"{'a' * 64}  ../etc/passwd\n", f"{'a' * 64}  ..\n", f"{'a' * 64}  .\n", "abc  claims.parquet\n"]
    for bad in [*bad_lines, f"{'a' * 64}claims.parquet\n"]:
        listed.write_text(bad)
        with pytest.raises(InputError, match="SHA256SUMS:1"):
            sums.read_sums(listed)


def test_one_comparison_names_what_differs(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b"x\n")
    actual = sums.digest(path)
    assert sums.mismatch(actual, actual.sha256, actual.bytes) is None
    assert sums.mismatch(actual, None, None) is None
    assert sums.mismatch(actual, "0" * 64) == ("sha256", "0" * 64, actual.sha256)
    assert sums.mismatch(actual, actual.sha256, 3) == ("size", "3", "2")
    with pytest.raises(ChecksumError, match=f"expected SHA-256 {'0' * 64}, found {actual.sha256} — rebuild it$"):
        sums.check_file(path, "0" * 64, hint="rebuild it")


def test_check_folder_names_a_missing_or_damaged_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("1\n")
    digest = sums.digest(tmp_path / "a.csv")
    (tmp_path / "SHA256SUMS").write_text(sums.render_sums({"a.csv": digest}))
    assert sums.check_folder(tmp_path, hint="h") == {"a.csv": digest.sha256}
    (tmp_path / "a.csv").write_text("2\n")
    with pytest.raises(ChecksumError, match=r"a\.csv failed its checksum"):
        sums.check_folder(tmp_path, hint="h")
    (tmp_path / "a.csv").unlink()
    with pytest.raises(InputError, match=r"a\.csv is missing"):
        sums.check_folder(tmp_path, hint="h")
