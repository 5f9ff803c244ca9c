"""``index.json``: which releases a folder of releases (``exports/``, a host, the cache) holds.

``{"latest": "X.Y.Z", "versions": {"X.Y.Z": {"path": "vX.Y.Z/", "schema_version": …,
"files": {name: {"bytes": n, "sha256": hex}}}}}``. :func:`parse_index` checks a document of
that shape (as a host serves it); :func:`write_index` writes it for ``exports/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kzdata.errors import FetchError
from kzdata.records.schema import SCHEMA_VERSION
from kzdata.release import sums
from kzdata.release.layout import INDEX_NAME, SUMS_NAME, format_version, parse_version, read_package, releases


@dataclass(frozen=True)
class ReleaseEntry:
    """One version listed in a release index."""

    version: str
    path: str
    schema_version: str | None
    files: dict[str, str] = field(default_factory=dict)
    """File name -> SHA-256 (hex) as published in the index."""
    size: int = 0
    """Total bytes of the files, as published in the index (0 if not given)."""
    latest: bool = False

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict (``kzdata download --list --format json``)."""
        return {
            "files": self.files,
            "latest": self.latest,
            "path": self.path,
            "schema_version": self.schema_version,
            "size": self.size,
            "version": self.version,
        }


@dataclass(frozen=True)
class ReleaseIndex:
    """The release index: which versions exist, where, with which files, and which is latest."""

    url: str
    latest: str | None
    entries: dict[str, ReleaseEntry]

    def resolve(self, version: str) -> ReleaseEntry:
        """The entry of ``version`` ('latest', 'X.Y.Z' or 'vX.Y.Z'); FetchError if unknown."""
        wanted = self.latest if version == "latest" else format_version(parse_version(version))
        if wanted is None or wanted not in self.entries:
            known = ", ".join(sorted(self.entries, key=version_key)) or "none"
            raise FetchError(
                f"version {version!r} is not in the release index {self.url}", f"published versions: {known}"
            )
        return self.entries[wanted]


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a version string; one that is not ``X.Y.Z`` sorts first."""
    try:
        return parse_version(version)
    except Exception:  # a malformed version published by a host sorts first rather than failing the listing
        return (-1,)


def parse_index(document: Any, url: str) -> ReleaseIndex:
    """Check the shape of a release index document and turn it into a :class:`ReleaseIndex`."""
    versions = document.get("versions") if isinstance(document, dict) else None
    if not isinstance(versions, dict):
        raise FetchError(f"{url} is not a kzdata release index (no 'versions' object)", "check the base URL")
    latest = document.get("latest")
    entries = {}
    for version, raw in versions.items():
        if not isinstance(raw, dict) or not isinstance(raw.get("files", {}), dict):
            raise FetchError(f"{url}: entry {version!r} is malformed", "the release index must be regenerated")
        infos = [info if isinstance(info, dict) else {} for info in raw.get("files", {}).values()]
        entries[version] = ReleaseEntry(
            version=version,
            path=str(raw.get("path", f"v{version}/")),
            schema_version=raw.get("schema_version"),
            files={name: str(info.get("sha256", "")) for name, info in zip(raw.get("files", {}), infos, strict=True)},
            size=sum(int(info.get("bytes", 0) or 0) for info in infos),
            latest=version == latest,
        )
    return ReleaseIndex(url=url, latest=latest if isinstance(latest, str) else None, entries=entries)


def read_index(root: Path) -> dict[str, Any]:
    """The ``versions`` object of ``root/index.json``; ``{}`` when it is missing or unreadable."""
    try:
        versions = json.loads((root / INDEX_NAME).read_text("utf-8")).get("versions", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return versions if isinstance(versions, dict) else {}


def entry_of(folder: Path) -> dict[str, Any]:
    """The index entry of one release folder: its files (from SHA256SUMS, plus itself), path, schema version."""
    names = [line.name for line in sums.parse_sums((folder / SUMS_NAME).read_text("utf-8")) if line.name]
    digests = sums.digest_all(folder, [*names, SUMS_NAME])
    try:
        schema_version = read_package(folder).get("schema_version")
    except Exception:  # an unreadable data package leaves the schema version to the default
        schema_version = None
    return {
        "files": {n: {"bytes": d.bytes, "sha256": d.sha256} for n, d in digests.items()},
        "path": f"{folder.name}/",
        "schema_version": schema_version or SCHEMA_VERSION,
    }


def write_index(root: Path) -> Path:
    """Rewrite ``root/index.json`` from the release folders under ``root``: the index is a function of them.

    Every complete folder ``vX.Y.Z`` (its ``SHA256SUMS`` written) has an entry; nothing else has.
    A crash between publishing a release and writing the index is repaired by the next call.
    """
    path = root / INDEX_NAME
    versions = {
        format_version(number): entry_of(folder)
        for number, folder in releases(root).items()
        if (folder / SUMS_NAME).is_file()
    }
    latest = format_version(max(parse_version(v) for v in versions)) if versions else None
    text = json.dumps({"latest": latest, "versions": versions}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    tmp = path.with_name(f".{INDEX_NAME}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path
