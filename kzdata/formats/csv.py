"""The flat (CSV) layout of records: one column per field, nested parts flattened with ``_``.

This module is the single definition of the CSV layout, used to write the CSV exports and
to read contributed CSV files back. Rules:

- Columns are the record's fields in model order; a nested part becomes one column per
  sub-field named ``<field>_<sub-field>``: ``span_start``, ``span_end``, ``value_amount``,
  ``value_low``, ``value_high``, ``value_unit``, ``value_qualifier``, ``location_name``,
  ``location_admin1``, ``location_country``, ``location_lat``, ``location_lon``,
  ``location_precision``. :data:`COLUMNS` lists them per record type.
- ``null`` is an empty cell. A nested part that is null has all its cells empty. An empty
  string in an optional text field is therefore read back as null (CSV has no null).
- Lists of strings (``authors``, ``aliases``, ``relayed_by``) are joined with
  :data:`SEPARATOR` (``" | "``); an empty list is an empty cell. :func:`flatten` raises
  ValueError when an item would not split back (e.g. it contains ``" | "``).
- Lists of objects (actor ``roles``, event ``participants``) are one cell holding a JSON
  array with sorted keys.
- Booleans are ``true``/``false``; dates ``YYYY-MM-DD``; numbers as in JSON.
- Spreadsheet safety: a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return (or with ``'``) gets a leading ``'``; :func:`unflatten` removes exactly that
  ``'``. So ``=1`` is written ``'=1`` and ``'x`` is written ``''x``. Numeric cells are
  numbers as JSON writes them and are never escaped: ``-43.2`` stays ``-43.2``, a number in
  every spreadsheet and in pandas.

:func:`unflatten` never raises: a cell it cannot convert is passed on as the raw string, so
that schema validation reports it at the right JSON Pointer.
"""

from __future__ import annotations

import csv
import io
import math
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, Literal

import orjson
from pydantic import BaseModel

from kzdata.errors import DataError
from kzdata.records.kinds import KINDS, kind_of_name

if TYPE_CHECKING:  # pyarrow is imported only by the Arrow encoder (validation of CSV files does not need it)
    import pyarrow as pa

SEPARATOR = " | "
"""Separator of list items in one cell."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet would read as a formula; such cells are escaped with '."""
ESCAPE = "'"

Kind = Literal["str", "int", "float", "number", "bool", "list", "json"]
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_INT_LIMIT = 2**63


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its name, the path of the field in the record, and how it is encoded."""

    name: str
    path: tuple[str, ...]
    kind: Kind
    nullable: bool
    required: bool


def _strip_annotated(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _members(tp: Any) -> tuple[list[Any], bool]:
    tp = _strip_annotated(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [_strip_annotated(a) for a in typing.get_args(tp)]
        return [a for a in args if a is not type(None)], type(None) in args
    return [tp], False


def _kind(members: list[Any]) -> Kind:
    if len(members) > 1:
        return "number" if set(members) <= {int, float} else "str"
    tp = members[0]
    if typing.get_origin(tp) is list:
        item = _strip_annotated(typing.get_args(tp)[0])
        return "json" if isinstance(item, type) and issubclass(item, BaseModel) else "list"
    if tp is bool:
        return "bool"
    if tp in (int, float):
        return "int" if tp is int else "float"
    if tp in (str, date) or typing.get_origin(tp) is Literal or (isinstance(tp, type) and issubclass(tp, Enum)):
        return "str"
    raise TypeError(f"no flat encoding for {tp!r}")


def _columns(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Column]:
    out: list[Column] = []
    for name, field in model.model_fields.items():
        members, nullable = _members(field.annotation)
        part = members[0]
        if len(members) == 1 and isinstance(part, type) and issubclass(part, BaseModel):
            out.extend(_columns(part, (*prefix, name)))
            continue
        path = (*prefix, name)
        out.append(Column("_".join(path), path, _kind(members), nullable, field.is_required()))
    return out


def _groups(model: type[BaseModel]) -> dict[str, bool]:
    """Nested parts of a model and whether each may be null."""
    out = {}
    for name, field in model.model_fields.items():
        members, nullable = _members(field.annotation)
        if len(members) == 1 and isinstance(members[0], type) and issubclass(members[0], BaseModel):
            out[name] = nullable
    return out


LAYOUT: dict[str, list[Column]] = {k.record_type: _columns(k.model) for k in KINDS}
"""The columns of each record type, in order."""
COLUMNS: dict[str, list[str]] = {rt: [c.name for c in cols] for rt, cols in LAYOUT.items()}
"""The column names of each record type's CSV, in order."""
_GROUPS: dict[str, dict[str, bool]] = {k.record_type: _groups(k.model) for k in KINDS}
_ESCAPED_FIRST = frozenset((*FORMULA_START, ESCAPE))


def record_type_for_name(stem: str) -> str | None:
    """The record type a CSV file name stands for ('claims' -> 'claim'), or None."""
    kind = kind_of_name(stem.lower())
    return kind.record_type if kind else None


def escape(cell: str) -> str:
    """Prefix ' to a cell a spreadsheet would run as a formula (or that starts with ')."""
    return ESCAPE + cell if cell[:1] in _ESCAPED_FIRST else cell


def unescape(cell: str) -> str:
    """Remove the ' that :func:`escape` added."""
    if len(cell) > 1 and cell[0] == ESCAPE and cell[1] in (*FORMULA_START, ESCAPE):
        return cell[1:]
    return cell


def flatten(record: BaseModel) -> dict[str, str]:
    """One CSV row (column -> cell) of a record, in the column order of its type."""
    data = record.model_dump(mode="json")
    return dict(zip(COLUMNS[data["record_type"]], encode_rows([data], data["record_type"])[0], strict=True))


def encode_rows(rows: Sequence[Mapping[str, Any]], record_type: str) -> list[tuple[str, ...]]:
    """The CSV cells of many JSON-ready record dicts of one type, each row in column order.

    A dict is a record's ``model_dump(mode="json")`` (or its canonical JSON parsed back). The cells
    are those of :func:`flatten`, computed column by column; ValueError as in :func:`flatten`.
    """
    return list(zip(*(cells(rows) for cells in _COLUMN_ENCODERS[record_type]), strict=True))


ColumnEncoder = Callable[[Sequence[Mapping[str, Any]]], list[str]]


def _column_encoder(column: Column) -> ColumnEncoder:
    """The cells of one column for a list of record dicts: '' for null, escaped text otherwise."""
    text = _text_of(column)
    path = column.path

    def cells(rows: Sequence[Mapping[str, Any]]) -> list[str]:
        return text(_values(rows, path))

    return cells


def _values(rows: Sequence[Mapping[str, Any]], path: tuple[str, ...]) -> list[Any]:
    if len(path) == 1:
        key = path[0]
        return [row[key] for row in rows]
    if len(path) == 2:  # a field of a nested part: the common nested case
        parent, key = path
        return [None if (part := row[parent]) is None else part[key] for row in rows]
    return [_get(row, path) for row in rows]


def _get(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
        if value is None:
            return None
        value = value[key]
    return value


def _text_of(column: Column) -> Callable[[list[Any]], list[str]]:
    """Cells of a column's values: null → '', then the kind's text, then formula escaping."""
    first, escape_mark = _ESCAPED_FIRST, ESCAPE
    if column.kind == "str":  # JSON-ready values of text columns are str already
        return lambda values: ["" if v is None else escape_mark + v if v[:1] in first else v for v in values]
    if column.kind in ("int", "float", "number"):  # a number is never a formula: never escaped (-43.2 stays a number)
        return lambda values: ["" if v is None else str(v) for v in values]
    if column.kind == "bool":
        return lambda values: ["" if v is None else "true" if v else "false" for v in values]
    if column.kind == "list":
        return lambda values: ["" if v is None else escape(_joined(column, v)) for v in values]
    return lambda values: ["" if v is None else escape(_json_cell(v)) for v in values]


def _json_cell(value: list[Any]) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8") if value else ""


def _joined(column: Column, value: list[str]) -> str:
    joined = SEPARATOR.join(value)
    if (joined.split(SEPARATOR) if joined else []) != value:
        raise ValueError(f"{column.name}: items {value!r} cannot be joined with {SEPARATOR!r} and split back")
    return joined


_COLUMN_ENCODERS: dict[str, list[ColumnEncoder]] = {
    rt: [_column_encoder(column) for column in columns] for rt, columns in LAYOUT.items()
}


def unflatten(row: dict[str, str], record_type: str) -> dict[str, Any]:
    """A JSON-ready record dict from a CSV row; unknown columns are kept as they are."""
    out: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {name: {} for name in _GROUPS[record_type]}
    known = set()
    for column in LAYOUT[record_type]:
        known.add(column.name)
        if column.name not in row:
            continue
        target = groups[column.path[0]] if len(column.path) > 1 else out
        _decode_into(target, column, unescape(row[column.name]))
    for name, nullable in _GROUPS[record_type].items():
        if any(v is not None for v in groups[name].values()):
            out[name] = groups[name]
        elif nullable and any(c.path[0] == name and c.name in row for c in LAYOUT[record_type]):
            out[name] = None
    out.update({k: v for k, v in row.items() if k not in known})
    return out


def _decode_into(target: dict[str, Any], column: Column, cell: str) -> None:
    key = column.path[-1]
    if cell == "":
        if column.kind in ("list", "json"):
            target[key] = []
        elif column.nullable:
            target[key] = None
        elif column.required and column.kind == "str" and len(column.path) == 1:
            target[key] = ""
        return
    target[key] = _decode(column.kind, cell)


def _decode(kind: Kind, cell: str) -> Any:
    if kind == "list":
        return cell.split(SEPARATOR)
    if kind == "json":
        try:
            return orjson.loads(cell)
        except orjson.JSONDecodeError:
            return cell
    if kind == "bool":
        return {"true": True, "false": False}.get(cell.lower(), cell)
    if kind in ("int", "float", "number"):
        return _number(kind, cell)
    return cell


def _number(kind: Kind, cell: str) -> Any:
    if not _NUMBER.fullmatch(cell):
        return cell
    if kind != "float" and "." not in cell and "e" not in cell.lower():
        value = int(cell) if len(cell) < 20 else _INT_LIMIT
        return value if abs(value) < _INT_LIMIT else cell
    number = float(cell)
    return number if math.isfinite(number) else cell


CSV_LINE_TERMINATOR = "\r\n"


def csv_writer(handle: IO[str]) -> Any:
    """The CSV dialect of the exports: RFC 4180, ``"`` quoting only where needed, CRLF line ends."""
    return csv.writer(handle, lineterminator=CSV_LINE_TERMINATOR, quoting=csv.QUOTE_MINIMAL)


def csv_rows(rows: Sequence[Mapping[str, Any]], record_type: str) -> list[tuple[str, ...]]:
    """CSV cells (:mod:`kzdata.formats.csv`) of JSON-ready record dicts; DataError names a record CSV cannot hold."""
    try:
        return encode_rows(rows, record_type)
    except ValueError:
        for row in rows:
            try:
                encode_rows([row], record_type)
            except ValueError as error:
                raise DataError(f"{row['id']}: cannot be written as CSV: {error}", "fix the record") from None
        raise


def header(record_type: str) -> bytes:
    """The header row of a record type's CSV, as :func:`csv_writer` writes it."""
    text = io.StringIO(newline="")
    csv_writer(text).writerow(COLUMNS[record_type])
    return text.getvalue().encode("utf-8")


def csv_bytes(table: pa.Table, lines: pa.Array, record_type: str) -> bytes:
    """:func:`encode_table`; DataError names a record CSV cannot hold (as :func:`csv_rows`)."""
    try:
        return encode_table(table, lines, record_type)
    except ValueError:
        csv_rows([orjson.loads(line) for line in lines.to_pylist()], record_type)
        raise


# --- the same cells from Arrow, a batch at a time -----------------------------------------------

_NEEDS_QUOTES = '[,"\r\n]'
_FORMULA = "^[=+@\t\r'-]"
_TOKEN = r"-?[0-9][0-9.eE+-]*|null"
_REPR_DIFFERS = r"[eE]|^-?0\.0000"
"""Number tokens whose ``repr()`` may differ from orjson's text: an exponent (``1e16`` vs ``1e+16``), or below
1e-4 (orjson ``0.00001``, repr ``1e-05``). Elsewhere both write the same shortest digits the same way."""


def encode_table(table: pa.Table, lines: pa.Array, record_type: str) -> bytes:
    """The CSV rows (``csv_writer``'s bytes, without the header) of a table of :mod:`kzdata.formats.parquet`.

    ``lines`` are the records' canonical JSON lines (a string array, row by row): numbers are
    taken from them as written, so ``5`` and ``5.0`` stay apart as in :func:`encode_rows`. The
    cells are the same; quoting and line ends those of :func:`csv_writer`. Vectorised with
    ``pyarrow.compute``; only rare cells (lists of objects, exponents, lists whose items hold
    the separator) go through Python.
    """
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    if table.num_rows == 0:
        return b""
    numbers = _number_cells(lines, record_type)
    cells = [numbers[c.name] if c.name in numbers else _arrow_cells(table, lines, c) for c in LAYOUT[record_type]]
    cells[-1] = pc.binary_join_element_wise(cells[-1], CSV_LINE_TERMINATOR, "")
    return _data(pc.binary_join_element_wise(*cells, ","))


def _data(rows: pa.Array) -> bytes:
    """The bytes of a string array's values, end to end."""
    import numpy as np  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32)
    start, end = int(offsets[rows.offset]), int(offsets[rows.offset + len(rows)])
    return rows.buffers()[2][start:end].to_pybytes()  # type: ignore[no-any-return]


def _arrow_cells(table: pa.Table, lines: pa.Array, column: Column) -> pa.Array:
    """The cells of one column, escaped and quoted, '' for null."""
    import pyarrow as pa  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    values = _leaf(table, column.path)
    if column.kind in ("float", "number"):  # a key that is not unique in a line: the values in Python
        rows = [orjson.loads(line) for line in lines.to_pylist()]
        return pa.array([str(v) if v is not None else "" for v in _values(rows, column.path)], pa.string())
    if column.kind == "bool":
        return pc.fill_null(pc.if_else(values, "true", "false"), "")
    if column.kind == "list":
        return _quoted(_escaped(_lists(values, column)))
    if column.kind == "json":
        return _quoted(pa.array([escape(_json_cell(v)) if v else "" for v in values.to_pylist()], pa.string()))
    if pa.types.is_dictionary(values.type):  # vocabularies: escape and quote the few distinct values only
        distinct = _quoted(_escaped(values.dictionary.cast(pa.string())))
        return pc.fill_null(pc.take(distinct, values.indices), "")
    text = _escaped(pc.fill_null(values.cast(pa.string()), ""))
    return _quoted(text) if pa.types.is_string(values.type) else text  # dates and integers never need quotes


def _leaf(table: pa.Table, path: tuple[str, ...]) -> pa.Array:
    values = table.column(path[0]).combine_chunks()
    for key in path[1:]:  # flatten() carries a null parent down to its fields
        values = values.flatten()[values.type.get_field_index(key)]
    return values


def _escaped(cells: pa.Array) -> pa.Array:
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    marked = pc.binary_join_element_wise(ESCAPE, cells, "")
    return pc.if_else(pc.match_substring_regex(cells, _FORMULA), marked, cells)


def _quoted(cells: pa.Array) -> pa.Array:
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    doubled = pc.binary_join_element_wise('"', pc.replace_substring(cells, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(cells, _NEEDS_QUOTES), doubled, cells)


def _number_cells(lines: pa.Array, record_type: str) -> dict[str, pa.Array]:
    """Column → cells of the number columns read by key from the JSON lines (one regex per run of keys); a number
    is never escaped."""
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    out = {}
    for pattern, columns in _NUMBER_PLANS[record_type]:
        found = pc.extract_regex(lines, pattern)
        for index, column in enumerate(columns):
            tokens = pc.struct_field(found, [index])
            out[column.name] = _repr(
                pc.fill_null(pc.if_else(pc.equal(tokens, "null"), "", tokens), "")
            )  # never escaped
    return out


def _repr(tokens: pa.Array) -> pa.Array:
    """``str()`` of each JSON number (tokens as orjson wrote them; '' stays '')."""
    import pyarrow as pa  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    odd = pc.match_substring_regex(tokens, _REPR_DIFFERS)
    if not pc.any(odd).as_py():
        return tokens
    flags, texts = odd.to_pylist(), tokens.to_pylist()
    return pa.array([str(orjson.loads(t)) if f else t for t, f in zip(texts, flags, strict=True)], pa.string())


def _number_plan(record_type: str) -> list[tuple[str, list[Column]]]:
    """(regex, its columns) for the number columns whose key is unique: keys adjacent in canonical JSON share one."""
    layout = LAYOUT[record_type]
    numbers = [c for c in layout if c.kind in ("float", "number") and _UNIQUE_KEYS.get(c.path[-1]) is True]
    plan: list[tuple[str, list[Column]]] = []
    for parent in dict.fromkeys(c.path[:-1] for c in numbers):
        depth = len(parent)
        siblings = sorted({c.path[depth] for c in layout if c.path[:depth] == parent and len(c.path) > depth})
        mine = {c.path[-1]: c for c in numbers if c.path[:-1] == parent}
        run: list[Column] = []
        for key in [*siblings, None]:
            if key in mine:
                run.append(mine[key])
                continue
            if run:
                parts = [f'"{re.escape(c.path[-1])}":(?P<n{i}>{_TOKEN})' for i, c in enumerate(run)]
                plan.append((",".join(parts), run))
                run = []
    return plan


def _lists(values: pa.Array, column: Column) -> pa.Array:
    import pyarrow as pa  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)
    import pyarrow.compute as pc  # noqa: PLC0415 - pyarrow is loaded lazily (see the top)

    joined = pc.fill_null(pc.binary_join(values.cast(pa.list_(pa.string())), SEPARATOR), "")
    pipes = pc.count_substring(joined, "|")
    items = pc.fill_null(pc.list_value_length(values), 0)
    plain = pc.and_(pc.equal(pipes, pc.max_element_wise(pc.subtract(items, 1), 0)),
                    pc.or_(pc.equal(items, 0), pc.greater(pc.utf8_length(joined), 0)))  # fmt: skip
    if pc.all(plain).as_py():
        return joined
    odd = pc.invert(plain).to_pylist()
    texts = joined.to_pylist()
    for index, value in enumerate(values.to_pylist()):
        if odd[index]:
            texts[index] = _joined(column, value)  # raises ValueError when the items would not split back
    return pa.array(texts, pa.string())


def _keys(model: type[BaseModel]) -> list[str]:
    out: list[str] = []
    for name, field in model.model_fields.items():
        out.append(name)
        for member in _members(field.annotation)[0]:
            core = _strip_annotated(typing.get_args(member)[0]) if typing.get_origin(member) is list else member
            if isinstance(core, type) and issubclass(core, BaseModel):
                out += _keys(core)
    return out


def _unique_keys() -> dict[str, bool]:
    """Key → whether it occurs at most once in a record of each type (then a number can be read by its key)."""
    unique: dict[str, bool] = {}
    for kind in KINDS:
        keys = _keys(kind.model)
        for key in keys:
            unique[key] = unique.get(key, True) and keys.count(key) == 1
    return unique


_UNIQUE_KEYS = _unique_keys()
_NUMBER_PLANS = {kind.record_type: _number_plan(kind.record_type) for kind in KINDS}
