"""Pieces shared by the benchmark scripts (benchmarks/ is a folder of scripts, not a package)."""

from __future__ import annotations

import filecmp
from pathlib import Path


def kept_analysis(path: Path) -> str:
    """The hand-written ``## Analysis`` section of an existing results file ('' if none): kept on rewrite."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    start = text.find("\n## Analysis")
    return text[start + 1 :] if start >= 0 else ""


def differing_files(a: Path, b: Path) -> list[str]:
    """Names of the files that differ between two folders (or are in only one); [] when they are the same."""
    names = sorted({p.relative_to(root) for root in (a, b) for p in root.rglob("*") if p.is_file()})
    return [
        str(n)
        for n in names
        if not ((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, shallow=False))
    ]
