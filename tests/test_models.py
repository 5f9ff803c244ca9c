"""The record models: strict, closed, pattern-checked — and the schemas agree on each case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from kzdata.records.jsonl import dumps, parse_record
from kzdata.records.kinds import BY_TYPE
from tests.schema_support import schema_error_paths

DATA = Path(__file__).parent / "data" / "models"
VALID = [json.loads(line) for line in (DATA / "valid" / "records.jsonl").read_text(encoding="utf-8").splitlines()]
INVALID = [json.loads(line) for line in (DATA / "invalid" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("document", VALID, ids=lambda d: f"{d['record_type']}-{d['id']}")
def test_valid_records_parse_and_round_trip(document: dict[str, Any]) -> None:
    record = parse_record(json.dumps(document))
    assert record.record_type == document["record_type"]
    again = parse_record(dumps(record))
    assert again == record
    assert schema_error_paths(document["record_type"], document) == []


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c["case"])
def test_invalid_records_rejected_by_model_and_schema_at_the_field(case: dict[str, Any]) -> None:
    document, loc = case["record"], case["loc"]
    model = BY_TYPE[document["record_type"]].model
    with pytest.raises(ValidationError) as caught:
        model.model_validate_json(json.dumps(document))
    model_locs = [list(error["loc"]) for error in caught.value.errors()]
    assert any(found[: len(loc)] == loc for found in model_locs), model_locs
    schema_locs = schema_error_paths(document["record_type"], document)
    # jsonschema reports unknown and missing properties at the parent object, naming the key.
    parent = loc[:-1]
    assert any(found in (loc, parent) for found in schema_locs), schema_locs


def test_models_are_closed_and_strict() -> None:
    for model in (k.model for k in BY_TYPE.values()):
        assert model.model_config.get("extra") == "forbid"
        assert model.model_config.get("strict") is True
        assert model.model_config.get("allow_inf_nan") is False


def test_every_field_has_a_description() -> None:
    from kzdata.records.models import ActorRole, Location, Participant, Span, Value

    for model in [*(k.model for k in BY_TYPE.values()), Span, Value, Location, ActorRole, Participant]:
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_integral_float_is_an_integer_like_json_schema_says() -> None:
    document = dict(VALID[3])
    document["span"] = {"start": 10.0, "end": 36}
    record = parse_record(json.dumps(document))
    assert record.span.start == 10  # type: ignore[union-attr]
    assert isinstance(record.span.start, int)  # type: ignore[union-attr]
