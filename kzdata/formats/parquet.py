"""Explicit Arrow schemas derived from the record models, and records ↔ Arrow tables.

The schemas are never inferred from data: :func:`schema_for` walks the pydantic fields of a
record model and maps each annotation to one Arrow type:

=========================================  ==============================================
model annotation                           Arrow type
=========================================  ==============================================
``date``                                   ``date32``
``str`` (ids, text, ``Literal`` tags)      ``string`` (``Literal`` → dictionary)
a :class:`~kzdata.records.vocab.Vocab` enum         ``dictionary<int32, string>``
``int``                                    ``int64``
``float``                                  ``float64``
``int | float`` (value amount, low, high)  ``float64`` — exact for integers below 2**53
``bool``                                   ``bool``
``list[X]``                                ``list<X>`` (items never null)
a nested model (Value, Span, Location…)    ``struct`` of its fields
``X | None``                               the type of X, nullable
=========================================  ==============================================

Fields that are not optional are ``not null``. Every field carries its model description
as field metadata (``description``). :func:`to_table` and :func:`from_table` convert
records to a table and back; reading a table back gives records equal to the originals.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kzdata.errors import KzdataError
from kzdata.records.kinds import BY_TABLE
from kzdata.records.models import AnyRecord
from kzdata.records.vocab import Vocab

ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())
LIST_ITEM = "element"  # the name Parquet's compliant nested layout gives list items


def strip_annotation(annotation: Any) -> tuple[Any, bool]:
    """The core type of an annotation without ``Annotated`` and ``None``, and whether None is allowed."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(members) < len(get_args(annotation))
        cores = [strip_annotation(m)[0] for m in members]
        if len(cores) == 1:
            return cores[0], nullable
        if set(cores) == {int, float}:
            return float, nullable
        raise KzdataError(f"no Arrow type for the union {annotation!r}", "extend kzdata.formats.parquet")
    return annotation, False


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a (stripped, non-optional) model annotation."""
    scalars: dict[Any, pa.DataType] = {
        str: pa.string(),
        int: pa.int64(),
        float: pa.float64(),
        bool: pa.bool_(),
        date: pa.date32(),
    }
    if annotation in scalars:
        return scalars[annotation]
    if get_origin(annotation) is Literal or (isinstance(annotation, type) and issubclass(annotation, Vocab)):
        return ENUM_TYPE
    if get_origin(annotation) is list:
        item, nullable = strip_annotation(get_args(annotation)[0])
        return pa.list_(pa.field(LIST_ITEM, arrow_type(item), nullable=nullable))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(arrow_fields(annotation))
    raise KzdataError(f"no Arrow type for {annotation!r}", "extend kzdata.formats.parquet")


def arrow_field(name: str, info: FieldInfo) -> pa.Field:
    """One Arrow field for one model field, with its description as metadata."""
    core, nullable = strip_annotation(info.annotation)
    metadata = {"description": info.description} if info.description else None
    return pa.field(name, arrow_type(core), nullable=nullable, metadata=metadata)


def arrow_fields(model: type[BaseModel]) -> list[pa.Field]:
    """The Arrow fields of a model, in declaration order."""
    return [arrow_field(name, info) for name, info in model.model_fields.items()]


def schema_for(model: type[BaseModel], metadata: dict[str, str] | None = None) -> pa.Schema:
    """The explicit Arrow schema of a record model, with optional key-value metadata."""
    return pa.schema(arrow_fields(model), metadata=metadata)


def descriptions(model: type[BaseModel], prefix: str = "") -> dict[str, str]:
    """Field path ('value.amount') → description, for every field and nested field."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        path = prefix + name
        out[path] = info.description or ""
        core, _ = strip_annotation(info.annotation)
        if get_origin(core) is list:
            core, _ = strip_annotation(get_args(core)[0])
        if isinstance(core, type) and issubclass(core, BaseModel):
            out.update(descriptions(core, path + "."))
    return out


def vocabularies(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Field path → every value of its vocabulary in vocabulary order, for each dictionary-encoded field.

    These are the categories an analyst should see whatever values a release happens to hold.
    """
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name, info in model.model_fields.items():
        core, _ = strip_annotation(info.annotation)
        path = (*prefix, name)
        if get_origin(core) is Literal:
            out[path] = tuple(str(v) for v in get_args(core))
        elif isinstance(core, type) and issubclass(core, Vocab):
            out[path] = tuple(member.value for member in core)
        elif isinstance(core, type) and issubclass(core, BaseModel):
            out.update(vocabularies(core, path))
    return out


def with_vocabularies(table: pa.Table, model: type[BaseModel]) -> pa.Table:
    """``table`` with every dictionary column re-encoded over its full vocabulary, in vocabulary order.

    Parquet keeps only the values a file holds, in order of appearance; after this, the
    categories of a column are the same in every release.
    """
    vocab = vocabularies(model)
    columns = [_recode(table.column(i).combine_chunks(), (field.name,), vocab) for i, field in enumerate(table.schema)]
    return pa.Table.from_arrays(
        columns,
        schema=pa.schema(
            [_field_like(f, c) for f, c in zip(table.schema, columns, strict=True)], metadata=table.schema.metadata
        ),
    )


def _field_like(field: pa.Field, column: pa.Array) -> pa.Field:
    return pa.field(field.name, column.type, nullable=field.nullable, metadata=field.metadata)


def _recode(array: pa.Array, path: tuple[str, ...], vocab: Mapping[tuple[str, ...], tuple[str, ...]]) -> pa.Array:
    if pa.types.is_dictionary(array.type) and path in vocab:
        values = pa.array(vocab[path], pa.string())
        indices = pc.index_in(array.cast(pa.string()), value_set=values).cast(pa.int32())
        return pa.DictionaryArray.from_arrays(indices, values)
    if pa.types.is_struct(array.type):
        children = [
            _recode(array.field(i), (*path, array.type.field(i).name), vocab) for i in range(array.type.num_fields)
        ]
        fields = [_field_like(array.type.field(i), child) for i, child in enumerate(children)]
        return pa.StructArray.from_arrays(children, fields=fields, mask=array.is_null() if array.null_count else None)
    return array


def to_table(records: Sequence[AnyRecord], model: type[BaseModel], schema: pa.Schema | None = None) -> pa.Table:
    """Records of one model as an Arrow table with the model's explicit schema (rows in the given order)."""
    for record in records:
        if type(record) is not model:
            raise KzdataError(f"{record.id} is a {type(record).__name__}, not a {model.__name__}", "split by type")
    return table_from_dicts([record.model_dump(mode="json") for record in records], schema or schema_for(model))


def table_from_dicts(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """JSON-ready record dicts (``model_dump(mode="json")``, or canonical JSON parsed back) as a table of ``schema``.

    Dates arrive as ``YYYY-MM-DD`` strings: the rows are converted with the schema's dates read
    as strings, then cast to ``schema`` (string → ``date32``) by Arrow, column by column.
    """
    return pa.Table.from_pylist(list(rows), schema=json_schema(schema)).cast(schema)


def json_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with every ``date32`` (also inside lists and structs) read as a string."""
    return pa.schema([_json_field(field) for field in schema], metadata=schema.metadata)


def _json_field(field: pa.Field) -> pa.Field:
    return field.with_type(_json_type(field.type))


def _json_type(data_type: pa.DataType) -> pa.DataType:
    if data_type == pa.date32():
        return pa.string()
    if isinstance(data_type, pa.ListType):
        return pa.list_(_json_field(data_type.value_field))
    if isinstance(data_type, pa.StructType):
        return pa.struct([_json_field(data_type.field(i)) for i in range(data_type.num_fields)])
    return data_type


def from_table(table: pa.Table, model: type[BaseModel]) -> list[AnyRecord]:
    """Records from a table written by :func:`to_table` (or read back from Parquet)."""
    return list(iter_table(table, model))


def iter_table(table: pa.Table, model: type[BaseModel]) -> Iterable[AnyRecord]:
    """Validate each row of ``table`` as a ``model`` record, via its JSON form (strict, as any input)."""
    for batch in table.to_batches():
        for row in batch.to_pylist():
            record: AnyRecord = model.model_validate_json(orjson.dumps(row), strict=True)  # type: ignore[assignment]
            yield record


ZSTD_LEVEL = 9
PARQUET_FORMAT_VERSION = "2.6"


def parquet_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """The writer of one Parquet file: explicit schema, zstd, format 2.6, dictionary pages, statistics."""
    return pq.ParquetWriter(
        path,
        schema,
        compression="zstd",
        compression_level=ZSTD_LEVEL,
        version=PARQUET_FORMAT_VERSION,
        data_page_version="1.0",
        use_dictionary=True,
        write_statistics=True,
    )


def parquet_metadata(
    model: type[BaseModel], table: str, *, dataset_version: str, schema_version: str
) -> dict[str, str]:
    """Key-value metadata stamped into a Parquet file."""
    described = orjson.dumps(descriptions(model), option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return {
        "dataset_version": dataset_version,
        "field_descriptions": described,
        "record_type": BY_TABLE[table].record_type,
        "schema_version": schema_version,
    }


def read_type(data_type: pa.DataType) -> pa.DataType:
    """How ``pyarrow.json`` reads a column of ``data_type``: dates and dictionaries as strings, every field nullable."""
    if data_type == pa.date32() or pa.types.is_dictionary(data_type):
        return pa.string()
    if isinstance(data_type, pa.ListType):
        return pa.list_(_read_field(data_type.value_field))
    if isinstance(data_type, pa.StructType):
        return pa.struct([_read_field(data_type.field(i)) for i in range(data_type.num_fields)])
    return data_type


def _read_field(field: pa.Field) -> pa.Field:
    return field.with_type(read_type(field.type)).with_nullable(True)


def table_from_json(lines: bytes, schema: pa.Schema) -> pa.Table:
    """Canonical JSON lines of one table (``\\n``-terminated) as a one-chunk table of ``schema``.

    The batch-wise twin of :func:`table_from_dicts`, giving equal tables: Arrow parses the lines
    (a nullable read schema, strings for dates and dictionaries) and casts them column by column.
    """
    read = pa.schema([_read_field(field) for field in schema])
    table = pj.read_json(
        pa.BufferReader(lines),
        read_options=pj.ReadOptions(use_threads=False, block_size=max(len(lines), 1 << 20)),
        parse_options=pj.ParseOptions(explicit_schema=read, unexpected_field_behavior="error"),
    ).combine_chunks()
    columns = [_cast(_one_chunk(table.column(i), field.type), field.type) for i, field in enumerate(schema)]
    return pa.Table.from_arrays(columns, schema=schema)


def _one_chunk(column: pa.ChunkedArray, data_type: pa.DataType) -> pa.Array:
    return column.chunk(0) if column.num_chunks else pa.array([], read_type(data_type))


def _cast(array: pa.Array, data_type: pa.DataType) -> pa.Array:
    """``array.cast(data_type)``; the not-null fields of a null struct get a placeholder value, as from_pylist."""
    if isinstance(data_type, pa.StructType) and array.null_count:
        fields = [data_type.field(i) for i in range(data_type.num_fields)]
        children = [_placeholder(_cast(array.field(i), f.type), f) for i, f in enumerate(fields)]
        return pa.StructArray.from_arrays(children, fields=fields, mask=array.is_null())
    return array.cast(data_type)


def _placeholder(array: pa.Array, field: pa.Field) -> pa.Array:
    if field.nullable or not array.null_count:
        return array
    if isinstance(array, pa.DictionaryArray):
        return pa.DictionaryArray.from_arrays(pc.fill_null(array.indices, 0), array.dictionary, safe=False)
    zero: object = "" if pa.types.is_string(field.type) else False if pa.types.is_boolean(field.type) else 0
    return pc.fill_null(array, pa.scalar(zero, field.type))
