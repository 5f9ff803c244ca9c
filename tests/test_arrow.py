"""kzdata.formats.parquet: explicit schemas derived from the models, and records ↔ Arrow ↔ Parquet round trips."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.errors import KzdataError
from kzdata.formats import parquet as arrow
from kzdata.records.kinds import BY_TABLE, KINDS, TABLES
from kzdata.records.models import Actor, AnyRecord, Claim, Event, Source
from tests import strategies

STRATEGIES = {
    "sources": strategies.sources,
    "actors": strategies.actors,
    "events": strategies.events,
    "claims": strategies.claims,
    "claim_relations": strategies.claim_relations,
    "quantities": strategies.quantities,
}
DICT = pa.dictionary(pa.int32(), pa.string())


def _parquet_round_trip(table: pa.Table) -> pa.Table:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return pq.read_table(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("name", list(TABLES))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_parquet_round_trip_gives_the_records_back(name: str, data: st.DataObject) -> None:
    model = BY_TABLE[name].model
    records: list[AnyRecord] = data.draw(st.lists(STRATEGIES[name], max_size=4))
    read = _parquet_round_trip(arrow.to_table(records, model))
    assert read.schema.equals(arrow.schema_for(model))
    assert arrow.from_table(read, model) == records


@pytest.mark.parametrize("model", [kind.model for kind in KINDS])
def test_schema_has_every_model_field_in_order_with_its_description(model: type[Source]) -> None:
    schema = arrow.schema_for(model)
    assert schema.names == list(model.model_fields)
    for field in schema:
        assert field.metadata[b"description"].decode() == model.model_fields[field.name].description


def test_claim_schema_types_are_explicit() -> None:
    schema = arrow.schema_for(Claim)
    assert schema.field("as_of").type == pa.date32()
    assert schema.field("as_of").nullable
    assert schema.field("predicate").type == DICT
    assert not schema.field("predicate").nullable
    assert schema.field("record_type").type == DICT
    assert schema.field("id").type == pa.string()
    assert not schema.field("id").nullable
    assert schema.field("relayed_by").type == pa.list_(pa.field("element", pa.string(), nullable=False))
    assert schema.field("confidence").type == pa.float64()
    value = schema.field("value").type
    assert isinstance(value, pa.StructType)
    assert value.field("amount").type == pa.float64()
    assert value.field("unit").type == DICT
    assert not value.field("unit").nullable
    span = schema.field("span").type
    assert span.field("start").type == pa.int64()
    assert not schema.field("span").nullable


def test_nested_lists_of_parts_are_lists_of_structs() -> None:
    roles = arrow.schema_for(Actor).field("roles").type
    assert isinstance(roles, pa.ListType)
    assert roles.value_type.field("start").type == pa.date32()
    participants = arrow.schema_for(Event).field("participants").type
    assert participants.value_type.field("role").type == DICT
    assert arrow.schema_for(Source).field("machine_translated").type == pa.bool_()
    assert arrow.schema_for(Source).field("length").type == pa.int64()


def test_descriptions_reach_nested_fields() -> None:
    described = arrow.descriptions(Claim)
    assert described["value.amount"].startswith("The figure as stated")
    assert described["span.start"]
    assert "roles.title" in arrow.descriptions(Actor)


def test_to_table_refuses_a_record_of_another_model() -> None:
    actor = Actor.model_validate_json('{"record_type":"actor","id":"act-x","name":"X","actor_type":"person"}')
    with pytest.raises(KzdataError, match="not a Claim"):
        arrow.to_table([actor], Claim)


@pytest.mark.parametrize("name", list(TABLES))
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_table_from_json_dicts_equals_the_table_of_the_records(name: str, data: st.DataObject) -> None:
    model = BY_TABLE[name].model
    records: list[AnyRecord] = data.draw(st.lists(STRATEGIES[name], max_size=4))
    schema = arrow.schema_for(model)
    expected = pa.Table.from_pylist([r.model_dump(mode="python") for r in records], schema=schema)
    table = arrow.table_from_dicts([r.model_dump(mode="json") for r in records], schema)
    assert table.schema.equals(schema)
    assert table.equals(expected)


def test_json_schema_reads_dates_as_strings_everywhere() -> None:
    schema = arrow.json_schema(arrow.schema_for(Actor, metadata={"k": "v"}))
    assert schema.metadata == {b"k": b"v"}
    role = schema.field("roles").type.value_type
    assert role.field("start").type == pa.string()
    assert arrow.json_schema(arrow.schema_for(Claim)).field("as_of").type == pa.string()
    assert arrow.json_schema(arrow.schema_for(Claim)).field("predicate").type == DICT
