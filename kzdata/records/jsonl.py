"""Reading and writing JSON Lines streams of mixed records.

``parse_record`` validates one JSON document (str or bytes) into a Source, Actor, Event,
Claim or ClaimRelation, chosen by its ``record_type``. ``iter_records`` reads a stream and raises a
:class:`~kzdata.errors.RecordError` naming the line of the first bad record; the
contributor-facing check that reports *every* problem is :mod:`kzdata.validate`.
``dumps`` is the canonical serialization: sorted keys, UTF-8, no spaces, no trailing newline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import orjson
from pydantic import TypeAdapter, ValidationError

from kzdata.errors import InputError, RecordError
from kzdata.records.kinds import BY_TYPE
from kzdata.records.models import AnyRecord, Record

RECORD_ADAPTER: TypeAdapter[AnyRecord] = TypeAdapter(Record)


def parse_record(document: str | bytes) -> AnyRecord:
    """Validate one JSON document as a record; raises pydantic's ValidationError."""
    return RECORD_ADAPTER.validate_json(document, strict=True)


def dumps(record: AnyRecord) -> str:
    """Canonical JSON of a record: sorted keys, compact, UTF-8, every field present."""
    return orjson.dumps(record.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS).decode("utf-8")


def pointer(*parts: str | int) -> str:
    """A JSON Pointer from path parts, escaping '~' and '/' as RFC 6901 says."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def error_pointer(loc: tuple[str | int, ...]) -> str:
    """The JSON Pointer into the record of a pydantic error location.

    The location of an error from :data:`RECORD_ADAPTER` starts with the record type (the
    union tag) and may name members of a field's union ('int', 'constrained-int'…); neither
    is a key of the record, so both are dropped.
    """
    parts = loc[1:] if loc and loc[0] in BY_TYPE else loc
    return pointer(*[p for p in parts if not _is_union_member(p)])


def _is_union_member(part: str | int) -> bool:
    """pydantic names union members in error locations ('constrained-int', 'float'…); fields never do."""
    return isinstance(part, str) and (part in ("int", "float", "str", "bool") or "-" in part or "[" in part)


def describe(error: ValidationError) -> str:
    """One line per problem: '/pointer: message'."""
    return "; ".join(f"{error_pointer(item['loc']) or '/'}: {item['msg']}" for item in error.errors(include_url=False))


def iter_records(lines: Iterable[str | bytes], *, file: str = "<stream>") -> Iterator[AnyRecord]:
    """Parse a JSON Lines stream; blank lines are skipped, the first bad line raises."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield parse_record(line)
        except ValidationError as error:
            raise RecordError(
                describe(error),
                "fix the record, or run 'kzdata validate' to list every problem",
                file=file,
                line=number,
            ) from None


def write_jsonl(records: Iterable[AnyRecord]) -> str:
    """A whole stream as canonical JSON Lines text, one record per line, '\\n' terminated."""
    return "".join(dumps(record) + "\n" for record in records)


def read_records(paths: Sequence[Path]) -> Iterator[AnyRecord]:
    """The records of JSON Lines files, file after file, each file open only while it is read."""
    for path in paths:
        try:
            handle = path.open("rb")
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}", "pass an existing JSON Lines file") from None
        with handle:
            yield from iter_records(handle, file=str(path))
