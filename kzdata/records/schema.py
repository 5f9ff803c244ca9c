"""Published JSON Schemas (Draft 2020-12), generated from the pydantic models.

The models are the one source of truth. ``generate()`` renders one schema per record type
plus one for a line of a record stream; ``write()`` puts them in ``schema/``; ``check()``
lists the files that are stale. ``load(name)`` reads a published schema from the installed
package (``kzdata/schema/`` in the wheel) or, in a source checkout, from ``schema/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from kzdata.errors import InputError, UsageError
from kzdata.records.kinds import KINDS
from kzdata.records.models import Record

SCHEMA_VERSION = "0.1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = "https://kzdata.github.io/kzdata/schema"

MODELS: dict[str, type[BaseModel]] = {kind.record_type: kind.model for kind in KINDS}
"""Record type → model, for the schema of each record type."""


def schema_id(name: str) -> str:
    """The ``$id`` of a published schema."""
    return f"{BASE_URI}/{SCHEMA_VERSION}/{name}.schema.json"


def _stamp(name: str, title: str, body: dict[str, Any]) -> dict[str, Any]:
    stamped: dict[str, Any] = {"$schema": DIALECT, "$id": schema_id(name), "schema_version": SCHEMA_VERSION}
    stamped["title"] = title
    stamped.update({k: v for k, v in body.items() if k != "title"})
    return stamped


def _record_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def generate(extra: Mapping[str, Callable[[], dict[str, Any]]] | None = None) -> dict[str, dict[str, Any]]:
    """Every published schema, by file stem: one per record kind, the stream line, and ``extra`` documents.

    ``extra`` (name → schema factory) adds the schemas of other documents kzdata publishes, such
    as the validation report (:func:`kzdata.validate.report.published_schemas` passes it).
    """
    out = {name: _stamp(name, f"kzdata {name} record", _record_schema(m)) for name, m in MODELS.items()}
    stream = TypeAdapter(Record).json_schema(mode="validation")
    stream["description"] = (
        "One line of a kzdata JSON Lines stream: a source, actor, event, claim or claim_relation record."
    )
    out["record"] = _stamp("record", "kzdata record (one line of a JSON Lines stream)", stream)
    for name, factory in (extra or {}).items():
        out[name] = _stamp(name, f"kzdata {name}", factory())
    return out


def render(schema: dict[str, Any]) -> str:
    """Deterministic text of a schema file."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def filename(name: str) -> str:
    return f"{name}.schema.json"


def check(directory: Path, schemas: Mapping[str, dict[str, Any]]) -> list[str]:
    """Names of schema files in ``directory`` that are missing, stale or not among ``schemas``."""
    expected = {filename(name): render(s) for name, s in schemas.items()}
    stale = [f for f, text in expected.items() if not _same(directory / f, text)]
    extra = (
        sorted(p.name for p in directory.glob("*.schema.json") if p.name not in expected) if directory.is_dir() else []
    )
    return sorted(stale) + extra


def _same(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except OSError:
        return False


def write(directory: Path, schemas: Mapping[str, dict[str, Any]]) -> list[Path]:
    """Write ``schemas`` into ``directory`` (atomically per file); return the paths written.

    ``directory`` must be missing, or a folder of nothing but ``*.schema.json`` files: anything
    else (a file, a folder of the user's) is refused with a UsageError and left untouched.
    """
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--out {directory} is a file, not a folder", "give the folder of the schemas, e.g. schema/")
    foreign = (
        sorted(p.name for p in directory.iterdir() if not p.name.endswith(".schema.json")) if directory.is_dir() else []
    )
    if foreign:
        raise UsageError(
            f"--out {directory} holds files that are not schemas ({', '.join(foreign[:3])})",
            "give a new folder or the schema/ folder of a checkout",
        )
    written = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            path = directory / filename(name)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(render(schema), encoding="utf-8", newline="\n")
            tmp.replace(path)
            written.append(path)
    except OSError as error:
        raise UsageError(
            f"--out {directory}: cannot write: {error.strerror}", "give a folder you can write to"
        ) from None
    return written


def load(name: str) -> dict[str, Any]:
    """A published schema by stem ('claim', 'record', …), from the package or the checkout."""
    file = filename(name)
    packaged = resources.files("kzdata").joinpath("schema", file)
    if packaged.is_file():
        return dict(json.loads(packaged.read_text(encoding="utf-8")))
    checkout = Path(__file__).resolve().parents[2] / "schema" / file
    if checkout.is_file():
        return dict(json.loads(checkout.read_text(encoding="utf-8")))
    raise InputError(f"no published schema named {name!r}", "run 'kzdata schema' in the source checkout")
