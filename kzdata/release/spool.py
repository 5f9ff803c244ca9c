"""Sort any number of records by id in bounded memory: an external merge sort of canonical lines.

An export writes its rows sorted by id, but records arrive in any order and may be far more
than fit in memory. A :class:`Spool` keeps the lines of one table in memory as entries
``<id>\\t<line>`` (one compact bytes object each) up to ``run_bytes`` bytes; past that, it sorts
them and writes them to a sorted :class:`Run` in ``directory``. Runs sorted elsewhere (the export's
worker processes sort the records of their part of the input, :func:`write_run`) join with
:meth:`Spool.add_run`. :meth:`Spool.sorted_pairs` then merges the runs and what is still in
memory (``heapq.merge``), reading each run sequentially. Memory is therefore bounded by
``run_bytes`` plus one read buffer per run, whatever the number of records; a table that fits
in one run never touches the disk.

A run is two files, in the same order: ``.ids`` (one id per line) and ``.lines`` (the canonical
lines), so the lines of a run can be read back in bulk, without touching each one in Python.
When the runs do not overlap (each run's ids all sort before the next run's, as when the input
was already sorted by id — kzdata writes every file that way) and none repeats an id,
:meth:`Spool.chained_runs` hands them back in order: the table is their lines end to end.

Entries sort by id because the tab (and the line end) sorts below every character of an id
(ids never hold a tab or line break; canonical JSON lines hold no raw tab or line break). Ids
are compared as UTF-8 bytes, which orders them exactly as Python orders the strings. Entries
with the same id come out next to each other; the caller decides what a duplicate means.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Generator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

READ_BUFFER = 256 << 10
Pair = tuple[bytes, bytes]


@dataclass(frozen=True)
class Run:
    """A sorted run on disk: ``count`` ids in ``ids`` and their lines in ``lines``, from ``first`` to ``last``.

    ``repeats`` is true when an id occurs twice in the run.
    """

    ids: Path
    lines: Path
    count: int
    first: bytes
    last: bytes
    repeats: bool

    def pairs(self) -> Generator[Pair, None, None]:
        """The run's ``(id, line)`` pairs, in order, read sequentially."""
        with self.ids.open("rb", buffering=READ_BUFFER) as ids, self.lines.open("rb", buffering=READ_BUFFER) as lines:
            for record_id, line in zip(ids, lines, strict=True):
                yield record_id[:-1], line

    def remove(self) -> None:
        self.ids.unlink(missing_ok=True)
        self.lines.unlink(missing_ok=True)


def write_run(directory: Path, stem: str, entries: list[bytes]) -> Run | None:
    """Sort ``entries`` (``<id>\\t<line>``, as :meth:`Spool.add` makes them) in place and write them as a Run.

    None when there are no entries.
    """
    if not entries:
        return None
    entries.sort()
    ids: list[bytes] = []
    lines: list[bytes] = []
    repeats = False
    previous = None
    for entry in entries:
        record_id, _, line = entry.partition(b"\t")
        repeats = repeats or record_id == previous
        previous = record_id
        ids.append(record_id + b"\n")
        lines.append(line)
    run = Run(directory / f"{stem}.ids", directory / f"{stem}.lines", len(ids), ids[0][:-1], ids[-1][:-1], repeats)
    with run.ids.open("wb") as handle:
        handle.writelines(ids)
    with run.lines.open("wb") as handle:
        handle.writelines(lines)
    return run


class Spool:
    """Lines of one table with their ids, handed back sorted by id."""

    def __init__(self, directory: Path, name: str, run_bytes: int) -> None:
        self.directory = directory
        self.name = name
        self.run_bytes = run_bytes
        self.count = 0
        self._entries: list[bytes] = []
        self._held = 0
        self._runs: list[Run] = []

    def add(self, record_id: bytes, line: bytes) -> None:
        """Keep one line (ending with ``\\n``) under its id; spill a sorted run when memory is full."""
        entry = record_id + b"\t" + line
        self._entries.append(entry)
        self._held += len(entry)
        self.count += 1
        if self._held >= self.run_bytes:
            self._spill()

    def extend(self, entries: list[bytes]) -> None:
        """Keep many entries ``<id>\\t<line>`` at once (as :meth:`add` makes them)."""
        self._entries += entries
        self._held += sum(map(len, entries))
        self.count += len(entries)
        if self._held >= self.run_bytes:
            self._spill()

    def add_run(self, run: Run) -> None:
        """Take a run written by :func:`write_run` (into this spool's directory) as part of the table."""
        self._runs.append(run)
        self.count += run.count

    def _spill(self) -> None:
        run = write_run(self.directory, f"{self.name}.run{len(self._runs)}", self._entries)
        if run is not None:
            self._runs.append(run)
        self._entries = []
        self._held = 0

    def chained_runs(self) -> list[Run] | None:
        """Every line on disk in runs that follow each other by id, without a repeat; else None.

        Then the table, in id order, is the lines of these runs end to end. None when lines are
        still in memory, when two runs overlap, or when an id repeats.
        """
        if self._entries or not self._runs:
            return None
        runs = sorted(self._runs, key=lambda run: run.first)
        if any(run.repeats for run in runs) or any(a.last >= b.first for a, b in itertools.pairwise(runs)):
            return None
        return runs

    def sorted_pairs(self) -> Generator[Pair, None, None]:
        """Every ``(id, line)`` pair, by id (then by line): the runs on disk merged with the lines in memory."""
        self._entries.sort()
        if not self._runs:
            yield from map(_pair, self._entries)
            return
        with ExitStack() as stack:
            readers = [stack.enter_context(closing(run.pairs())) for run in self._runs]
            yield from heapq.merge(*readers, map(_pair, self._entries))

    def remove(self) -> None:
        """Delete the run files and forget the lines."""
        for run in self._runs:
            run.remove()
        self._runs = []
        self._entries = []
        self._held = 0


def _pair(entry: bytes) -> Pair:
    record_id, _, line = entry.partition(b"\t")
    return record_id, line
