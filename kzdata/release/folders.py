"""Folders written as a whole: staged beside their final place, then renamed into it.

A writer fills :func:`staging_dir` (``.NAME.tmp-PID`` beside the target) and calls
:func:`publish`, so a crash never leaves a half-written folder at the final path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kzdata.errors import UsageError


def staging_dir(out_dir: Path, tag: str = "tmp") -> Path:
    """The hidden folder beside ``out_dir`` a folder is written into before the rename."""
    return out_dir.parent / f".{out_dir.name}.{tag}-{os.getpid()}"


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
