from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from kzdata.errors import RecordError
from kzdata.records.jsonl import dumps, iter_records, parse_record, write_jsonl
from kzdata.records.models import AnyRecord
from tests import strategies

VALID = (Path(__file__).parent / "data" / "models" / "valid" / "records.jsonl").read_text(encoding="utf-8")


def test_a_mixed_stream_parses_in_order() -> None:
    records = list(iter_records(VALID.splitlines()))
    assert [r.record_type for r in records] == ["source", "actor", "event", "claim", "claim", "claim_relation"]


def test_the_first_bad_line_is_named() -> None:
    lines = [*VALID.splitlines()[:2], "", '{"record_type": "claim"}']
    with pytest.raises(RecordError) as caught:
        list(iter_records(lines, file="contrib.jsonl"))
    assert caught.value.line == 4 and "contrib.jsonl:4" in str(caught.value)
    assert "; /quote: Field required;" in str(caught.value) and "kzdata validate" in str(caught.value)
    assert "/claim/" not in str(caught.value)  # the union tag is not a key of the record


def test_pointers_in_messages_are_rfc6901_pointers_into_the_record() -> None:
    line = VALID.splitlines()[1][:-1] + ', "a/b~c": 1}'
    with pytest.raises(RecordError) as caught:
        list(iter_records([line]))
    assert "/a~1b~0c: Extra inputs are not permitted" in str(caught.value)
    assert "/actor/" not in str(caught.value)


def test_unknown_record_type_is_rejected() -> None:
    with pytest.raises(RecordError, match="record_type"):
        list(iter_records(['{"record_type": "rumour"}']))


def test_dumps_is_canonical() -> None:
    record = parse_record(VALID.splitlines()[1])
    text = dumps(record)
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert ": " not in text and "Токаев" in text
    assert write_jsonl([record, record]) == text + "\n" + text + "\n"


@settings(max_examples=100, deadline=None)
@given(strategies.records)
def test_record_to_jsonl_to_record(record: AnyRecord) -> None:
    assert parse_record(dumps(record)) == record
