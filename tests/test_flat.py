"""kzdata.formats.csv: the CSV flat layout round-trips, escapes formulas and never raises on bad cells."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import orjson
import pytest
from hypothesis import assume, given, settings

from kzdata.formats import csv as flat
from kzdata.records.jsonl import parse_record
from kzdata.records.models import AnyRecord, Source
from tests.strategies import records


def _null_empty_optional_text(record: AnyRecord) -> dict[str, Any]:
    """CSV has no null: an empty optional text reads back as null (documented in kzdata.formats.csv)."""
    data = record.model_dump(mode="json")
    for column in flat.LAYOUT[record.record_type]:
        if column.nullable and column.kind == "str":
            parent = data
            for key in column.path[:-1]:
                parent = parent.get(key) or {}
            if parent.get(column.path[-1]) == "":
                parent[column.path[-1]] = None
    return data


def _through_csv(row: dict[str, str], record_type: str) -> dict[str, str]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=flat.COLUMNS[record_type], lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    return next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


@settings(max_examples=150, deadline=None)
@given(records)
def test_record_flatten_csv_unflatten_parse_is_the_record(record: AnyRecord) -> None:
    try:
        row = flat.flatten(record)
    except ValueError:
        assume(False)
    back = parse_record(orjson.dumps(flat.unflatten(_through_csv(row, record.record_type), record.record_type)))
    assert _null_empty_optional_text(back) == _null_empty_optional_text(record)


@settings(max_examples=100, deadline=None)
@given(records)
def test_no_cell_starts_a_formula(record: AnyRecord) -> None:
    try:
        row = flat.flatten(record)
    except ValueError:
        assume(False)
    assert list(row) == flat.COLUMNS[record.record_type]
    assert not any(cell.startswith(flat.FORMULA_START) and not NUMBER.fullmatch(cell) for cell in row.values())


NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
"""A number as JSON writes it: the only cells that may start with '-' (a number is not a formula)."""


def test_claim_columns() -> None:
    assert flat.COLUMNS["claim"][:3] == ["record_type", "id", "source_id"]
    assert [c for c in flat.COLUMNS["claim"] if c.startswith("value_")] == [
        "value_amount",
        "value_low",
        "value_high",
        "value_unit",
        "value_qualifier",
    ]
    assert [c for c in flat.COLUMNS["claim"] if c.startswith("span_")] == ["span_start", "span_end"]
    assert "location_name" in flat.COLUMNS["event"]


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("-43.2", "'-43.2"),
        ("@x", "'@x"),
        ("'=1", "''=1"),
        ("'quoted", "''quoted"),
        ("ok", "ok"),
    ],
)
def test_escape_round_trip(cell: str, escaped: str) -> None:
    assert flat.escape(cell) == escaped
    assert flat.unescape(escaped) == cell


def test_unescape_keeps_a_plain_leading_quote() -> None:
    assert flat.unescape("'hello") == "'hello"


def test_lists_and_nested_parts() -> None:
    row = {
        "record_type": "actor",
        "id": "act-a",
        "name": "A",
        "actor_type": "person",
        "aliases": "A. | Ä",
        "roles": '[{"title": "Chair", "start": "2020-01-01"}]',
        "country": "",
        "wikidata_id": "",
        "notes": "",
    }
    data = flat.unflatten(row, "actor")
    assert data["aliases"] == ["A.", "Ä"]
    assert data["roles"] == [{"title": "Chair", "start": "2020-01-01"}]
    assert data["country"] is None


def test_items_that_cannot_split_back_are_refused() -> None:
    source = parse_record(
        orjson.dumps(
            {
                "record_type": "source",
                "id": "src-000000000000",
                "title": "t",
                "outlet": "o",
                "authors": ["a | b"],
                "published": None,
                "published_basis": "unknown",
                "language": "en",
                "path": "a.txt",
                "sha256": "0" * 64,
                "length": 1,
            }
        )
    )
    assert isinstance(source, Source)
    with pytest.raises(ValueError, match="authors"):
        flat.flatten(source)


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("value_amount", "5.969k"),
        ("value_amount", "1e999"),
        ("value_amount", "9" * 5000),
        ("span_start", "NaN"),
        ("confidence", "high"),
    ],
)
def test_unconvertible_cells_pass_through_as_strings(column: str, cell: str) -> None:
    row = dict.fromkeys(flat.COLUMNS["claim"], "")
    row.update({"record_type": "claim", "value_unit": "people", column: cell})
    data = flat.unflatten(row, "claim")
    value: Any = data
    for key in next(c.path for c in flat.LAYOUT["claim"] if c.name == column):
        value = value[key]
    assert value == cell
    orjson.dumps(data)


def test_empty_value_columns_mean_no_value() -> None:
    row = dict.fromkeys(flat.COLUMNS["claim"], "")
    data = flat.unflatten(row, "claim")
    assert data["value"] is None
    assert "span" not in data
