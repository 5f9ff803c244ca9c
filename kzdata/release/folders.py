"""Folders written as a whole, and the rule that protects every other folder.

A writer fills :func:`staging_dir` (``.NAME.tmp-PID`` beside the target) and calls
:func:`publish`, so a crash never leaves a half-written folder at the final path. A folder is
replaced only when :func:`check_replaceable` allows it: it is missing or empty, or kzdata wrote
it — its ``SHA256SUMS`` lists every file in it and nothing else is there — and it is not a
release. Anything else (a user's folder, a checkout, ``exports/`` itself, a release, a file) is
refused with a :class:`~kzdata.errors.UsageError` before anything is written, so nothing of the
user's is moved or deleted.

:func:`recover` repairs what a killed run left beside a target: staging folders of dead
processes are removed, and an old export moved aside but not yet replaced is moved back.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from kzdata.errors import UsageError
from kzdata.release import sums
from kzdata.release.layout import CHANGES_NAME, SUMS_NAME, is_version

_STAGED = re.compile(r"^\.(?P<name>.+)\.(?P<tag>tmp|old)-(?P<pid>[0-9]+)$")


def staging_dir(out_dir: Path, tag: str = "tmp") -> Path:
    """The hidden folder beside ``out_dir`` a folder is written into before the rename."""
    return out_dir.parent / f".{out_dir.name}.{tag}-{os.getpid()}"


def written_by_kzdata(folder: Path) -> bool:
    """True when ``folder`` holds exactly the files its ``SHA256SUMS`` lists (and the list itself)."""
    try:
        listed = sums.read_sums(folder / SUMS_NAME)
        present = {p.name for p in folder.iterdir()}
    except Exception:  # no list, an unreadable one or an unreadable folder: not ours
        return False
    return present == {*listed, SUMS_NAME} and all((folder / name).is_file() for name in listed)


def is_release(folder: Path) -> bool:
    """True for a release folder: named ``vX.Y.Z`` or holding a release's ``changes.jsonl``."""
    return is_version(folder.name) or (folder / CHANGES_NAME).exists()


def check_replaceable(out_dir: Path, what: str = "--out") -> None:
    """Refuse (UsageError) to write ``out_dir`` unless it is missing, empty, or an export kzdata wrote.

    Also refuses a path that is a file, or whose parent cannot be created or written.
    """
    if out_dir.exists() or out_dir.is_symlink():
        if not out_dir.is_dir():
            raise UsageError(f"{what} {out_dir} is a file, not a folder", "give the path of a new or empty folder")
        if any(out_dir.iterdir()):
            if is_release(out_dir):
                raise UsageError(
                    f"{what} {out_dir} holds a release, which is never replaced", "give a new or empty folder"
                )
            if not written_by_kzdata(out_dir):
                raise UsageError(
                    f"{what} {out_dir} is not empty and was not written by kzdata",
                    "give a new or empty folder; kzdata replaces only a folder it wrote (every file listed in its "
                    f"{SUMS_NAME}, nothing else)",
                )
    _check_parent(out_dir, what)


def _check_parent(out_dir: Path, what: str) -> None:
    parent = out_dir.absolute().parent
    existing = next((p for p in [parent, *parent.parents] if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise UsageError(f"{what} {out_dir}: {existing} is not a folder", "give a path inside a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {out_dir}: cannot write into {existing}", "give a folder you can write to")


def make_staging(out_dir: Path, what: str = "--out") -> Path:
    """Create the staging folder of ``out_dir`` (and its parents); UsageError when that is impossible."""
    staging = staging_dir(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
    except OSError as error:
        raise UsageError(
            f"{what} {out_dir}: cannot write into {out_dir.parent}: {error.strerror}", "give a folder you can write to"
        ) from None
    return staging


def publish(staging: Path, out_dir: Path, *, replace: bool) -> None:
    """Move a finished staging folder to ``out_dir`` (replacing an old one only if ``replace``)."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not replace:
        raise UsageError(f"{out_dir} already exists", "choose another folder or version")
    old = staging_dir(out_dir, "old")
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # exists but is another user's (or cannot be a pid at all)
    return True


def recover(out_dir: Path) -> None:
    """Repair what a killed run left beside ``out_dir``; folders of a live process are left alone."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for path in sorted(parent.iterdir()):
        match = _STAGED.match(path.name)
        if not match or match["name"] != out_dir.name or _alive(int(match["pid"])) or not path.is_dir():
            continue
        if match["tag"] == "old" and not out_dir.exists():
            path.rename(out_dir)  # killed between the two renames: the previous folder comes back
        else:
            with contextlib.suppress(OSError):
                shutil.rmtree(path)
