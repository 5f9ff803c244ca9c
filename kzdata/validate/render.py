"""Renderers of a Report: text for people, JSON for programs, GitHub workflow annotations.

Renderers only format; they never decide validity. ``json`` is exactly
:meth:`Report.to_json`.
"""

from __future__ import annotations

from enum import StrEnum
from itertools import groupby

from kzdata.validate.codes import CODES, Severity
from kzdata.validate.issues import Issue
from kzdata.validate.report import Report


class OutputFormat(StrEnum):
    """Output formats of ``kzdata validate``."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def render(report: Report, fmt: OutputFormat, *, colour: bool = False, verbosity: int = 0) -> str:
    """The report in a format; verbosity -1 (quiet), 0 or 1 (verbose) applies to text."""
    if fmt is OutputFormat.JSON:
        return report.to_json()
    if fmt is OutputFormat.GITHUB:
        return github(report)
    return text(report, colour=colour, verbosity=verbosity)


def _location(issue: Issue) -> str:
    return f"{issue.file}:{issue.line}" if issue.line is not None else issue.file


def text_line(issue: Issue, *, colour: bool = False) -> str:
    """``file:line: severity: CODE message [pointer]`` (severity as mypy prints it: error, warning)."""
    severity = issue.severity.value
    marked = f"{_COLOURS[issue.severity]}{severity}{_RESET}" if colour else severity
    where = f" [{issue.pointer}]" if issue.pointer else ""
    return f"{_location(issue)}: {marked}: {issue.code} {issue.message}{where}"


def text(report: Report, *, colour: bool = False, verbosity: int = 0) -> str:
    """Issues grouped by file, then a summary line (omitted when quiet)."""
    lines: list[str] = []
    for file, issues in groupby(report.issues, key=lambda i: i.file):
        if verbosity > 0 or len(report.files) > 1:
            lines.append(f"{_BOLD}{file}{_RESET}" if colour else file)
        lines.extend(text_line(i, colour=colour) for i in issues)
    if verbosity > 0:
        lines.extend(f"  read {f.path}: {f.records} record(s)" for f in report.files)
        lines.extend(f"  {code}: {n} × {CODES[code].title}" for code, n in report.by_code.items())
    if verbosity >= 0:
        lines.append(summary(report))
    return "\n".join(lines) + "\n" if lines else ""


def summary(report: Report) -> str:
    """One line: how many errors and warnings in how many records and files."""
    files = len(report.files)
    counts = f"{report.errors} error(s), {report.warnings} warning(s)"
    cut = f" (showing the first {len(report.issues)})" if report.truncated else ""
    verdict = "ok" if report.ok else "invalid"
    return f"{verdict}: {counts} in {report.records} record(s) from {files} file(s){cut}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """GitHub Actions workflow commands, one ``::error``/``::warning`` per issue."""
    out = []
    for issue in report.issues:
        props = [f"file={_escape_property(issue.file)}"]
        if issue.line is not None:
            props.append(f"line={issue.line}")
        props.append(f"title={_escape_property(issue.code + ' ' + CODES[issue.code].title)}")
        where = f" [{issue.pointer}]" if issue.pointer else ""
        out.append(f"::{issue.severity.value} {','.join(props)}::{_escape_data(issue.message + where)}")
    out.append(summary(report))
    return "\n".join(out) + "\n"
