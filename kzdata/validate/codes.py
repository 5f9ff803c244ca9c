"""The catalogue of validation issue codes: one stable code per kind of problem.

Codes never change meaning and are never reused; ``docs/issues.md`` documents each one with
an example and the fix (a test fails when a code lacks its entry). Families:

- ``KZ0xx`` input: the bytes of a file or line cannot be read as a record document;
- ``KZ1xx`` schema: a field breaks the record contract (types, vocabularies, patterns);
- ``KZ2xx`` references: an id that does not resolve;
- ``KZ3xx`` provenance: quotes, spans and texts that do not agree;
- ``KZ4xx`` time: dates in the wrong order or outside the dataset's window;
- ``KZ5xx`` quantities: figures, bounds, units and qualifiers that do not agree;
- ``KZ6xx`` cross-record: duplicates, colliding aliases, falling counts, non-deterministic ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad an issue is: errors fail validation, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem: its stable code, severity and a short title."""

    code: str
    severity: Severity
    title: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("KZ001", _E, "line is not valid JSON"),
        Code("KZ002", _E, "bytes are not valid UTF-8"),
        Code("KZ003", _E, "file starts with a byte order mark"),
        Code("KZ004", _E, "line longer than the line-length limit"),
        Code("KZ005", _E, "duplicate key in a JSON object"),
        Code("KZ006", _E, "no records found"),
        Code("KZ007", _E, "file or row layout not recognised"),
        Code("KZ008", _E, "lone surrogate in a string"),
        Code("KZ101", _E, "record_type missing or unknown"),
        Code("KZ102", _E, "required field missing"),
        Code("KZ103", _E, "unknown field"),
        Code("KZ104", _E, "wrong type"),
        Code("KZ105", _E, "value not in the controlled vocabulary"),
        Code("KZ106", _E, "value does not match the required pattern"),
        Code("KZ107", _E, "value out of range"),
        Code("KZ108", _E, "other schema violation"),
        Code("KZ201", _E, "source_id does not resolve"),
        Code("KZ202", _E, "actor id does not resolve"),
        Code("KZ203", _E, "event_id does not resolve"),
        Code("KZ204", _E, "claim id does not resolve"),
        Code("KZ301", _E, "quote differs from the source text at the span"),
        Code("KZ302", _E, "span outside the source text"),
        Code("KZ303", _E, "source sha256 differs from its text"),
        Code("KZ304", _E, "source length differs from its text"),
        Code("KZ305", _W, "source text not found; provenance not checked"),
        Code("KZ306", _E, "span is empty or reversed"),
        Code("KZ307", _E, "span length differs from the quote length"),
        Code("KZ308", _E, "source text is not valid UTF-8"),
        Code("KZ401", _E, "claim stated after its source was published"),
        Code("KZ402", _E, "as_of after stated_on"),
        Code("KZ403", _E, "end before start"),
        Code("KZ404", _W, "date outside the dataset's window"),
        Code("KZ501", _E, "bounds out of order (low <= amount <= high)"),
        Code("KZ502", _E, "unit does not fit the predicate"),
        Code("KZ503", _E, "qualifier inconsistent with amount, low and high"),
        Code("KZ504", _W, "numeric predicate without a value"),
        Code("KZ601", _E, "duplicate id"),
        Code("KZ602", _E, "duplicate claim (same source, span and predicate)"),
        Code("KZ603", _E, "one alias names two actors"),
        Code("KZ604", _W, "cumulative figure falls over time"),
        Code("KZ605", _W, "id does not follow the deterministic id rule"),
    )
}


def severity_of(code: str) -> Severity:
    """The severity of a code (KeyError for an unknown code: a bug in kzdata)."""
    return CODES[code].severity
