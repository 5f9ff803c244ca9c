"""Verify a release folder: every file's hash and size, and every record.

Three documents witness the bytes of a release: ``SHA256SUMS`` (every file),
``datapackage.json`` (every file but itself and SHA256SUMS, with sizes) and, for a release
inside ``exports/``, ``exports/index.json`` (every file, with sizes). For each file the
actual SHA-256 and size are compared with each witness. When the file agrees with none of
them, the file changed; when it agrees with some, the disagreeing witness is the file that
changed. Either way the problem names the file, what was expected and what was found.

The records are then re-read from the ``.jsonl`` tables, checked against the table they are
in and their order, compared with the Parquet tables, and re-validated with
:func:`kzdata.validate.validate_records` (errors are problems; warnings are counted).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from kzdata.errors import InputError, UsageError
from kzdata.formats import parquet
from kzdata.records import kinds
from kzdata.records.jsonl import read_records
from kzdata.records.models import AnyRecord
from kzdata.release import sums
from kzdata.release.layout import SUMS_NAME, release_tables
from kzdata.validate import validate_records

PACKAGE = "datapackage.json"


@dataclass(frozen=True)
class Problem:
    """One thing in a release that is not as published."""

    file: str
    check: str
    message: str
    expected: str | None = None
    found: str | None = None

    def describe(self) -> str:
        detail = f" (expected {self.expected}, found {self.found})" if self.expected or self.found else ""
        return f"{self.file}: {self.message}{detail}"


@dataclass
class VerifyReport:
    """The result of :func:`verify`: ``ok`` when no problem was found."""

    directory: str
    files: int = 0
    records: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> str:
        data: dict[str, Any] = {"ok": self.ok, **asdict(self)}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Witness:
    """What one document says a file should be."""

    name: str
    sha256: str | None
    size: int | None


def _read_sums(directory: Path, report: VerifyReport) -> dict[str, str]:
    try:
        text = (directory / SUMS_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        report.problems.append(Problem(SUMS_NAME, "missing", f"cannot read the checksum list: {error}"))
        return {}
    listed: dict[str, str] = {}
    for line in sums.parse_sums(text):
        if line.name is None or line.sha256 is None:
            report.problems.append(Problem(SUMS_NAME, "malformed", f"line {line.number} is not '<sha256>  <name>'"))
        else:
            listed[line.name] = line.sha256
    return listed


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _witnesses(directory: Path, sums: dict[str, str]) -> dict[str, list[Witness]]:
    out: dict[str, list[Witness]] = {name: [Witness(SUMS_NAME, sha, None)] for name, sha in sums.items()}
    package = _read_json(directory / PACKAGE)
    for resource in package.get("resources", []) if isinstance(package, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("path"), str):
            sha = str(resource.get("hash", "")).removeprefix("sha256:") or None
            out.setdefault(resource["path"], []).append(Witness(PACKAGE, sha, resource.get("bytes")))
    index = _read_json(directory.parent / "index.json")
    entry = index.get("versions", {}).get(directory.name.removeprefix("v")) if isinstance(index, dict) else None
    for name, item in (entry or {}).get("files", {}).items():
        out.setdefault(name, []).append(Witness("index.json", item.get("sha256"), item.get("bytes")))
    return out


def _check_file(directory: Path, name: str, witnesses: list[Witness], report: VerifyReport) -> None:
    path = directory / name
    if not path.is_file():
        said = ", ".join(w.name for w in witnesses)
        report.problems.append(Problem(name, "missing", f"listed in {said} but missing", "a file", "nothing"))
        return
    actual = sums.digest(path)
    agree = [w for w in witnesses if w.sha256 in (None, actual.sha256) and w.size in (None, actual.bytes)]
    if not agree:
        what, expected, found = _difference(witnesses[0], actual)
        report.problems.append(Problem(name, what, f"{what} differs from {witnesses[0].name}", expected, found))
        return
    for w in witnesses:
        if w not in agree:
            what, expected, found = _difference(w, actual)
            message = f"lists the {what} of {name} wrongly (the file agrees with {', '.join(a.name for a in agree)})"
            report.problems.append(Problem(w.name, "listing", message, expected, found))


def _difference(witness: Witness, actual: sums.FileDigest) -> tuple[str, str, str]:
    """What differs between a witness and a file: ('sha256'|'size', expected, found)."""
    if witness.sha256 is not None and witness.sha256 != actual.sha256:
        return "sha256", witness.sha256, actual.sha256
    return "size", str(witness.size), str(actual.bytes)


def check_files(directory: Path, report: VerifyReport) -> None:
    """Compare every file with what SHA256SUMS, datapackage.json and index.json say of it."""
    sums = _read_sums(directory, report)
    witnesses = _witnesses(directory, sums)
    present = sorted(p.name for p in directory.iterdir() if p.is_file())
    if SUMS_NAME in witnesses:  # the checksum list itself first: when it is not as published, that is the cause
        _check_file(directory, SUMS_NAME, witnesses[SUMS_NAME], report)
    for name in present:
        if name not in sums and name != SUMS_NAME:
            report.problems.append(Problem(name, "unlisted", f"not listed in {SUMS_NAME}", "no such file", "a file"))
    for name in sorted(witnesses):
        if name in sums and name != SUMS_NAME:
            _check_file(directory, name, witnesses[name], report)
    report.files = len(present)


def _table_records(directory: Path, table: str, report: VerifyReport) -> list[AnyRecord]:
    path = directory / f"{table}.jsonl"
    try:
        rows = list(read_records([path]))
    except InputError as error:
        report.problems.append(Problem(path.name, "records", f"cannot be read as records: {error}"))
        return []
    wrong = [r.id for r in rows if kinds.BY_TYPE[r.record_type].table != table]
    if wrong:
        report.problems.append(Problem(path.name, "records", f"holds records of another table: {', '.join(wrong[:3])}"))
    ids = [r.id for r in rows]
    if ids != sorted(set(ids)):
        report.problems.append(Problem(path.name, "records", "rows are not sorted by unique id"))
    _compare_parquet(directory, table, rows, report)
    return rows


def _compare_parquet(directory: Path, table: str, rows: list[AnyRecord], report: VerifyReport) -> None:
    name = f"{table}.parquet"
    try:
        back = parquet.from_table(pq.read_table(directory / name), kinds.BY_TABLE[table].model)
    except Exception as error:  # any unreadable Parquet is a finding, whatever pyarrow raises
        report.problems.append(Problem(name, "records", f"cannot be read: {type(error).__name__}: {error}"))
        return
    if back != rows:
        report.problems.append(Problem(name, "records", f"records differ from {table}.jsonl"))


def check_records(directory: Path, report: VerifyReport, texts: Path | None = None) -> None:
    """Re-read the JSONL tables, compare them with the Parquet tables and re-validate them."""
    records = [r for table in release_tables(directory) for r in _table_records(directory, table, report)]
    report.records = len(records)
    result = validate_records(records, texts=texts, file="<release>")
    for issue in result.issues:
        if issue.severity == "error":
            file = _table_file(issue.record_id)
            message = f"{issue.code} {issue.record_id or ''} {issue.pointer}: {issue.message}"
            report.problems.append(Problem(file, "validation", message))
    report.warnings = result.warnings


def _table_file(record_id: str | None) -> str:
    """The .jsonl table a record id belongs to (by its prefix), or '<release>'."""
    kind = kinds.kind_of_id(record_id)
    return f"{kind.table}.jsonl" if kind else "<release>"


def verify(directory: Path, *, texts: Path | None = None) -> VerifyReport:
    """Check a release folder; the report lists every file or record that is not as published."""
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a folder", "pass a release folder or a version like 0.1.0")
    report = VerifyReport(str(directory))
    check_files(directory, report)
    check_records(directory, report, texts)
    return report
