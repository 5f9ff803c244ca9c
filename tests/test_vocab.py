from __future__ import annotations

import inspect

import pytest

from kzdata.records import schema, vocab

ENUMS = [
    obj
    for _, obj in inspect.getmembers(vocab, inspect.isclass)
    if issubclass(obj, vocab.Vocab) and obj is not vocab.Vocab
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_value_has_a_one_line_definition(enum: type[vocab.Vocab]) -> None:
    for member in enum:
        assert member.definition and "\n" not in member.definition, member
        assert member.value == str(member) and member.value.islower()


def test_required_predicates_exist() -> None:
    required = {
        "detained",
        "killed",
        "injured",
        "troops_deployed",
        "arrest",
        "resignation",
        "appointment",
        "release",
        "order_given",
        "internet_shutdown",
        "characterization",
        "other",
    }
    assert required <= {p.value for p in vocab.Predicate}


def test_definitions_flow_into_the_published_schema() -> None:
    claim = schema.load("claim")
    described = claim["$defs"]["Predicate"]["description"]
    for member in vocab.Predicate:
        assert f"`{member.value}`: {member.definition}" in described
