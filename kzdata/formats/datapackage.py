"""The ``datapackage.json`` of a release: a Frictionless Data Package (v1) describing every file.

Each CSV table is a ``tabular-data-resource`` with a Table Schema derived from the record
models (types, descriptions, ``enum`` constraints for vocabulary columns, ``required`` for
fields that are never null, the ``id`` primary key and foreign keys between the tables).
The JSONL and Parquet files, the SQLite database, the change log and the card are listed as ``file`` resources
with their size and hash, so that ``frictionless validate`` checks every byte of a release.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kzdata.formats.csv import SEPARATOR
from kzdata.formats.parquet import strip_annotation
from kzdata.records.kinds import BY_TABLE, TABLES
from kzdata.records.vocab import Vocab
from kzdata.release.sums import FileDigest

NAME = "kzdata"
TITLE = "kzdata: attributed claims about the January 2022 unrest in Kazakhstan"
DESCRIPTION = (
    "Sources, actors, events and claims about the January 2022 unrest in Kazakhstan "
    "('Qandy Qantar'), built from news articles. Every figure is kept, attributed to who said it, "
    "when and as of when, with the exact quote and its character span in the source, and linked "
    "to the other figures about the same quantity (claim_relations)."
)
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
CONTRIBUTORS = [{"title": "kzdata contributors", "role": "author"}]
KEYWORDS = ["Kazakhstan", "Qandy Qantar", "January 2022", "protests", "claims", "provenance"]

FOREIGN_KEYS: dict[str, list[tuple[str, str]]] = {
    "claims": [("source_id", "sources"), ("claimant_id", "actors"), ("event_id", "events"), ("subject_id", "actors")],
    "claim_relations": [("claim_id", "claims"), ("other_claim_id", "claims")],
}
"""Columns of a table that hold the id of a row of another table."""

MEDIATYPES = {
    ".csv": ("csv", "text/csv"),
    ".jsonl": ("jsonl", "application/jsonl"),
    ".parquet": ("parquet", "application/vnd.apache.parquet"),
    ".md": ("md", "text/markdown"),
    ".cff": ("cff", "application/x-yaml"),
    ".sqlite": ("sqlite", "application/vnd.sqlite3"),
    ".png": ("png", "image/png"),
}


_SCALAR_TYPES: dict[Any, dict[str, Any]] = {
    bool: {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    date: {"type": "date"},
    int: {"type": "integer"},
    float: {"type": "number"},
}


def _enum(core: Any) -> list[str] | None:
    if get_origin(core) is Literal:
        return [str(a) for a in get_args(core)]
    if isinstance(core, type) and issubclass(core, Vocab):
        return [m.value for m in core]
    return None


def _field_type(core: Any, info: FieldInfo) -> dict[str, Any]:
    if core in _SCALAR_TYPES:
        return dict(_SCALAR_TYPES[core])
    enum = _enum(core)
    if enum is not None:
        out: dict[str, Any] = {"type": "string", "constraints": {"enum": enum}}
        if isinstance(core, type) and issubclass(core, Vocab):  # labels for tools (Table Schema v2 categories)
            out["categories"] = [{"value": value, "label": text} for value, text in core.definitions().items()]
        return out
    if get_origin(core) is list:
        item, _ = strip_annotation(get_args(core)[0])
        return {"type": "array" if isinstance(item, type) and issubclass(item, BaseModel) else "string"}
    return {"type": "string"}


def csv_fields(model: type[BaseModel], prefix: str = "", optional: bool = False) -> list[dict[str, Any]]:
    """Table Schema fields of a model flattened as in the CSV: nested models become ``parent_child`` columns.

    Lists of strings are one string cell (items joined with ``kzdata.formats.csv.SEPARATOR``), lists of
    objects one JSON array cell; an empty list is an empty cell, so list columns are never required.
    """
    fields: list[dict[str, Any]] = []
    for name, info in model.model_fields.items():
        core, nullable = strip_annotation(info.annotation)
        if isinstance(core, type) and issubclass(core, BaseModel):
            fields += csv_fields(core, f"{prefix}{name}_", optional or nullable)
            continue
        field: dict[str, Any] = {"name": prefix + name, "description": info.description or ""}
        field.update(_field_type(core, info))
        if get_origin(core) is list and field["type"] == "string":
            field["description"] += f" Items are joined with {SEPARATOR!r}."
        if not (nullable or optional or get_origin(core) is list):
            field.setdefault("constraints", {})["required"] = True
        fields.append(field)
    return fields


def table_schema(table: str, columns: Sequence[str]) -> dict[str, Any]:
    """Table Schema of one CSV table; ``columns`` is the header the CSV writer uses."""
    fields = csv_fields(BY_TABLE[table].model)
    names = [f["name"] for f in fields]
    if list(columns) != names:
        raise ValueError(f"CSV columns of {table} {list(columns)} differ from the model fields {names}")
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": ["id"]}
    keys = [
        {"fields": column, "reference": {"resource": other, "fields": "id"}}
        for column, other in FOREIGN_KEYS.get(table, [])
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _file_resource(name: str, digest: FileDigest) -> dict[str, Any]:
    suffix = "." + digest.name.rsplit(".", 1)[-1] if "." in digest.name else ""
    fmt, mediatype = MEDIATYPES.get(suffix, ("", "application/octet-stream"))
    resource: dict[str, Any] = {"name": name, "type": "file", "profile": "data-resource", "path": digest.name}
    if fmt:
        resource["format"] = fmt
    resource.update({"mediatype": mediatype, "bytes": digest.bytes, "hash": "sha256:" + digest.sha256})
    if fmt in ("csv", "jsonl", "md", "cff"):
        resource["encoding"] = "utf-8"
    return resource


def csv_resource(table: str, digest: FileDigest, columns: Sequence[str], line_terminator: str) -> dict[str, Any]:
    """The tabular resource of one CSV table."""
    resource = _file_resource(table, digest)
    del resource["type"]
    resource["profile"] = "tabular-data-resource"
    resource["dialect"] = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": line_terminator}
    resource["dialect"]["quoteChar"] = '"'
    resource["schema"] = table_schema(table, columns)
    return resource


def resource_name(file_name: str) -> str:
    """Resource name of a non-CSV file: 'claims.parquet' → 'claims-parquet'."""
    return file_name.lower().replace(".", "-").replace("_", "-")


def build(
    *,
    dataset_version: str,
    schema_version: str,
    digests: Mapping[str, FileDigest],
    csv_columns: Mapping[str, Sequence[str]],
    line_terminator: str,
    outlets: Sequence[str],
) -> dict[str, Any]:
    """The whole data package: metadata, then the CSV tables, then every other file by name."""
    resources = [
        csv_resource(table, digests[f"{table}.csv"], csv_columns[table], line_terminator)
        for table in TABLES
        if f"{table}.csv" in digests
    ]
    resources += [
        _file_resource(resource_name(name), digest)
        for name, digest in sorted(digests.items())
        if not name.endswith(".csv")
    ]
    return {
        "profile": "data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": dataset_version,
        "schema_version": schema_version,
        "licenses": [LICENSE],
        "contributors": CONTRIBUTORS,
        "keywords": KEYWORDS,
        "sources": [{"title": outlet} for outlet in sorted(set(outlets))],
        "resources": resources,
    }
