"""kzdata.records.kinds: one registry of record kinds that every table-, file- and id-aware module reads."""

from __future__ import annotations

import typing

from kzdata.records import ids, kinds
from kzdata.records.models import AnyRecord, Record


def test_every_model_of_the_record_union_has_exactly_one_kind() -> None:
    members = set(typing.get_args(AnyRecord))
    assert {kind.model for kind in kinds.KINDS} == members
    assert typing.get_args(Record)[0] == AnyRecord


def test_the_discriminator_of_each_model_is_its_record_type() -> None:
    for kind in kinds.KINDS:
        literal = kind.model.model_fields["record_type"].annotation
        assert typing.get_args(literal) == (kind.record_type,)


def test_ids_made_by_kzdata_resolve_to_their_kind() -> None:
    made = {
        "source": ids.source_id(b"text"),
        "actor": ids.actor_id("Kassym-Jomart Tokayev"),
        "claim_relation": ids.relation_id("clm-00000000", "clm-11111111", "repeats"),
    }
    for record_type, record_id in made.items():
        kind = kinds.kind_of_id(record_id)
        assert kind is not None and kind.record_type == record_type
    assert kinds.kind_of_id("xyz-1") is None and kinds.kind_of_id(None) is None


def test_file_stems_name_a_table_or_a_record_type() -> None:
    assert kinds.kind_of_name("claims") is kinds.BY_TYPE["claim"]
    assert kinds.kind_of_name("claim_relation") is kinds.BY_TABLE["claim_relations"]
    assert kinds.kind_of_name("notes") is None
    assert tuple(kind.table for kind in kinds.KINDS) == kinds.TABLES
