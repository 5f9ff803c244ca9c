"""An Issue: one problem found in the data, located precisely, with the fix in its message."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from kzdata.validate.codes import Severity, severity_of


class Issue(BaseModel):
    """One problem in one record (or file), with what is wrong and how to fix it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, Field(pattern=r"^KZ[0-9]{3}$", description="Stable issue code, see docs/issues.md.")]
    severity: Severity = Field(description="'error' fails validation; 'warning' fails only with --strict.")
    message: str = Field(description="What is wrong and how to fix it.")
    file: str = Field(description="The file the problem is in, as given on the command line ('<stdin>' for -).")
    line: Annotated[int, Field(ge=1)] | None = Field(
        description="1-based line (for CSV: the first line of the row; in-memory: the record's position); "
        "null for a problem with the whole file or directory."
    )
    record_id: str | None = Field(description="Id of the record, when it could be read.")
    pointer: str = Field(description="JSON Pointer (RFC 6901) to the field in the record; '' for the whole record.")


def make_issue(
    code: str, message: str, *, file: str, line: int | None, record_id: str | None = None, pointer: str = ""
) -> Issue:
    """An Issue with the severity of its code."""
    return Issue(
        code=code,
        severity=severity_of(code),
        message=message,
        file=file,
        line=line,
        record_id=record_id,
        pointer=pointer,
    )
