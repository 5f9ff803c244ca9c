"""Sort any number of records by id in bounded memory: an external merge sort of canonical lines.

An export writes its rows sorted by id, but records arrive in any order and may be far more
than fit in memory. A :class:`Spool` keeps the lines of one table in memory as entries
``<id>\\t<line>`` (one compact bytes object each) up to ``run_bytes`` bytes; past that, it sorts
them and writes them to a run file in ``directory``. :meth:`Spool.sorted_pairs` then merges the
runs and what is still in memory (``heapq.merge``), reading each run sequentially. Memory is
therefore bounded by ``run_bytes`` plus one read buffer per run, whatever the number of
records; a table that fits in one run never touches the disk.

Entries sort by id because the tab sorts below every character of an id (ids never hold a
tab; canonical JSON lines hold no raw tab or line break). Ids are compared as UTF-8 bytes,
which orders them exactly as Python orders the strings. Entries with the same id come out
next to each other; the caller decides what a duplicate means.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator
from pathlib import Path
from typing import BinaryIO

READ_BUFFER = 256 << 10
Pair = tuple[bytes, bytes]


class Spool:
    """Lines of one table with their ids, handed back sorted by id."""

    def __init__(self, directory: Path, name: str, run_bytes: int) -> None:
        self.directory = directory
        self.name = name
        self.run_bytes = run_bytes
        self.count = 0
        self._entries: list[bytes] = []
        self._held = 0
        self._runs: list[Path] = []

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

    def _spill(self) -> None:
        self._entries.sort()
        path = self.directory / f"{self.name}.run{len(self._runs)}"
        with path.open("wb") as handle:
            handle.writelines(self._entries)
        self._runs.append(path)
        self._entries = []
        self._held = 0

    def sorted_pairs(self) -> Generator[Pair, None, None]:
        """Every ``(id, line)`` pair, by id (then by line): the runs on disk merged with the lines in memory."""
        self._entries.sort()
        if not self._runs:
            yield from map(_pair, self._entries)
            return
        handles: list[BinaryIO] = [path.open("rb", buffering=READ_BUFFER) for path in self._runs]
        try:
            yield from map(_pair, heapq.merge(*handles, self._entries))
        finally:
            for handle in handles:
                handle.close()

    def remove(self) -> None:
        """Delete the run files and forget the lines."""
        for path in self._runs:
            path.unlink(missing_ok=True)
        self._runs = []
        self._entries = []
        self._held = 0


def _pair(entry: bytes) -> Pair:
    record_id, _, line = entry.partition(b"\t")
    return record_id, line
