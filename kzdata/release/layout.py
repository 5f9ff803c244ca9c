"""What a release folder is: its file names, its version, and its ``datapackage.json``.

A release is a folder ``vX.Y.Z/`` holding the tables (``<table>.jsonl|.parquet|.csv``, one per
:data:`kzdata.records.kinds.TABLES`), ``datapackage.json``, the card ``README.md``,
``CITATION.cff``, ``changes.jsonl`` and ``SHA256SUMS`` over all of them; a folder of releases
(``exports/``, a host, the cache) also holds ``index.json``. This module is the one place that
knows those names and parses versions; :mod:`kzdata.release.sums` knows ``SHA256SUMS`` and
:mod:`kzdata.release.index` knows ``index.json``.

Versions are SemVer ``MAJOR.MINOR.PATCH`` (``v`` prefix allowed): MAJOR a breaking schema change,
MINOR records or fields added, PATCH corrections.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kzdata.errors import InputError, UsageError
from kzdata.records.kinds import TABLES

PACKAGE_NAME = "datapackage.json"
INDEX_NAME = "index.json"
CHANGES_NAME = "changes.jsonl"
CARD_NAME = "README.md"
CITATION_NAME = "CITATION.cff"
SUMS_NAME = "SHA256SUMS"
RECORD_FILES = tuple(f"{table}.jsonl" for table in TABLES)
"""The files of a release folder that hold its records (one per table)."""

SEMVER = re.compile(r"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
Version = tuple[int, int, int]


def is_version(text: str) -> bool:
    """True for ``'1.2.3'`` or ``'v1.2.3'``."""
    return SEMVER.match(text.strip()) is not None


def parse_version(text: str) -> Version:
    """``'1.2.3'`` (or ``'v1.2.3'``) → ``(1, 2, 3)``; anything else is a UsageError."""
    match = SEMVER.match(text.strip())
    if not match:
        raise UsageError(f"{text!r} is not a release version", "give a version like 0.1.0 (MAJOR.MINOR.PATCH)")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def format_version(version: Version) -> str:
    """``(1, 2, 3)`` → ``'1.2.3'``."""
    return ".".join(str(n) for n in version)


def normalize_version(text: str) -> str:
    """``'v0.1.0'`` or ``'0.1.0'`` → ``'0.1.0'``; UsageError for anything that is not a version."""
    return format_version(parse_version(text))


def folder_name(version: str) -> str:
    """The folder a release lives in: ``'0.1.0'`` → ``'v0.1.0'``."""
    return f"v{normalize_version(version)}"


def releases(root: Path) -> dict[Version, Path]:
    """The release folders (``vX.Y.Z``) directly under ``root``, oldest first."""
    if not root.is_dir():
        return {}
    found = {parse_version(p.name): p for p in root.iterdir() if p.is_dir() and SEMVER.match(p.name)}
    return dict(sorted(found.items()))


def read_package(folder: Path) -> dict[str, Any]:
    """The ``datapackage.json`` of a release folder; ``{}`` when it has none.

    A file that is not a JSON object raises :class:`~kzdata.errors.InputError` naming it.
    """
    path = folder / PACKAGE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}", "the release is malformed; download or rebuild it") from None
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InputError(f"{path} is not valid JSON: {error}", "the release is malformed") from None
    if not isinstance(document, dict):
        raise InputError(f"{path} is not a data package (not a JSON object)", "the release is malformed")
    return document


def release_tables(folder: Path) -> list[str]:
    """The tables a release folder holds, in table order: an older release predates newer tables.

    A table belongs to the release when its ``.jsonl`` is listed in ``SHA256SUMS`` (or, without
    a list, when the file is there).
    """
    try:
        lines = (folder / SUMS_NAME).read_text("utf-8").splitlines()
        listed = {line.split("  ", 1)[1] for line in lines if "  " in line}
    except (OSError, UnicodeDecodeError):
        listed = {p.name for p in folder.glob("*.jsonl")} if folder.is_dir() else set()
    return [table for table in TABLES if f"{table}.jsonl" in listed]


def is_release_folder(folder: Path) -> bool:
    """True when ``folder`` holds a release's descriptor (``datapackage.json``)."""
    return (folder / PACKAGE_NAME).is_file()


def release_version(folder: Path) -> str | None:
    """The dataset version of a release folder: its data package's, else its name's, else None."""
    try:
        version = read_package(folder).get("version")
    except InputError:
        version = None
    if isinstance(version, str):
        return version
    return normalize_version(folder.name) if is_version(folder.name) else None
