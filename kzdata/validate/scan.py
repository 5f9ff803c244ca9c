"""Scan JSON Lines by byte ranges: parse and check each line on its own, in any process.

A ``.jsonl`` file is cut into ranges of about :data:`CHUNK_BYTES` that end at line ends
(:func:`split`). :func:`scan_range` reads one range and turns each line into an
:class:`Item`: the schema check (:func:`~kzdata.validate.parse.parse`), the single-record
checks (:mod:`~kzdata.validate.record_checks`) and, for a claim, the compact
:class:`~kzdata.validate.facts.ClaimFacts` the ledger needs — never the claim itself. It
is a pure function of the file's bytes, so ranges can be scanned in worker processes; the
parent feeds the items to the ledger in file order, which makes the result the same
whatever the number of processes. Line numbers in a :class:`Chunk` count from the start of
its range; the parent adds the lines of the ranges before it.
"""

from __future__ import annotations

import marshal
import pickle
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, NamedTuple

from kzdata.records.models import AnyRecord, Claim
from kzdata.validate.facts import ClaimFacts, claim_facts
from kzdata.validate.loaders import BOM, BOM_MESSAGE, iter_lines, too_long_message
from kzdata.validate.parse import Finding, parse
from kzdata.validate.record_checks import check_claim, check_record

CHUNK_BYTES = 2 * 1024 * 1024
"""Target size of one range (and of one batch of results sent back by a worker)."""
WHOLE_RANGE_BYTES = 64 * 1024 * 1024
"""A range up to this size is read at once; a larger one (it holds a huge line) line by line."""

NEWLINE = ord("\n")
READ, BAD, RECORD, CLAIM = range(4)
"""Kinds of Item: a read problem (not a record), a record failing the schema, a record, a claim."""


Item = tuple[int, int, list[Finding], str | None, "AnyRecord | ClaimFacts | bytes | None"]
"""What the parent needs of one line, a plain tuple: (kind, line, findings, record id, payload).

The payload is None (READ, BAD), the record (RECORD: sources, actors, events, relations —
few; pickled to bytes when it crosses processes) or the claim's facts (CLAIM).
"""


class Chunk(NamedTuple):
    """The items of one range and how many physical lines it held."""

    lines: int
    items: list[Item]


Task = tuple[str, int, int, int]
"""(path, start byte, end byte, line-length limit) of one range."""


def examine(data: bytes, line: int) -> Item:
    """Schema and single-record checks of one JSON document."""
    record, findings, record_id = parse(data)
    if record is None:
        return (BAD, line, findings, record_id, None)
    if isinstance(record, Claim):
        return (CLAIM, line, check_claim(record), record_id, claim_facts(record))
    return (RECORD, line, check_record(record), record_id, record)


def scan_range_packed(task: Task) -> tuple[int, bytes]:
    """:func:`scan_range` packed for another process: the line count and the items marshalled.

    marshal handles the plain tuples of the items in C, on both sides; the few full
    records travel pickled inside them.
    """
    lines, items = scan_range(task)
    for index, (kind, line, findings, record_id, payload) in enumerate(items):
        if kind == RECORD:
            items[index] = (kind, line, findings, record_id, pickle.dumps(payload))
    return lines, marshal.dumps(items)


def unpack(packed: tuple[int, bytes]) -> Chunk:
    """The Chunk of :func:`scan_range_packed`'s result (records still pickled)."""
    lines, blob = packed
    items: list[Item] = marshal.loads(blob)
    return Chunk(lines, items)


def split(path: Path, chunk: int = CHUNK_BYTES) -> list[tuple[int, int]]:
    """Byte ranges of about ``chunk`` bytes covering the file, each ending at a line end."""
    size = path.stat().st_size
    bounds = [0]
    with path.open("rb") as stream:
        while bounds[-1] + chunk < size:
            bounds.append(_line_end(stream, bounds[-1] + chunk, size))
    if bounds[-1] < size:
        bounds.append(size)
    return list(pairwise(bounds))


def _line_end(stream: BinaryIO, target: int, size: int) -> int:
    """Offset just after the first newline at or after ``target - 1`` (or the file size)."""
    stream.seek(target - 1)
    position = target - 1
    while block := stream.read(1 << 16):
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)
    return size


def scan_range(task: Task) -> Chunk:
    """Items of every line in one byte range of a JSON Lines file."""
    path, start, end, limit = task
    items: list[Item] = []
    number = 0
    with open(path, "rb") as stream:
        stream.seek(start)
        if end - start <= WHOLE_RANGE_BYTES:
            data, position = stream.read(end - start), 0
            while position < len(data):
                stop = data.find(b"\n", position) + 1 or len(data)
                number += 1
                length = stop - position - (data[stop - 1] == NEWLINE)  # the newline is not counted
                _line(items, number, data[position:stop] if length <= limit else None, start, limit)
                position = stop
        else:
            for number, line in iter_lines(stream, limit):
                _line(items, number, line, start, limit)
                if stream.tell() >= end:
                    break
    return Chunk(number, items)


def _line(items: list[Item], number: int, data: bytes | None, start: int, limit: int) -> None:
    if data is None:
        items.append((READ, number, [("KZ004", "", too_long_message(limit))], None, None))
        return
    if number == 1 and start == 0 and data.startswith(BOM):
        items.append((READ, 1, [("KZ003", "", BOM_MESSAGE)], None, None))
        data = data[len(BOM) :]
    if data.strip():
        items.append(examine(data, number))
