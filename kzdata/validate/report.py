"""The Report of a validation run: every Issue kept, counted per severity and code.

``Report.to_json()`` is the ``--format json`` output, byte for byte; its JSON Schema is
published as ``schema/report.schema.json`` (generated from this model).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from kzdata.records import schema
from kzdata.validate.codes import Severity
from kzdata.validate.issues import Issue


class FileSummary(BaseModel):
    """What was read from one input file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(description="The file as given (or found in a given directory).")
    records: int = Field(ge=0, description="Records read from the file (valid or not).")


class Report(BaseModel):
    """The result of validating a set of files: every issue, counted."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool = Field(description="True when no error was found (warnings allowed).")
    records: int = Field(ge=0, description="Number of records read.")
    files: list[FileSummary] = Field(description="The files read, in the order read.")
    by_severity: dict[Severity, int] = Field(description="Number of issues per severity (reported ones).")
    by_code: dict[str, int] = Field(description="Number of issues per code (reported ones), sorted by code.")
    truncated: bool = Field(description="True when --max-issues cut the list; the counts still cover every issue.")
    issues: list[Issue] = Field(description="The issues, ordered by file and line (in order found within a line).")

    @property
    def errors(self) -> int:
        return self.by_severity.get(Severity.ERROR, 0)

    @property
    def warnings(self) -> int:
        return self.by_severity.get(Severity.WARNING, 0)

    def to_json(self) -> str:
        """Deterministic JSON of the report (sorted keys, two-space indent, trailing newline)."""
        data = self.model_dump(mode="json")
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def build_report(
    issues: Iterable[Issue],
    files: list[FileSummary],
    *,
    file_order: dict[str, int] | None = None,
    severity: Severity = Severity.WARNING,
    max_issues: int | None = None,
) -> Report:
    """Collect issues at or above ``severity`` into a Report, keeping at most ``max_issues``."""
    kept = [i for i in issues if severity == Severity.WARNING or i.severity == Severity.ERROR]
    order = file_order or {}
    kept.sort(key=lambda i: (order.get(i.file, len(order)), i.file, i.line or 0))
    by_severity = Counter(i.severity for i in kept)
    by_code = Counter(i.code for i in kept)
    shown = kept if max_issues is None else kept[:max_issues]
    return Report(
        ok=by_severity[Severity.ERROR] == 0,
        records=sum(f.records for f in files),
        files=files,
        by_severity={s: by_severity[s] for s in Severity},
        by_code=dict(sorted(by_code.items())),
        truncated=len(shown) < len(kept),
        issues=shown,
    )


def report_json_schema() -> dict[str, Any]:
    """JSON Schema of the report (published as schema/report.schema.json)."""
    schema = Report.model_json_schema(mode="serialization")
    schema["description"] = "The result of 'kzdata validate --format json': every issue found, counted."
    return schema


def published_schemas() -> dict[str, dict[str, Any]]:
    """Every JSON Schema kzdata publishes in ``schema/``: the records' and this report's."""
    return schema.generate({"report": report_json_schema})
