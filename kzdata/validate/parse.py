"""Schema check of one document: JSON text -> record, or the Issues that say why not.

The fast path parses and validates each document once with pydantic-core
(``RECORD_ADAPTER.validate_json``). Only when that fails, or when a cheap test says the
line may hold a duplicate key, does the slow path run to locate every problem: UTF-8, JSON
syntax (NaN, Infinity, huge numbers, deep nesting, lone surrogates), duplicate keys, and
then each schema error with its JSON Pointer.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

import orjson
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kzdata.records.jsonl import RECORD_ADAPTER, error_pointer, pointer
from kzdata.records.kinds import BY_TYPE
from kzdata.records.models import Actor, AnyRecord, Claim, Event

Finding = tuple[str, str, str]
"""(code, JSON Pointer, message) of a problem inside one record."""

_VALIDATE_JSON = RECORD_ADAPTER.validator.validate_json
"""pydantic-core's validator itself: the TypeAdapter method only wraps it (per line, that adds up)."""
_KEY = re.compile(rb'"(?:[^"\\]|\\.)*"\s*:')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def parse(data: bytes) -> tuple[AnyRecord | None, list[Finding], str | None]:
    """The record (or None), the findings, and the record id when one could be read."""
    try:
        record: AnyRecord = _VALIDATE_JSON(data, strict=True)
    except ValidationError as error:
        findings, record_id = _locate(data, error)
        return None, findings, record_id
    if data.count(b":") > _field_count(record):
        dups = _duplicates_slow(data) if _key_count(data) > _field_count(record) else []
        if dups:
            return None, dups, record.id
    return record, [], record.id


def _field_count(record: AnyRecord) -> int:
    """Keys the document had, counted from what the models saw (a duplicate key counts once)."""
    count = len(record.model_fields_set)
    if isinstance(record, Claim):
        value = record.value
        return count + len(record.span.model_fields_set) + (len(value.model_fields_set) if value else 0)
    if isinstance(record, Event):
        location = record.location
        count += len(location.model_fields_set) if location else 0
        return count + sum(len(p.model_fields_set) for p in record.participants)
    if isinstance(record, Actor):
        return count + sum(len(r.model_fields_set) for r in record.roles)
    return count


def _key_count(data: bytes) -> int:
    return len(_KEY.findall(data))


def _locate(data: bytes, error: ValidationError) -> tuple[list[Finding], str | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        return [("KZ002", "", f"invalid UTF-8 at byte {bad.start} of the line — save the file as UTF-8")], None
    syntax = _syntax(data, text)
    if syntax is not None:
        return [syntax], None
    tree = _load_tree(text)
    record_id = _record_id(tree)
    dups = _duplicates(tree)
    if dups:
        return dups, record_id
    return _dedupe([_schema_finding(e) for e in error.errors(include_url=False)]), record_id


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per code and pointer (a union reports each member's failure)."""
    kept: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        kept.setdefault((finding[0], finding[1]), finding)
    return list(kept.values())


def _syntax(data: bytes, text: str) -> Finding | None:
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError as bad:
        return _syntax_finding(text, bad.msg, bad.pos)
    return None


_CONSTANTS = ("NaN", "Infinity", "-Infinity")


def _syntax_finding(text: str, msg: str, pos: int) -> Finding:
    rest = text[pos : pos + 9]
    if rest.startswith(_CONSTANTS):
        return (
            "KZ001",
            "",
            f"{rest.split(',')[0].rstrip('}] ')} at column {pos + 1} is not valid JSON — use null or a number",
        )
    if "surrogate" in msg:
        return ("KZ008", "", f"lone surrogate escape at column {pos + 1} — write the character itself, not \\uD8xx")
    if "depth" in msg:
        return ("KZ001", "", "JSON nested too deeply — a record is an object with at most three levels")
    if "infinity" in msg:
        return ("KZ001", "", f"number at column {pos + 1} is too large — write a number that fits a double")
    where = "the end of the line (truncated?)" if pos >= len(text.rstrip()) else f"column {pos + 1}"
    return ("KZ001", "", f"invalid JSON at {where}: {msg} — fix the syntax")


class _Object(dict[str, Any]):
    dups: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    obj.dups = []
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen and key not in obj.dups:
                obj.dups.append(key)
            seen.add(key)
    return obj


def _load_tree(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=lambda s: 0, parse_constant=lambda s: 0)
    except (ValueError, RecursionError):
        return None


def _duplicates_slow(data: bytes) -> list[Finding]:
    return _duplicates(_load_tree(data.decode("utf-8")))


def _duplicates(tree: Any, path: tuple[str | int, ...] = ()) -> list[Finding]:
    out: list[Finding] = []
    if isinstance(tree, _Object):
        out.extend(
            ("KZ005", pointer(*path, k), f"key {k!r} appears more than once — keep one (JSON parsers keep the last)")
            for k in tree.dups
        )
        for key, value in tree.items():
            out.extend(_duplicates(value, (*path, key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out.extend(_duplicates(value, (*path, index)))
    return out


def _record_id(tree: Any) -> str | None:
    if isinstance(tree, dict) and isinstance(tree.get("id"), str) and not _SURROGATE.search(tree["id"]):
        return str(tree["id"])
    return None


_CODES = {
    "missing": "KZ102",
    "extra_forbidden": "KZ103",
    "enum": "KZ105",
    "literal_error": "KZ105",
    "string_pattern_mismatch": "KZ106",
    "greater_than_equal": "KZ107",
    "less_than_equal": "KZ107",
    "greater_than": "KZ107",
    "less_than": "KZ107",
    "string_too_short": "KZ107",
    "finite_number": "KZ107",
    "union_tag_not_found": "KZ101",
    "union_tag_invalid": "KZ101",
    "json_invalid": "KZ001",
}


def _schema_finding(error: ErrorDetails) -> Finding:
    kind = error["type"]
    loc = list(error["loc"])
    if loc and loc[0] in BY_TYPE:
        loc = loc[1:]
    record_type = str(error["loc"][0]) if error["loc"] else ""
    where = error_pointer(error["loc"])
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return (
            "KZ101",
            "/record_type",
            f"record_type is missing or unknown — set it to one of: {', '.join(BY_TYPE)}",
        )
    code = _CODES.get(kind, "KZ104" if kind.endswith("_type") or kind.endswith("_parsing") else "KZ108")
    return (code, where, _message(kind, error, loc, record_type))


def _message(kind: str, error: ErrorDetails, loc: list[Any], record_type: str) -> str:
    field = str(loc[-1]) if loc else "record"
    given = _short(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"required field {field!r} is missing — add it"
    if kind == "extra_forbidden":
        return f"unknown field {field!r} — remove it{_suggest(field, record_type, loc)}"
    if kind in ("enum", "literal_error"):
        return f"{given} is not allowed here — use one of: {ctx.get('expected', '?')}"
    if kind == "string_pattern_mismatch":
        return f"{given} does not match the pattern {ctx.get('pattern')} — fix the value (ids: see docs/issues.md)"
    return f"{error['msg']} (got {given}) — fix the value"


def _suggest(field: str, record_type: str, loc: list[Any]) -> str:
    kind = BY_TYPE.get(record_type)
    model = kind.model if kind else None
    if model is None or len(loc) != 1:
        return ""
    close = difflib.get_close_matches(field, list(model.model_fields), n=1)
    return f" or rename it to {close[0]!r}" if close else ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
