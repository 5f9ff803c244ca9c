"""``CODEBOOK.md``: every table, field and vocabulary value of a release, with its meaning.

Generated from the record models (field names, types, descriptions), the vocabularies (each
value's definition) and the registry of record kinds (tables, id prefixes), so it cannot drift
from the data: ``tests/test_formats_codebook.py`` checks that every field and every value is
in it. Examples are taken from the release's own records where one is at hand. Sections that
document derived tables (how relations and quantities are made) are given by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kzdata.formats.parquet import strip_annotation
from kzdata.records import vocab
from kzdata.records.kinds import KINDS, RecordKind
from kzdata.records.models import AnyRecord

VOCABULARIES: tuple[type[vocab.Vocab], ...] = tuple(
    v for v in vars(vocab).values() if isinstance(v, type) and issubclass(v, vocab.Vocab) and v is not vocab.Vocab
)
"""Every controlled vocabulary, in the order :mod:`kzdata.records.vocab` declares them."""

_SCALARS = {str: "text", int: "integer", float: "number", bool: "boolean", date: "date (YYYY-MM-DD)"}


def type_name(annotation: Any) -> str:
    """A reader's name for a field's type: ``text``, ``date``, ``Predicate``, ``list of text``…"""
    core, nullable = strip_annotation(annotation)
    suffix = ", or null" if nullable else ""
    if core in _SCALARS:
        return _SCALARS[core] + suffix
    if get_origin(core) is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(core)) + suffix
    if isinstance(core, type) and issubclass(core, vocab.Vocab):
        return f"[{core.__name__}](#{core.__name__.lower()}){suffix}"
    if get_origin(core) is list:
        return "list of " + type_name(get_args(core)[0]).removesuffix(", or null") + suffix
    if isinstance(core, type) and issubclass(core, BaseModel):
        return f"object ({core.__name__}){suffix}"
    return str(core) + suffix


def _cell(value: object, limit: int | None = None) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _example(records: Sequence[dict[str, Any]], path: Sequence[str]) -> str:
    for record in records:
        value: Any = record
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value not in (None, [], ""):
            return f"`{_cell(value, 60).replace('`', chr(39))}`"
    return "–"


def _rows(model: type[BaseModel], records: Sequence[dict[str, Any]], prefix: tuple[str, ...] = ()) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        rows.append(_row(name, info, records, prefix))
        core, _ = strip_annotation(info.annotation)
        if get_origin(core) is list:  # a list of objects: its items' fields, as `roles.title`
            core, _ = strip_annotation(get_args(core)[0])
        if isinstance(core, type) and issubclass(core, BaseModel):
            rows += _rows(core, records, (*prefix, name))
    return rows


def _row(name: str, info: FieldInfo, records: Sequence[dict[str, Any]], prefix: tuple[str, ...]) -> str:
    path = (*prefix, name)
    required = "yes" if info.is_required() and not strip_annotation(info.annotation)[1] else "no"
    meaning = _cell(info.description or "")
    return f"| `{'.'.join(path)}` | {type_name(info.annotation)} | {required} | {meaning} | {_example(records, path)} |"


def table_section(kind: RecordKind, records: Sequence[AnyRecord]) -> str:
    """The section of one table: what a row is, its id rule, and one line per field."""
    dumped = [r.model_dump(mode="json") for r in sorted(records, key=lambda r: r.id)[:50]]  # any input order
    doc = (kind.model.__doc__ or "").strip().splitlines()[0]
    id_rule = kind.model.model_fields["id"].description or ""
    header = ["| field | type | required | meaning | example |", "|---|---|---|---|---|"]
    return "\n".join(
        [
            f"### `{kind.table}`",
            "",
            f"{doc} Files: `{kind.table}.jsonl`, `{kind.table}.parquet`, `{kind.table}.csv`"
            f"{' (derived at build time, never edited by hand)' if kind.derived else ''}.",
            f"Id: `{kind.prefix}-…`, {id_rule[0].lower() + id_rule[1:] if id_rule else ''}",
            "",
            *header,
            *_rows(kind.model, dumped),
            "",
        ]
    )


def vocabulary_section(vocabulary: type[vocab.Vocab]) -> str:
    """One vocabulary: every value with its definition, in vocabulary order."""
    rows = [f"| `{value}` | {_cell(text)} |" for value, text in vocabulary.definitions().items()]
    doc = (vocabulary.__doc__ or "").strip()
    return "\n".join([f"### {vocabulary.__name__}", "", doc, "", "| value | definition |", "|---|---|", *rows, ""])


def render_codebook(
    tables: Mapping[str, Sequence[AnyRecord]],
    *,
    dataset_version: str,
    schema_version: str,
    rules: Mapping[str, str] | None = None,
) -> str:
    """The text of ``CODEBOOK.md``; ``rules`` adds sections (title → Markdown) on derived tables."""
    parts = [
        f"# kzdata codebook — dataset {dataset_version}, schema {schema_version}",
        "",
        "Every table of the release, every field with its type, meaning and an example from this",
        "release, and every vocabulary value with its definition. Nested fields are written",
        "`parent.child` here; in the CSV they are `parent_child` columns, in Parquet struct fields.",
        "`null` means not stated (in CSV an empty cell). Dates are days (`YYYY-MM-DD`); each date",
        "has a `*_precision` field saying whether it is the exact day, or the first day of a week,",
        "month or year.",
        "",
        "## Tables",
        "",
        *(table_section(kind, tables.get(kind.table, [])) for kind in KINDS),
        "## Vocabularies",
        "",
        *(vocabulary_section(v) for v in VOCABULARIES),
    ]
    for title, text in (rules or {}).items():
        parts += [f"## {title}", "", text.strip(), ""]
    return "\n".join(parts).rstrip() + "\n"
