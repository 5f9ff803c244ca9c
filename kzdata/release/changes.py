"""Record-level changes between two sets of records (two releases): added, changed, withdrawn.

A record is matched by its ``id``. A changed record lists each changed field as a JSON
Pointer (RFC 6901) into its JSON form with the old and the new value; nested objects are
compared field by field, lists of equal length item by item, other lists as a whole. A
withdrawn record leaves a tombstone: its id, its record type and the version it left in.

``changes.jsonl`` of a release holds one :meth:`Change.to_json` object per line, sorted by id::

    {"added_in": "0.2.0", "change": "added", "id": "clm-…", "record_type": "claim", "since": "0.1.0"}
    {"change": "changed", "changed_in": "0.2.0", "fields": [{"new": 5969, "old": 5800,
     "pointer": "/value/amount"}], "id": "clm-…", "record_type": "claim", "since": "0.1.0"}
    {"change": "withdrawn", "id": "act-…", "record_type": "actor", "since": "0.1.0", "withdrawn_in": "0.2.0"}

``since`` is the previous release compared against (null for the first release, in which
every record is ``added``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from kzdata.records import jsonl
from kzdata.records.models import AnyRecord

Kind = Literal["added", "changed", "withdrawn"]


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a record."""

    pointer: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"new": self.new, "old": self.old, "pointer": self.pointer}


@dataclass(frozen=True)
class Change:
    """One record added, changed or withdrawn in ``version`` since ``since``."""

    change: Kind
    id: str
    record_type: str
    version: str
    since: str | None
    fields: tuple[FieldChange, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The ``changes.jsonl`` object of this change."""
        out: dict[str, Any] = {"change": self.change, "id": self.id, "record_type": self.record_type}
        out[f"{self.change}_in"] = self.version
        out["since"] = self.since
        if self.change == "changed":
            out["fields"] = [f.to_json() for f in self.fields]
        return out

    def describe(self) -> str:
        """One line (or more, one per field) of text for ``kzdata diff``."""
        head = f"{self.change:<9} {self.record_type:<14} {self.id}"
        lines = [head] + [
            f"    {f.pointer}: {_short(f.old)} → {_short(f.new)}" for f in self.fields
        ]  # fmt: skip
        return "\n".join(lines)


def _short(value: Any, limit: int = 80) -> str:
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_changes(old: Any, new: Any, pointer: str = "") -> list[FieldChange]:
    """The changed leaves between two JSON values, as JSON Pointers."""
    if old == new and type(old) is type(new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in sorted(old.keys() | new.keys()):
            out += field_changes(old.get(key), new.get(key), pointer + jsonl.pointer(key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [c for i, (a, b) in enumerate(zip(old, new, strict=True)) for c in field_changes(a, b, f"{pointer}/{i}")]
    return [FieldChange(pointer, old, new)]


def compute(old: Iterable[AnyRecord], new: Iterable[AnyRecord], *, version: str, since: str | None) -> list[Change]:
    """Changes from the records ``old`` to the records ``new``, sorted by id."""
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    out: list[Change] = []
    for rid in sorted(before.keys() | after.keys()):
        a, b = before.get(rid), after.get(rid)
        if a is None and b is not None:
            out.append(Change("added", rid, b.record_type, version, since))
        elif b is None and a is not None:
            out.append(Change("withdrawn", rid, a.record_type, version, since))
        elif a is not None and b is not None:
            fields = field_changes(a.model_dump(mode="json"), b.model_dump(mode="json"))
            if fields:
                out.append(Change("changed", rid, b.record_type, version, since, tuple(fields)))
    return out


def to_jsonl(changes: Iterable[Change]) -> bytes:
    """``changes.jsonl`` bytes: one sorted-keys JSON object per line, '\\n' terminated."""
    return b"".join(orjson.dumps(c.to_json(), option=orjson.OPT_SORT_KEYS) + b"\n" for c in changes)


def to_json_text(changes: Iterable[Change]) -> str:
    """The changes as one JSON array (``kzdata diff --format json``), 2-space indent, newline."""
    rows = [c.to_json() for c in changes]
    return orjson.dumps(rows, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def summary(changes: Iterable[Change]) -> dict[str, int]:
    """Number of changes of each kind."""
    counts = {"added": 0, "changed": 0, "withdrawn": 0}
    for change in changes:
        counts[change.change] += 1
    return counts
