"""Every text renderer of the CLI, and the output-format choices of its commands.

Renderers only format a library result; they never decide anything. ``--format json``
output is the library's own serialization (:func:`json_text` of a ``to_json``/``to_dict``
result, or :meth:`kzdata.validate.report.Report.to_json`), never something built here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from enum import StrEnum
from itertools import groupby
from typing import TYPE_CHECKING, Any

import orjson

from kzdata.release.changes import summary
from kzdata.validate.codes import CODES, Severity

if TYPE_CHECKING:  # renderers only read results: importing their modules would slow every command's start
    from kzdata.build.evaluate import EvaluationReport
    from kzdata.build.pipeline import BuildResult
    from kzdata.records.models import Claim
    from kzdata.release.changes import Change
    from kzdata.release.index import ReleaseEntry
    from kzdata.release.verify import VerifyReport
    from kzdata.remote.load import ReleaseInfo
    from kzdata.rules.explain import Explanation
    from kzdata.validate.issues import Issue
    from kzdata.validate.report import Report


class TextOrJson(StrEnum):
    """``--format`` of commands that print text for people or the library's result as JSON."""

    TEXT = "text"
    JSON = "json"


class OutputFormat(StrEnum):
    """Output formats of ``kzdata validate``: text for people, JSON (the Report), GitHub annotations."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


class RecordsFormat(StrEnum):
    """``--format`` of ``kzdata extract``."""

    JSONL = "jsonl"
    JSON = "json"


def json_text(data: Any) -> str:
    """A library result as JSON text: sorted keys, two-space indent, newline-terminated."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


# --- releases -----------------------------------------------------------------------------


def release_info(info: ReleaseInfo) -> str:
    """``kzdata info``: version, schema version, folder, row counts, files verified."""
    lines = [
        f"release         {info.version or '?'}",
        f"schema version  {info.schema_version or '?'}",
        f"folder          {info.path}",
        *(f"  {name:<16}{count:>8} rows" for name, count in info.counts.items()),
        f"checksums       {info.verified} files verified against SHA256SUMS",
    ]
    return "\n".join(lines) + "\n"


def versions(entries: Sequence[ReleaseEntry]) -> str:
    """``kzdata download --list``: one line per published version."""
    return "".join(
        f"{e.version}\tschema {e.schema_version or '?'}\t{len(e.files)} files{'  (latest)' if e.latest else ''}\n"
        for e in entries
    )


def verify_problems(report: VerifyReport) -> str:
    """``kzdata verify`` on stderr: one line per problem."""
    return "".join(problem.describe() + "\n" for problem in report.problems)


def verify_status(report: VerifyReport) -> str:
    """``kzdata verify`` on stdout: the verdict."""
    status = "OK" if report.ok else f"FAILED ({len(report.problems)} problem(s))"
    return f"{report.directory}: {status}: {report.files} files, {report.records} records checked\n"


def changes(found: Iterable[Change]) -> str:
    """``kzdata diff``: one line per change, then the counts."""
    found = list(found)
    counts = ", ".join(f"{n} {kind}" for kind, n in summary(found).items())
    return "".join(change.describe() + "\n" for change in found) + counts + "\n"


# --- extract --------------------------------------------------------------------------------


def explanations(explained: Sequence[tuple[Claim, Explanation]]) -> str:
    """``kzdata extract --explain``: for each claim, its figure and quote, then why the rules made it."""
    blocks = []
    for claim, why in explained:
        value = ""
        if claim.value is not None:
            value = f" {claim.value.qualifier.value} {claim.value.amount if claim.value.amount is not None else ''}"
        head = f"{claim.predicate.value}{value} [{claim.span.start}:{claim.span.end}] {claim.status.value}"
        blocks.append(f"{head}\n  quote: {claim.quote!r}\n" + why.text() + "\n")
    return "\n".join(blocks) if blocks else "no claims found\n"


def explanations_json(explained: Sequence[tuple[Claim, Explanation]]) -> list[dict[str, Any]]:
    """The explanations as JSON-ready dicts: the claim and how it was found."""
    return [
        {
            "claim": claim.model_dump(mode="json"),
            "cue": why.cue,
            "rules": list(why.rules),
            "claimant_chain": list(why.claimant),
            "notes": list(why.notes),
        }
        for claim, why in explained
    ]


# --- build and evaluate -------------------------------------------------------------------


def build_summary(result: BuildResult) -> str:
    """The build's figures as aligned text lines (what ``kzdata build`` prints)."""
    rows = [(f.name.replace("_", " "), getattr(result.stats, f.name)) for f in fields(result.stats)]
    rows.append(("files written", len(result.written)))
    return "".join(f"{label:<18}{value:>6}\n" for label, value in rows)


def build_issues(report: Report) -> str:
    """The validation issues of a build, one line each, located by record id and field."""
    lines = []
    for issue in report.issues:
        where = f" [{issue.pointer}]" if issue.pointer else ""
        lines.append(f"{issue.record_id or issue.file}: {issue.severity.value} {issue.code} {issue.message}{where}\n")
    return "".join(lines)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def evaluation(report: EvaluationReport) -> str:
    """``kzdata evaluate``: a plain-text table of the report, with the findings listed under it.

    Left, the fact matching (precision, recall, claimant and stated_on accuracy); right, the
    span matching (F1 at overlap 0.3 and 0.8; claimant strict and lenient, relay and status
    accuracy over the 0.3 pairs). ``-`` is a ratio with nothing to count.
    """
    header = (
        f"{'predicate':18} {'gold':>5} {'pred':>5} {'match':>5} {'P':>5} {'R':>5} {'claim':>5} {'stated':>6} |"
        f" {'F1@.3':>5} {'F1@.8':>5} {'strict':>6} {'lenient':>7} {'relay':>5} {'status':>6}"
    )
    lines = [header]
    for s in [*report.scores, report.numeric, report.overall, report.named_arrests]:
        if s is report.numeric:
            lines.append("-" * len(header))
        sp = s.span
        lines.append(
            f"{s.predicate:18} {s.gold:5} {s.predicted:5} {s.matched:5} {_cell(s.precision):>5} {_cell(s.recall):>5}"
            f" {_cell(s.claimant_accuracy):>5} {_cell(s.stated_on_accuracy):>6} |"
            f" {_cell(sp.f1_03):>5} {_cell(sp.f1_08):>5} {_cell(sp.claimant_strict_accuracy):>6}"
            f" {_cell(sp.claimant_lenient_accuracy):>7} {_cell(sp.relay_accuracy):>5} {_cell(sp.status_accuracy):>6}"
        )
    targets = ", ".join(f"{name} >= {bar}" for name, bar in report.targets.items())
    lines.append(f"numeric targets ({targets}): {'met' if report.meets_targets else 'NOT met'}")
    for title, findings in (
        ("missed", report.misses),
        ("not in gold", report.false_positives),
        ("wrong claimant", report.claimant_errors),
        ("wrong stated_on", report.date_errors),
        ("wrong claimant family", report.family_errors),
        ("wrong relay", report.relay_errors),
        ("wrong status", report.status_errors),
    ):
        for f in findings:
            detail = f" expected {f.expected} got {f.got}" if f.expected or f.got else ""
            lines.append(f"{title}: {f.article} {f.predicate} {f.value}{detail} :: {f.quote[:80]}")
    return "\n".join(lines) + "\n"


def explore_banner(folder: object, host: str, port: int) -> str:
    """The line ``kzdata explore`` prints before serving."""
    shown = f"[{host}]" if ":" in host else host
    return f"serving {folder} at http://{shown}:{port}/kzdata (read-only; Ctrl-C stops)\n"


# --- validate ---------------------------------------------------------------------------------


_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def validation(report: Report, fmt: OutputFormat, *, colour: bool = False, verbosity: int = 0) -> str:
    """The report in a format; verbosity -1 (quiet), 0 or 1 (verbose) applies to text."""
    if fmt is OutputFormat.JSON:
        return report.to_json()
    if fmt is OutputFormat.GITHUB:
        return report_github(report)
    return report_text(report, colour=colour, verbosity=verbosity)


def _location(issue: Issue) -> str:
    return f"{issue.file}:{issue.line}" if issue.line is not None else issue.file


def text_line(issue: Issue, *, colour: bool = False) -> str:
    """``file:line: severity: CODE message [pointer]`` (severity as mypy prints it: error, warning)."""
    severity = issue.severity.value
    marked = f"{_COLOURS[issue.severity]}{severity}{_RESET}" if colour else severity
    where = f" [{issue.pointer}]" if issue.pointer else ""
    return f"{_location(issue)}: {marked}: {issue.code} {issue.message}{where}"


def report_text(report: Report, *, colour: bool = False, verbosity: int = 0) -> str:
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
        lines.append(report_summary(report))
    return "\n".join(lines) + "\n" if lines else ""


def report_summary(report: Report) -> str:
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


def report_github(report: Report) -> str:
    """GitHub Actions workflow commands, one ``::error``/``::warning`` per issue."""
    out = []
    for issue in report.issues:
        props = [f"file={_escape_property(issue.file)}"]
        if issue.line is not None:
            props.append(f"line={issue.line}")
        props.append(f"title={_escape_property(issue.code + ' ' + CODES[issue.code].title)}")
        where = f" [{issue.pointer}]" if issue.pointer else ""
        out.append(f"::{issue.severity.value} {','.join(props)}::{_escape_data(issue.message + where)}")
    out.append(report_summary(report))
    return "\n".join(out) + "\n"
