"""Published schemas: in sync with the models, valid Draft 2020-12, and in agreement with the models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from kzdata.records import schema
from kzdata.records.jsonl import parse_record
from kzdata.records.kinds import BY_TYPE
from kzdata.validate.report import published_schemas
from tests import strategies
from tests.schema_support import schema_accepts

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
VALID = (Path(__file__).parent / "data" / "models" / "valid" / "records.jsonl").read_text(encoding="utf-8")
BASE_DOCS = [json.loads(line) for line in VALID.splitlines()]


def test_committed_schemas_match_the_models() -> None:
    assert schema.check(SCHEMA_DIR, published_schemas()) == [], "schema/ is stale: run 'kzdata schema'"


def test_check_notices_an_edited_file_and_a_missing_one(tmp_path: Path) -> None:
    schema.write(tmp_path, published_schemas())
    assert schema.check(tmp_path, published_schemas()) == []
    claim = tmp_path / "claim.schema.json"
    claim.write_text(claim.read_text(encoding="utf-8").replace('"quote"', '"quotation"'), encoding="utf-8")
    (tmp_path / "actor.schema.json").unlink()
    assert schema.check(tmp_path, published_schemas()) == ["actor.schema.json", "claim.schema.json"]


def test_check_notices_a_model_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema.write(tmp_path, published_schemas())

    class Edited(BaseModel):
        extra_field: int

    monkeypatch.setitem(schema.MODELS, "claim", Edited)
    assert "claim.schema.json" in schema.check(tmp_path, published_schemas())


@pytest.mark.parametrize("path", sorted(SCHEMA_DIR.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_file_is_valid_draft_2020_12_with_id_and_version(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == schema.schema_id(path.name.removesuffix(".schema.json"))
    assert document["schema_version"] == schema.SCHEMA_VERSION


def test_schemas_are_loaded_from_the_package() -> None:
    for name in published_schemas():
        assert schema.load(name) == json.loads(schema.render(published_schemas()[name]))


def test_every_property_is_described() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                assert sub.get("description"), f"{where}/properties/{key} lacks a description"
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{where}/{index}")

    for name in schema.MODELS:
        walk(schema.load(name), name)


def model_accepts(name: str, text: str) -> bool:
    try:
        if name == "record":
            parse_record(text)
        else:
            BY_TYPE[name].model.model_validate_json(text, strict=True)
    except ValidationError:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.records)
def test_every_model_dump_is_valid_against_its_schema(record: Any) -> None:
    text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
    assert schema_accepts(record.record_type, text)
    assert schema_accepts("record", text)


TRICKY: list[Any] = [
    "12",
    12,
    1.0,
    1.5,
    -1,
    True,
    False,
    None,
    "",
    "x\n",
    [],
    {},
    10**30,
    "2022-01-10",
    "2022-01-10T00:00:00Z",
    "2022-1-10",
    "20220110",
    "2022-02-30",
    "NaN",
    "src-0123456789ab\n",
    "act-ok",
    "detained",
    "Detained",
    "https://example.org/a",
    1e308,
]
RAW_TOKENS = ["NaN", "Infinity", "-Infinity", "1e400"]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((*prefix, key))
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.append((*prefix, index))
            out.extend(_paths(value, (*prefix, index)))
    return out


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(node))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


CASES = [(doc, path) for doc in BASE_DOCS for path in _paths(doc)]


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_tricky_values_get_the_same_verdict_everywhere(value: Any) -> None:
    disagreements = []
    for document, path in CASES:
        text = json.dumps(_replace(document, path, value), ensure_ascii=False)
        for name in (document["record_type"], "record"):
            if model_accepts(name, text) != schema_accepts(name, text):
                disagreements.append((name, path, model_accepts(name, text)))
    assert disagreements == []


@pytest.mark.parametrize("token", RAW_TOKENS)
def test_non_json_numbers_are_rejected_by_both(token: str) -> None:
    for document, path in CASES:
        text = json.dumps(_replace(document, path, "@@"), ensure_ascii=False).replace('"@@"', token)
        for name in (document["record_type"], "record"):
            assert not model_accepts(name, text), (name, path, token)
            assert not schema_accepts(name, text), (name, path, token)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(TRICKY[:-1]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CASES), json_values)
def test_mutated_records_get_the_same_verdict_from_model_and_schema(case: Any, value: Any) -> None:
    document, path = case
    text = json.dumps(_replace(document, path, value), ensure_ascii=False)
    for name in (document["record_type"], "record"):
        assert model_accepts(name, text) == schema_accepts(name, text), (name, path, value)
