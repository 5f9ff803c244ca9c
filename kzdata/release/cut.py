"""Immutable dataset releases: ``exports/vX.Y.Z/``, their index, and the changes between them.

:func:`release` checks the version (SemVer ``X.Y.Z``, not released yet, a ``## [X.Y.Z]``
entry in ``CHANGELOG.md``; its ``- YYYY-MM-DD`` becomes ``date-released`` in ``CITATION.cff``), gets
the records (given, or from a build function), refuses records with validation errors, computes
``changes.jsonl`` against the previous release (the highest version below it), writes the release
with :func:`kzdata.release.write.write_tables` (beside the target, then renamed: a crash leaves no
partial release) and rewrites ``exports/index.json``. :func:`diff` compares two releases record by
record; :func:`kzdata.release.verify.verify` checks one.

For the dataset, MAJOR is a breaking schema change, MINOR adds records or fields, PATCH
corrects records (see CHANGELOG.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kzdata.errors import DataError, UsageError
from kzdata.records.jsonl import read_records as read_jsonl
from kzdata.records.models import AnyRecord
from kzdata.release import changes, write
from kzdata.release.folders import recover
from kzdata.release.index import write_index
from kzdata.release.layout import CHANGES_NAME, format_version, parse_version, release_tables, release_version, releases
from kzdata.validate import validate_records

__all__ = ["ReleaseResult", "diff", "release"]


def changelog_has(changelog: Path, version: str) -> bool:
    """True when ``changelog`` has a ``## [version]`` heading."""
    try:
        text = changelog.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(
            f"cannot read {changelog}: {error}", "run from the repository root or pass --changelog"
        ) from None
    return re.search(rf"^## \[{re.escape(version)}\]", text, flags=re.MULTILINE) is not None


def changelog_date(changelog: Path, version: str) -> date | None:
    """The date of the ``## [version] - YYYY-MM-DD`` heading (None without one): an input, so rebuilds match."""
    text = changelog.read_text(encoding="utf-8")
    found = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$", text, flags=re.MULTILINE)
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        raise UsageError(f"{changelog}: {found.group(1)} is not a date", "write it as YYYY-MM-DD") from None


def read_records(directory: Path) -> list[AnyRecord]:
    """Every record of a release folder, from its ``.jsonl`` tables, table after table."""
    return list(read_jsonl([directory / f"{table}.jsonl" for table in release_tables(directory)]))


def diff(old: Path, new: Path) -> list[changes.Change]:
    """Record-level changes from the release folder ``old`` to the release folder ``new``."""
    version, since = release_version(new) or new.name, release_version(old) or old.name
    return changes.compute(read_records(old), read_records(new), version=version, since=since)


@dataclass(frozen=True)
class ReleaseResult:
    """What :func:`release` wrote."""

    version: str
    path: Path
    previous: str | None
    changes: dict[str, int]
    files: list[Path] = field(default_factory=list)
    warnings: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "files": [p.name for p in self.files],
            "path": str(self.path),
            "previous": self.previous,
            "version": self.version,
            "warnings": self.warnings,
        }


def _check_records(records: Sequence[AnyRecord], texts: Path | None) -> int:
    """Validate the records; raise DataError on errors, return the number of warnings."""
    report = validate_records(records, texts=texts, file="<release>")
    if not report.ok:
        first = "; ".join(f"{i.code} {i.record_id or ''} {i.message}" for i in report.issues if i.severity == "error")
        raise DataError(f"the records have {report.errors} validation error(s): {first[:500]}", "fix them first")
    return report.warnings


def release(
    version: str,
    *,
    records: Iterable[AnyRecord] | None = None,
    build: Callable[[], Iterable[AnyRecord]] | None = None,
    exports_dir: Path = Path("exports"),
    changelog: Path = Path("CHANGELOG.md"),
    quality: Path | None = None,
    texts: Path | None = None,
) -> ReleaseResult:
    """Cut release ``version`` into ``exports_dir/vVERSION/`` from ``records`` or ``build()``."""
    number = parse_version(version)
    version = format_version(number)
    target = exports_dir / f"v{version}"
    if exports_dir.is_dir():
        recover(target)
        write_index(exports_dir)  # repairs an index a crash left behind its releases
    if target.exists():
        raise UsageError(
            f"release {version} already exists in {target}", "releases are immutable: choose a new version"
        )
    if not changelog_has(changelog, version):
        raise UsageError(f"{changelog} has no entry for {version}", f"add a '## [{version}]' section to {changelog}")
    if (records is None) == (build is None):
        raise UsageError("pass either records or a build function", "release(version, records=...) or build=...")
    rows = list(records if records is not None else build())  # type: ignore[misc]
    warnings = _check_records(rows, texts)
    earlier = [v for v in releases(exports_dir) if v < number]
    previous = format_version(max(earlier)) if earlier else None
    old = read_records(exports_dir / f"v{previous}") if previous else []
    found = changes.compute(old, rows, version=version, since=previous)
    files = write.write_tables(
        rows, target, dataset_version=version, quality=quality, replace=False,
        released=changelog_date(changelog, version),
        extra_files={CHANGES_NAME: changes.to_jsonl(found)},
    )  # fmt: skip
    write_index(exports_dir)
    return ReleaseResult(version, target, previous, changes.summary(found), files, warnings)
