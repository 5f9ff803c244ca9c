"""Write the exported tables of a dataset build or release into one folder, atomically.

For each record type (``sources, actors, events, claims, claim_relations``)::

    <table>.jsonl    canonical records (kzdata.records.jsonl.dumps: sorted keys, UTF-8, "\\n"), rows by id
    <table>.parquet  explicit Arrow schema (kzdata.formats.parquet), zstd, rows by id, bounded row groups,
                     key-value metadata: schema_version, dataset_version, record_type,
                     field_descriptions (JSON, path → description)
    <table>.csv      kzdata.formats.csv columns, RFC 4180, UTF-8 without BOM, CRLF line ends, rows by id

then ``kzdata.sqlite`` (every table in one file, :mod:`kzdata.formats.sqlite`), ``datapackage.json``,
the card ``README.md`` and its chart ``contested_figures.png``, ``CODEBOOK.md``, ``CITATION.cff``,
any extra files (a release adds ``changes.jsonl``) and
``SHA256SUMS`` over all of them.

Records are streamed, so memory stays bounded whatever their number: pass 1 dumps each
record once to its canonical JSON line and spools it by table (:mod:`kzdata.release.spool`, an
external merge sort by id; for JSON Lines files, worker processes parse, sort and write a run of
each part of the input); pass 2 reads each table back in id order, ``row_group_size`` rows
at a time, and appends the rows to its JSONL, CSV and Parquet (one row group each) files. When
the runs follow each other by id (input already sorted, as every file kzdata writes), pass 2
reads them in bulk: no line is handled one by one in this process. Only
sources, actors and claim relations (and the claims in a relation or of a contested quantity) are
held whole, for the card and its chart. Sizes and hashes are computed from the files written, read in chunks.

Everything is written into a hidden folder beside ``out_dir`` and renamed into place at the
end, so a crash never leaves a half-written export. The bytes depend only on the records and
the parameters: not on the input order, the clock, ``TZ``, the locale or ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import json
import marshal
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from kzdata.build import quantities, relations
from kzdata.errors import DataError, InputError, RecordError, UsageError
from kzdata.formats import card, chart, codebook, csv, datapackage, parquet, sqlite
from kzdata.records import kinds
from kzdata.records.jsonl import RECORD_ADAPTER, describe, parse_record, read_records
from kzdata.records.models import AnyRecord, ClaimRelation, Source
from kzdata.records.schema import SCHEMA_VERSION
from kzdata.release import sums
from kzdata.release.folders import check_replaceable, make_staging, publish, recover
from kzdata.release.layout import SUMS_NAME
from kzdata.release.spool import Pair, Run, Spool, write_run
from kzdata.validate import scan
from kzdata.validate.parallel import PARALLEL_MIN_BYTES, default_jobs, fewer_collections, in_background, ordered_map

ROW_GROUP_SIZE = 10_000
CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
"""orjson options of a canonical JSONL line: :func:`kzdata.records.jsonl.dumps` plus the line end. orjson writes
the dates and vocabulary members of ``model_dump()`` as their JSON forms, so the Python-mode dump (twice as
fast as ``mode="json"``) gives the same bytes."""
CARD_TABLES = ("sources", "actors", "events", "claim_relations")
"""Tables the card needs whole (they are small); of the claims it needs only those in a relation."""
RUN_BYTES = 32 << 20
"""Bytes of canonical lines a table holds in memory before a sorted run goes to disk (kzdata.release.spool)."""
RUNS_DIR = ".runs"
EXPORT_RANGE_BYTES = 32 << 20
"""Bytes of input a worker sorts into one run per table: few runs to merge, bounded worker memory."""
MAX_DUPLICATES_SHOWN = 5
NEWLINE = ord("\n")


def derivation_rules() -> dict[str, str]:
    """The codebook's sections on derived tables: the documented rules of the modules that derive them."""
    return {
        "How claim relations are derived": inspect.getdoc(relations) or "",
        "How quantities are summarised (low, best, high)": inspect.getdoc(quantities) or "",
    }


def spool_records(
    records: Iterable[AnyRecord], directory: Path, run_bytes: int | None = None
) -> tuple[dict[str, Spool], dict[str, list[AnyRecord]]]:
    """Pass 1: each record dumped once to its canonical line and spooled by table; the card's tables kept whole.

    ``run_bytes`` (default :data:`RUN_BYTES`) bounds the bytes of lines each table holds in memory.
    """
    spools = {name: Spool(directory, name, run_bytes or RUN_BYTES) for name in kinds.TABLES}
    kept: dict[str, list[AnyRecord]] = {name: [] for name in CARD_TABLES}
    for record in records:
        name = kinds.BY_TYPE[record.record_type].table
        spools[name].add(record.id.encode("utf-8"), orjson.dumps(_TO_PYTHON(record), option=CANONICAL))
        if name in kept:
            kept[name].append(record)
    return spools, kept


class JsonlFiles:
    """JSON Lines files of records, read as one stream: an iterable of records that :func:`spool_input` reads faster.

    Iterating gives the records (:func:`kzdata.records.jsonl.read_records`). :func:`spool_input` instead
    parses byte ranges of each file in ``jobs`` worker processes (:mod:`kzdata.validate.parallel`),
    which hand back the canonical lines by table; the first bad line raises RecordError as ever.
    """

    def __init__(self, paths: Sequence[Path], jobs: int | None = None) -> None:
        self.paths = list(paths)
        self.jobs = default_jobs() if jobs is None else jobs

    def __iter__(self) -> Iterator[AnyRecord]:
        return read_records(self.paths)


def spool_input(
    records: Iterable[AnyRecord], directory: Path, run_bytes: int | None = None
) -> tuple[dict[str, Spool], dict[str, list[AnyRecord]]]:
    """Pass 1 (:func:`spool_records`), in worker processes when the records are :class:`JsonlFiles`."""
    if isinstance(records, JsonlFiles):
        return spool_files(records, directory, run_bytes)
    return spool_records(records, directory, run_bytes)


def spool_files(
    files: JsonlFiles, directory: Path, run_bytes: int | None = None
) -> tuple[dict[str, Spool], dict[str, list[AnyRecord]]]:
    """:func:`spool_records` of JSON Lines files, their byte ranges parsed in worker processes.

    Each worker sorts the records of its range and writes them as one run per table
    (:func:`kzdata.release.spool.write_run`); this process only collects the runs, so it holds no
    lines (``run_bytes`` is not needed: a range is at most about :data:`EXPORT_RANGE_BYTES`).
    """
    spools = {name: Spool(directory, name, run_bytes or RUN_BYTES) for name in kinds.TABLES}
    kept: dict[str, list[AnyRecord]] = {name: [] for name in CARD_TABLES}
    stems = itertools.count()
    for path in files.paths:
        try:
            ranges = scan.split(path, _range_bytes(path, files.jobs))
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}", "pass an existing JSON Lines file") from None
        jobs = files.jobs if ranges and ranges[-1][1] >= PARALLEL_MIN_BYTES else 1
        first = 0
        tasks = [(str(path), start, end, str(directory), str(next(stems))) for start, end in ranges]
        with fewer_collections():
            for packed in ordered_map(spool_range, tasks, min(jobs, len(tasks))):
                lines, runs, card_entries, bad = marshal.loads(packed)
                if bad is not None:
                    raise RecordError(bad[1], "fix the record, or run 'kzdata validate' to list every problem",
                                      file=str(path), line=first + bad[0])  # fmt: skip
                for name, (ids, text, count, low, high, repeats) in runs.items():
                    spools[name].add_run(Run(Path(ids), Path(text), count, low, high, repeats))
                for name, entries in card_entries.items():
                    kept[name] += [parse_record(entry.partition(b"\t")[2]) for entry in entries]
                first += lines
    return spools, kept


def _range_bytes(path: Path, jobs: int) -> int:
    """Bytes per range: about eight per worker (even loads), from scan.CHUNK_BYTES to EXPORT_RANGE_BYTES."""
    return max(scan.CHUNK_BYTES, min(EXPORT_RANGE_BYTES, path.stat().st_size // (8 * max(jobs, 1))))


_VALIDATE_JSON = RECORD_ADAPTER.validator.validate_json
_TO_PYTHON = RECORD_ADAPTER.serializer.to_python
"""``record.model_dump()`` without the Python-level wrapper (same dict, a third faster: tested)."""
_TABLE_OF = {kind.record_type: kind.table for kind in kinds.KINDS}


def spool_range(task: tuple[str, int, int, str, str]) -> bytes:
    """One byte range of a JSON Lines file, its records sorted into runs, marshalled.

    Returns (lines, table → run fields, table → entries ``<id>\\t<line>`` of the card's tables, error).
    The error is None, or (line in the range, message) of the first line that is not a record;
    then no run is written. Runs are named ``<table>.<stem>`` in ``directory``.
    """
    path, start, end, directory, stem = task
    with open(path, "rb") as stream:
        stream.seek(start)
        data = stream.read(end - start)
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    entries: dict[str, list[bytes]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = _VALIDATE_JSON(line, strict=True)
        except ValidationError as error:
            return marshal.dumps((len(lines), {}, {}, (number, describe(error))))
        dumped = orjson.dumps(_TO_PYTHON(record), option=CANONICAL)
        entries.setdefault(_TABLE_OF[record.record_type], []).append(record.id.encode("utf-8") + b"\t" + dumped)
    count = len(lines)
    del lines, data
    card_entries = {name: list(found) for name, found in entries.items() if name in CARD_TABLES}
    runs = {}
    for name, found in entries.items():
        run = write_run(Path(directory), f"{name}.{stem}", found)
        if run is not None:
            runs[name] = (str(run.ids), str(run.lines), run.count, run.first, run.last, run.repeats)
    return marshal.dumps((count, runs, card_entries, None))


def unique(name: str, pairs: Iterator[Pair]) -> Iterator[Pair]:
    """Pairs sorted by id, passed on until an id repeats: then DataError naming the first duplicate ids."""
    previous = None
    for record_id, line in pairs:
        if record_id == previous:
            raise _duplicates(name, record_id, pairs)
        previous = record_id
        yield record_id, line


def _duplicates(name: str, first: bytes, rest: Iterator[Pair]) -> DataError:
    found, last = [first], first
    for record_id, _ in rest:
        if len(found) >= MAX_DUPLICATES_SHOWN:
            break
        if record_id == last and found[-1] != record_id:
            found.append(record_id)
        last = record_id
    shown = ", ".join(i.decode("utf-8") for i in found)
    return DataError(f"{name}: duplicate ids {shown}", "run 'kzdata validate' and merge them")


def write_table_files(
    staging: Path,
    name: str,
    spool: Spool,
    *,
    metadata: Mapping[str, str],
    row_group_size: int,
    keep: Callable[[pa.Table], pa.ChunkedArray] | None = None,
    jobs: int = 1,
) -> list[AnyRecord]:
    """Pass 2 for one table: ``<name>.jsonl|.csv|.parquet`` from its spooled lines in id order, a row group at a time.

    Returns the records whose rows the mask ``keep(table)`` selects (parsed back from their lines).
    Batches are turned into Arrow and CSV in ``jobs`` worker processes (:func:`encode_batch`); the
    files are written here. When the spool's runs follow each other (:meth:`Spool.chained_runs`),
    the workers read their batch from the runs themselves and the JSONL is the runs end to end;
    otherwise the runs are merged here line by line and every id checked for repeats.
    """
    schema = parquet.schema_for(kinds.BY_TABLE[name].model, metadata=dict(metadata))
    kept: list[AnyRecord] = []
    record_type = kinds.BY_TABLE[name].record_type
    runs = spool.chained_runs() if spool.count > row_group_size else None
    with contextlib.ExitStack() as files:
        jsonl = files.enter_context((staging / f"{name}.jsonl").open("wb"))
        table_csv = files.enter_context((staging / f"{name}.csv").open("wb"))
        table_parquet = files.enter_context(parquet.parquet_writer(staging / f"{name}.parquet", schema))
        table_csv.write(csv.header(record_type))
        held: deque[Batch] = deque()

        def tasks() -> Iterator[tuple[str, Batch]]:
            if runs is not None:
                for segments in _segments(runs, row_group_size):
                    held.append(segments)
                    yield name, segments
                return
            pairs = files.enter_context(contextlib.closing(spool.sorted_pairs()))
            for chunk in _batched(unique(name, pairs), row_group_size):
                lines = b"".join(line for _, line in chunk)
                held.append(lines)
                jsonl.write(lines)
                yield name, lines

        # Parquet is encoded in a thread (pyarrow releases the GIL) while this one merges the next batch.
        with ThreadPoolExecutor(1) as writer:
            written: Future[None] | None = None
            for encoded, arrow in ordered_map(encode_batch, tasks(), jobs):
                batch = held.popleft()
                table_csv.write(encoded)
                with pa.ipc.open_stream(arrow) as reader:
                    table = reader.read_all()
                if keep is not None:
                    kept += _selected(table, batch, keep)
                if written is not None:
                    written.result()
                written = writer.submit(table_parquet.write_table, table, row_group_size=row_group_size)
            if written is not None:
                written.result()
        for run in runs or ():
            with run.lines.open("rb") as lines:
                shutil.copyfileobj(lines, jsonl, COPY_BYTES)
    return kept


Batch = bytes | list[tuple[str, int, int]]
"""The canonical lines of a batch: the bytes, or where they are in the run files ((path, start, end) segments)."""
COPY_BYTES = 4 << 20


def _segments(runs: Sequence[Run], size: int) -> Iterator[list[tuple[str, int, int]]]:
    """Batches of ``size`` lines of the runs' lines end to end, each as (path, start, end) segments of the files."""
    pending: list[tuple[str, int, int]] = []
    need = size
    for run in runs:
        path, start, offset = str(run.lines), 0, 0
        with run.lines.open("rb") as stream:
            while block := stream.read(COPY_BYTES):
                ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == NEWLINE) + (offset + 1)
                offset += len(block)
                taken = 0
                while len(ends) - taken >= need:
                    end = int(ends[taken + need - 1])
                    pending.append((path, start, end))
                    yield pending
                    pending, start, taken, need = [], end, taken + need, size
                need -= len(ends) - taken
        if start < offset:
            pending.append((path, start, offset))
    if pending:
        yield pending


def _batch_bytes(batch: Batch) -> bytes:
    if isinstance(batch, bytes):
        return batch
    parts = []
    for path, start, end in batch:
        with open(path, "rb") as stream:
            stream.seek(start)
            parts.append(stream.read(end - start))
    return b"".join(parts)


def _selected(table: pa.Table, batch: Batch, keep: Callable[[pa.Table], pa.ChunkedArray]) -> list[AnyRecord]:
    """The records of the rows of ``table`` that ``keep`` selects, parsed from the batch's lines."""
    mask = keep(table)
    if not pc.any(mask).as_py():
        return []
    lines = _lines_array(_batch_bytes(batch)).filter(pa.chunked_array(mask).combine_chunks())
    return [parse_record(line) for line in lines.to_pylist()]


def encode_batch(task: tuple[str, Batch]) -> tuple[bytes, bytes]:
    """The CSV rows and the Arrow table (as an IPC stream) of one batch of canonical lines of a table."""
    name, batch = task
    lines = _batch_bytes(batch)
    kind = kinds.BY_TABLE[name]
    table = parquet.table_from_json(lines, parquet.schema_for(kind.model))
    text = _lines_array(lines)
    encoded = csv.csv_bytes(table, text, kind.record_type)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return encoded, sink.getvalue().to_pybytes()


def _lines_array(lines: bytes) -> pa.Array:
    """``\\n``-terminated lines as a string array (each value keeps its ``\\n``), without copying them."""
    ends = np.flatnonzero(np.frombuffer(lines, dtype=np.uint8) == NEWLINE) + 1
    offsets = np.concatenate(([0], ends)).astype(np.int32)
    return pa.StringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(lines))


def _batched(pairs: Iterator[Pair], size: int) -> Iterator[list[Pair]]:
    while chunk := list(itertools.islice(pairs, size)):
        yield chunk


def _render_json(document: object) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_into(
    staging: Path,
    records: Iterable[AnyRecord],
    *,
    dataset_version: str,
    schema_version: str,
    quality: Path | None,
    extra_files: Mapping[str, bytes],
    released: date | None,
    row_group_size: int,
    run_bytes: int | None = None,
    chart_png: Callable[[], bytes] | None = None,
) -> list[str]:
    """Write every file of an export into ``staging``; returns the file names."""
    runs = staging / RUNS_DIR
    runs.mkdir()
    spools, card_tables = spool_input(records, runs, run_bytes)
    involved = sorted(
        {claim
         for relation in card_tables["claim_relations"]
         if isinstance(relation, ClaimRelation)
         for claim in (relation.claim_id, relation.other_claim_id)}
    )  # fmt: skip
    scopes = chart.contested_scopes(card_tables["claim_relations"])  # the chart draws every claim of these

    involved_ids = pa.array(involved, pa.string())
    scope_keys = pa.array(sorted(_scope_key(predicate, scope) for predicate, scope in scopes), pa.string())

    def for_card(table: pa.Table) -> pa.ChunkedArray:
        """Rows of claims in a relation, or of a contested quantity."""
        mask = pc.is_in(table.column("id"), value_set=involved_ids)
        if not scopes:
            return mask
        scope = table.column("scope")
        keys = pc.binary_join_element_wise(
            pc.cast(table.column("predicate"), pa.string()), pc.fill_null(scope, ""),
            pc.if_else(pc.is_null(scope), "n", "s"), "\x1f",
        )  # fmt: skip
        return pc.or_(mask, pc.is_in(keys, value_set=scope_keys))

    versions = {"dataset_version": dataset_version, "schema_version": schema_version}
    early = _sqlite_inputs(spools) if _jobs(records) > 1 else None
    with contextlib.ExitStack() as background:
        # The runs are already the sorted tables: kzdata.sqlite is written from them in one more process
        # while the tables are written here.
        database = background.enter_context(
            in_background(sqlite.write_sqlite, staging / sqlite.FILE_NAME, early, **versions)
        ) if early is not None else None  # fmt: skip
        names: list[str] = []
        for name, spool in spools.items():
            meta = parquet.parquet_metadata(kinds.BY_TABLE[name].model, name, **versions)
            keep = for_card if name == "claims" else None
            kept = write_table_files(staging, name, spool, metadata=meta, row_group_size=row_group_size, keep=keep,
                                     jobs=_jobs(records) if spool.count > row_group_size else 1)  # fmt: skip
            card_tables.setdefault(name, kept)
            if database is None:
                spool.remove()
            pa.default_memory_pool().release_unused()  # what Arrow's allocator kept for reuse: start the next table low
            names += [f"{name}.jsonl", f"{name}.parquet", f"{name}.csv"]
        if database is not None:
            database()
        else:
            sqlite.write_sqlite(staging / sqlite.FILE_NAME, {name: staging / f"{name}.jsonl" for name in spools},
                                **versions)  # fmt: skip
    shutil.rmtree(runs)
    names.append(sqlite.FILE_NAME)
    counts = {name: spool.count for name, spool in spools.items()}
    text = card.render_card(
        card_tables, counts=counts, dataset_version=dataset_version, schema_version=schema_version, quality=quality
    )
    book = codebook.render_codebook(
        card_tables, dataset_version=dataset_version, schema_version=schema_version, rules=derivation_rules()
    )
    citation = card.render_citation(dataset_version=dataset_version, released=released)
    documents = {
        "README.md": text.encode("utf-8"),
        chart.FILE_NAME: chart_png() if chart_png else chart.render_png(chart.points(card_tables)),
        "CODEBOOK.md": book.encode("utf-8"),
        "CITATION.cff": citation.encode("utf-8"),
        **extra_files,
    }
    for file_name, content in documents.items():
        (staging / file_name).write_bytes(content)
    names += list(documents)
    digests = sums.digest_all(staging, names)
    package = datapackage.build(
        dataset_version=dataset_version,
        schema_version=schema_version,
        digests=digests,
        csv_columns={name: csv.COLUMNS[kinds.BY_TABLE[name].record_type] for name in kinds.TABLES},
        line_terminator=csv.CSV_LINE_TERMINATOR,
        outlets=[s.outlet for s in card_tables["sources"] if isinstance(s, Source)],
    )
    (staging / "datapackage.json").write_bytes(_render_json(package))
    digests = {**digests, **sums.digest_all(staging, ["datapackage.json"])}
    names.append("datapackage.json")
    (staging / SUMS_NAME).write_bytes(sums.render_sums(digests).encode("utf-8"))
    return sorted([*names, SUMS_NAME])


def _sqlite_inputs(spools: Mapping[str, Spool]) -> dict[str, list[Path]] | None:
    """Each table's sorted lines as its runs' files end to end, when every table's runs chain; else None."""
    found: dict[str, list[Path]] = {}
    for name, spool in spools.items():
        runs = spool.chained_runs() if spool.count else []
        if runs is None:
            return None
        found[name] = [run.lines for run in runs]
    return found


def _scope_key(predicate: str, scope: str | None) -> str:
    """What :func:`write_into`'s ``for_card`` compares: predicate, scope and whether the scope is null."""
    return "\x1f".join((predicate, scope or "", "n" if scope is None else "s"))


def _jobs(records: Iterable[AnyRecord]) -> int:
    return records.jobs if isinstance(records, JsonlFiles) else default_jobs()


def write_tables(
    records: Iterable[AnyRecord],
    out_dir: Path,
    *,
    dataset_version: str,
    schema_version: str = SCHEMA_VERSION,
    quality: Path | None = None,
    extra_files: Mapping[str, bytes] | None = None,
    released: date | None = None,
    replace: bool = True,
    row_group_size: int = ROW_GROUP_SIZE,
    chart_png: Callable[[], bytes] | None = None,
) -> list[Path]:
    """Write all tables, the data package, card, citation and checksums into ``out_dir``.

    ``records`` may be any iterable (a generator too): it is read once, in bounded memory.
    ``extra_files`` (name → bytes) are added before the checksums (a release's ``changes.jsonl``);
    ``quality`` is a file of extraction quality figures for the card (Markdown, or a JSON object).
    An existing ``out_dir`` is replaced as a whole, and only when :func:`kzdata.release.folders.check_replaceable`
    allows it (missing, empty, or an export kzdata wrote; never a release); with ``replace`` false it must not
    exist. What a killed earlier run left beside it is repaired first (:func:`kzdata.release.folders.recover`).
    Two records of a table with the same id are refused (DataError) and nothing is written.
    ``chart_png``, if given, returns the bytes of ``contested_figures.png`` (the caller rendered them from the same
    records, e.g. in another process while this one writes the tables); else the chart is rendered here.
    Returns the paths written, sorted by name.
    """
    if not replace and out_dir.exists():
        raise UsageError(f"{out_dir} already exists", "choose another folder or version")
    recover(out_dir)
    check_replaceable(out_dir)
    staging = make_staging(out_dir)
    try:
        names = write_into(
            staging, records, dataset_version=dataset_version, schema_version=schema_version, quality=quality,
            extra_files=dict(extra_files or {}), released=released, row_group_size=row_group_size,
            chart_png=chart_png,
        )  # fmt: skip
        publish(staging, out_dir, replace=replace)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / name for name in names]


def export_jsonl(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    dataset_version: str,
    schema_version: str = SCHEMA_VERSION,
    quality: Path | None = None,
    released: date | None = None,
    replace: bool = True,
    row_group_size: int = ROW_GROUP_SIZE,
    jobs: int | None = None,
) -> list[Path]:
    """Export the records of JSON Lines files (any order, any size) as :func:`write_tables` does, streaming them.

    Each line is parsed and validated as a record; the first bad line raises RecordError with
    its file and line number (``kzdata validate`` lists every problem). A file that cannot be
    opened raises InputError. Nothing is written unless every line is a record. ``jobs`` worker
    processes (None: every core) parse and encode large files; the files do not depend on it.
    """
    return write_tables(
        JsonlFiles(paths, jobs), out_dir, dataset_version=dataset_version, schema_version=schema_version,
        quality=quality, released=released, replace=replace, row_group_size=row_group_size,
    )  # fmt: skip
