"""Immutable dataset releases: ``exports/vX.Y.Z/``, their index, and the changes between them.

:func:`release` checks the version (SemVer ``X.Y.Z``, not released yet, a ``## [X.Y.Z]``
entry in ``CHANGELOG.md``), gets the records (given, or from a build function), refuses
records with validation errors, computes ``changes.jsonl`` against the previous release (the
highest version below it), writes the release with :func:`kzdata.release.write.write_tables`
(beside the target, then renamed: a crash leaves no partial release) and rewrites
``exports/index.json``. :func:`diff` compares two releases record by record;
:func:`~kzdata.release.verify.verify` (re-exported here) checks one.

For the dataset, MAJOR is a breaking schema change, MINOR adds records or fields, PATCH
corrects records (see CHANGELOG.md).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kzdata.errors import DataError, UsageError
from kzdata.records.kinds import TABLES
from kzdata.records.models import AnyRecord
from kzdata.records.schema import SCHEMA_VERSION
from kzdata.release import changes
from kzdata.release import sums as checksums
from kzdata.release import write as export
from kzdata.release.verify import VerifyReport, verify
from kzdata.validate import validate_records

__all__ = ["ReleaseResult", "VerifyReport", "diff", "release", "verify"]

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
INDEX_NAME = "index.json"
CHANGES_NAME = "changes.jsonl"
Version = tuple[int, int, int]


def parse_version(text: str) -> Version:
    """``'1.2.3'`` (or ``'v1.2.3'``) → ``(1, 2, 3)``; anything else is a UsageError."""
    match = SEMVER.match(text.removeprefix("v"))
    if not match:
        raise UsageError(f"{text!r} is not a version", "use MAJOR.MINOR.PATCH, e.g. 0.1.0")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def format_version(version: Version) -> str:
    return ".".join(str(n) for n in version)


def releases(exports_dir: Path) -> dict[Version, Path]:
    """The release folders (``vX.Y.Z``) under ``exports_dir``, by version."""
    if not exports_dir.is_dir():
        return {}
    found = {}
    for path in exports_dir.iterdir():
        if path.is_dir() and path.name.startswith("v") and SEMVER.match(path.name[1:]):
            found[parse_version(path.name)] = path
    return dict(sorted(found.items()))


def resolve(spec: str, exports_dir: Path = Path("exports")) -> Path:
    """A release folder named by a path or a version ('0.1.0' or 'v0.1.0' → exports/v0.1.0)."""
    path = Path(spec)
    if path.is_dir():
        return path
    if SEMVER.match(spec.removeprefix("v")):
        candidate = exports_dir / f"v{spec.removeprefix('v')}"
        if candidate.is_dir():
            return candidate
        raise UsageError(f"no release {spec} in {exports_dir}", f"list the releases with 'ls {exports_dir}'")
    raise UsageError(f"{spec} is neither a folder nor a version", "pass a release folder or a version like 0.1.0")


def changelog_has(changelog: Path, version: str) -> bool:
    """True when ``changelog`` has a ``## [version]`` heading."""
    try:
        text = changelog.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(
            f"cannot read {changelog}: {error}", "run from the repository root or pass --changelog"
        ) from None
    return re.search(rf"^## \[{re.escape(version)}\]", text, flags=re.MULTILINE) is not None


def read_records(directory: Path) -> list[AnyRecord]:
    """Every record of a release folder, from its ``.jsonl`` tables (:func:`kzdata.release.write.read_records`)."""
    return list(export.read_records([directory / f"{table}.jsonl" for table in TABLES]))


def release_version(directory: Path) -> str:
    """The dataset version of a release folder (its datapackage.json, else its name)."""
    try:
        return str(json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return directory.name.removeprefix("v")


def diff(old: Path, new: Path) -> list[changes.Change]:
    """Record-level changes from the release folder ``old`` to the release folder ``new``."""
    return changes.compute(
        read_records(old), read_records(new), version=release_version(new), since=release_version(old)
    )


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
    files = export.write_tables(
        rows, target, dataset_version=version, quality=quality, replace=False,
        extra_files={CHANGES_NAME: changes.to_jsonl(found)},
    )  # fmt: skip
    write_index(exports_dir)
    return ReleaseResult(version, target, previous, changes.summary(found), files, warnings)


def _entry(directory: Path) -> dict[str, Any]:
    names = [
        line.name for line in checksums.parse_sums((directory / checksums.SUMS_NAME).read_text("utf-8")) if line.name
    ]
    digests = checksums.digest_all(directory, [*names, checksums.SUMS_NAME])
    try:
        schema_version = json.loads((directory / "datapackage.json").read_text("utf-8")).get("schema_version")
    except (OSError, ValueError):
        schema_version = None
    return {
        "files": {n: {"bytes": d.bytes, "sha256": d.sha256} for n, d in digests.items()},
        "path": f"{directory.name}/",
        "schema_version": schema_version or SCHEMA_VERSION,
    }


def write_index(exports_dir: Path) -> Path:
    """Rewrite ``exports/index.json``: entries already indexed are kept, new releases added."""
    path = exports_dir / INDEX_NAME
    try:
        versions: dict[str, Any] = json.loads(path.read_text("utf-8")).get("versions", {})
    except (OSError, ValueError, AttributeError):
        versions = {}
    found = releases(exports_dir)
    for number, directory in found.items():
        name = format_version(number)
        if name not in versions and (directory / checksums.SUMS_NAME).is_file():
            versions[name] = _entry(directory)
    latest = format_version(max(parse_version(v) for v in versions)) if versions else None
    text = json.dumps({"latest": latest, "versions": versions}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    tmp = path.with_name(f".{INDEX_NAME}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path
