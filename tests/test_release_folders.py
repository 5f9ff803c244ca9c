"""kzdata.release.folders: a command replaces only a folder it wrote, never loses a file, cleans up after a crash.

The promises of the README ("never changes or deletes the user's files", "a crash never leaves
a half-written export") are tested here through the commands that write folders:
``kzdata build --out``, ``kzdata release``, ``kzdata download --dest`` and ``kzdata schema --out``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzdata.errors import UsageError
from kzdata.release import folders
from kzdata.release import write as export
from tests.test_release import CHANGELOG, load_records

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "build" / "seeds"


def kzdata(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzdata", *args], capture_output=True, text=True, cwd=cwd, check=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def a_checkout(tmp_path: Path) -> Path:
    """A folder that looks like a user's project: a .git, exports/ with a release and its index."""
    repo = tmp_path / "repo"
    (repo / ".git" / "objects").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    export.write_tables(load_records(), repo / "exports" / "v0.1.0", dataset_version="0.1.0")
    (repo / "exports" / "index.json").write_text('{"latest": "0.1.0", "versions": {}}\n')
    (repo / "notes.txt").write_text("my notes\n")
    return repo


@pytest.mark.parametrize("out", [".", "exports", "exports/v0.1.0", ".git", "notes.txt", "notes.txt/x"])
def test_build_never_replaces_a_folder_it_did_not_write(tmp_path: Path, out: str) -> None:
    repo = a_checkout(tmp_path)
    before = snapshot(repo)
    result = kzdata("build", "--seeds", str(SEEDS), "--out", out, "--quiet", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert snapshot(repo) == before
    assert sorted(p.name for p in repo.iterdir()) == [".git", "exports", "notes.txt"]


def test_build_replaces_its_own_output_and_fills_an_empty_or_new_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for out in ("empty", "new/deeper", "empty"):
        result = kzdata("build", "--seeds", str(SEEDS), "--out", out, "--quiet", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    again = kzdata("build", "--seeds", str(SEEDS), "--out", "empty", "--quiet", cwd=tmp_path)
    assert again.returncode == 0 and snapshot(tmp_path / "empty") == snapshot(tmp_path / "new" / "deeper")


def test_an_export_with_a_file_added_by_the_user_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "dev"
    export.write_tables(load_records(), out, dataset_version="dev")
    (out / "my-analysis.ipynb").write_text("{}")
    with pytest.raises(UsageError, match="not written by kzdata"):
        export.write_tables(load_records(), out, dataset_version="dev")
    assert (out / "my-analysis.ipynb").read_text() == "{}"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_parent_is_a_usage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(UsageError, match="cannot write"):
        export.write_tables(load_records(), locked / "out", dataset_version="dev")


def test_an_unwritable_parent_is_one_error_line(tmp_path: Path) -> None:
    result = kzdata("build", "--seeds", str(SEEDS), "--out", "/proc/kzdata-out", "--quiet", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_schema_out_refuses_a_file_and_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# mine\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("guide\n")
    for out in ("README.md", "docs"):
        result = kzdata("schema", "--out", out, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.startswith("Error: "), result.stderr
    assert (tmp_path / "README.md").read_text() == "# mine\n"
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["guide.md"]
    assert kzdata("schema", "--out", "schema", cwd=tmp_path).returncode == 0
    assert kzdata("schema", "--out", "schema", cwd=tmp_path).returncode == 0  # its own files: rewritten


def test_download_dest_that_is_a_file_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "cache.txt").write_text("x")
    result = kzdata("download", "0.1.0", "--dest", "cache.txt", "--base-url", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("Error: ")
    assert (tmp_path / "cache.txt").read_text() == "x"


def test_orphan_staging_folders_of_a_killed_run_are_removed_by_the_next_one(tmp_path: Path) -> None:
    out = tmp_path / "dev"
    export.write_tables(load_records(), out, dataset_version="dev")
    dead = 2**22 + 12345  # no such process
    for tag in ("tmp", "old"):
        orphan = tmp_path / f".dev.{tag}-{dead}"
        orphan.mkdir()
        (orphan / "claims.jsonl").write_text("")
    (tmp_path / ".other.tmp-1").mkdir()  # another target's: left alone
    export.write_tables(load_records(), out, dataset_version="dev")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp-1", "dev"]


def test_a_crash_between_the_two_renames_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "dev"
    export.write_tables(load_records(), out, dataset_version="dev")
    before = snapshot(out)
    out.rename(tmp_path / f".dev.old-{2**22 + 1}")  # killed after moving the old export aside
    folders.recover(out)
    assert snapshot(out) == before


def test_a_crash_after_publishing_a_release_leaves_it_indexed_by_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzdata.release import cut

    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG)
    exports = tmp_path / "exports"

    def crash(root: Path) -> Path:
        raise KeyboardInterrupt  # the process dies between the rename and the index

    monkeypatch.setattr(cut, "write_index", crash)
    with pytest.raises(KeyboardInterrupt):
        cut.release("0.1.0", records=load_records(), exports_dir=exports, changelog=tmp_path / "CHANGELOG.md")
    monkeypatch.undo()
    assert (exports / "v0.1.0" / "SHA256SUMS").is_file()
    with pytest.raises(UsageError, match="already exists"):
        cut.release("0.1.0", records=load_records(), exports_dir=exports, changelog=tmp_path / "CHANGELOG.md")
    from kzdata.release.index import read_index

    assert list(read_index(exports)) == ["0.1.0"]
    shutil.rmtree(exports)
