"""Every text renderer of the CLI, and the output-format choices of its commands.

Renderers only format a library result; they never decide anything. ``--format json``
output is the library's own serialization (:func:`json_text` of a ``to_json``/``to_dict``
result, or :meth:`kzdata.validate.report.Report.to_json`), never something built here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import orjson

from kzdata.release.changes import summary

if TYPE_CHECKING:  # renderers only read results: importing their modules would slow every command's start
    from kzdata.build.evaluate import EvaluationReport
    from kzdata.build.pipeline import BuildResult
    from kzdata.records.models import Claim
    from kzdata.release.changes import Change
    from kzdata.release.index import ReleaseEntry
    from kzdata.release.verify import VerifyReport
    from kzdata.remote.load import ReleaseInfo
    from kzdata.rules.explain import Explanation
    from kzdata.validate.report import Report


class TextOrJson(StrEnum):
    """``--format`` of commands that print text for people or the library's result as JSON."""

    TEXT = "text"
    JSON = "json"


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
    """``kzdata evaluate``: a plain-text table of the report, with the findings listed under it."""
    lines = [
        f"{'predicate':18} {'gold':>5} {'pred':>5} {'match':>5} {'precision':>9} {'recall':>7} {'claimant':>8}"
        f" {'stated_on':>9}"
    ]
    for s in [*report.scores, report.numeric]:
        if s is report.numeric:
            lines.append("-" * len(lines[0]))
        lines.append(
            f"{s.predicate:18} {s.gold:5} {s.predicted:5} {s.matched:5} {_cell(s.precision):>9} "
            f"{_cell(s.recall):>7} {_cell(s.claimant_accuracy):>8} {_cell(s.stated_on_accuracy):>9}"
        )
    targets = ", ".join(f"{name} >= {bar}" for name, bar in report.targets.items())
    lines.append(f"numeric targets ({targets}): {'met' if report.meets_targets else 'NOT met'}")
    for title, findings in (
        ("missed", report.misses),
        ("not in gold", report.false_positives),
        ("wrong claimant", report.claimant_errors),
        ("wrong stated_on", report.date_errors),
    ):
        for f in findings:
            detail = f" expected {f.expected} got {f.got}" if f.expected or f.got else ""
            lines.append(f"{title}: {f.article} {f.predicate} {f.value}{detail} :: {f.quote[:80]}")
    return "\n".join(lines) + "\n"


def explore_banner(folder: object, host: str, port: int) -> str:
    """The line ``kzdata explore`` prints before serving."""
    shown = f"[{host}]" if ":" in host else host
    return f"serving {folder} at http://{shown}:{port}/kzdata (read-only; Ctrl-C stops)\n"
