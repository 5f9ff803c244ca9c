"""The checker: loaders -> schema -> single-record checks -> ledger, yielding Issues.

:class:`Checker` runs one validation: ``issues(inputs)`` streams every Issue of the files,
then those decided at the end (references, pending quotes, falling counts), and records
how many records each file held. ``check_records`` does the same for records already in
memory (the dataset build). One document is parsed once; memory holds only what the
cross-record checks need, never the records themselves.

A ``.jsonl`` file is read by byte ranges (:mod:`~kzdata.validate.scan`): each line becomes
an :class:`~kzdata.validate.scan.Item` (schema and single-record findings, and the compact
facts of a claim), in this process or, with ``jobs`` above 1 and a large file, in worker
processes (:mod:`~kzdata.validate.parallel`). Only the ledger sees every record, in file
order, here — so the Issues and their order do not depend on ``jobs``. Stdin, ``.json``
and ``.csv`` inputs go through :mod:`~kzdata.validate.loaders` one document at a time.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import cast

from kzdata.errors import InputError
from kzdata.records.models import AnyRecord
from kzdata.validate import loaders, parallel, scan
from kzdata.validate.against import Release
from kzdata.validate.facts import ClaimFacts
from kzdata.validate.issues import Issue, make_issue
from kzdata.validate.ledger import Ledger, Where, issue_of
from kzdata.validate.loaders import InputFile, RecordText
from kzdata.validate.parse import Finding
from kzdata.validate.provenance import TextFinder
from kzdata.validate.record_checks import check_record
from kzdata.validate.report import FileSummary
from kzdata.validate.scan import Item


class Checker:
    """One validation run over files or records."""

    def __init__(
        self,
        *,
        texts: Path | None = None,
        release: Release | None = None,
        max_line_bytes: int = loaders.MAX_LINE_BYTES,
        jobs: int = 1,
    ) -> None:
        self.ledger = Ledger(TextFinder(texts), release)
        self.max_line_bytes = max_line_bytes
        self.jobs = jobs
        self.files: list[FileSummary] = []

    def issues(self, inputs: list[InputFile]) -> Iterator[Issue]:
        """Every issue of the inputs, file by file, then the cross-record ones."""
        for source in inputs:
            yield from self._file(source)
        yield from self.ledger.finish()

    def _file(self, source: InputFile) -> Iterator[Issue]:
        records = problems = 0
        name, directory = source.name, source.directory
        for first, items in self._batches(source):
            for item in items:
                if isinstance(item, Issue):
                    found = [item]
                else:
                    records += item[0] != scan.READ
                    found = self.item(item, (name, first + item[1]), directory)
                if found:
                    problems += len(found)
                    yield from found
        self.files.append(FileSummary(path=source.name, records=records))
        if records == 0 and problems == 0:
            yield make_issue(
                "KZ006",
                "the file holds no records — add records (one JSON object per line) or remove it",
                file=source.name,
                line=1,
            )

    def _batches(self, source: InputFile) -> Iterator[tuple[int, Sequence[Item | Issue]]]:
        """(lines before the batch, its items) in file order."""
        if source.kind != "jsonl" or source.path is None or source.stream:
            for read in loaders.read(source, max_line_bytes=self.max_line_bytes):
                yield 0, [scan.examine(read.data, read.line) if isinstance(read, RecordText) else read]
            return
        try:
            ranges = scan.split(source.path, scan.CHUNK_BYTES)
        except OSError as error:
            raise InputError(f"cannot read {source.name}: {error.strerror}", "check the file's permissions") from None
        size = ranges[-1][1] if ranges else 0
        jobs = self.jobs if size >= parallel.PARALLEL_MIN_BYTES else 1
        tasks = [(str(source.path), start, end, self.max_line_bytes) for start, end in ranges]
        first = 0
        with parallel.fewer_collections():
            for chunk in parallel.chunks(tasks, jobs):
                yield first, chunk.items
                first += chunk.lines

    def item(self, item: Item, where: Where, base: Path | None) -> list[Issue]:
        """Issues of one scanned line."""
        kind, _, findings, record_id, payload = item
        found = _issues(findings, where, record_id) if findings else []
        if kind == scan.CLAIM:
            after = self.ledger.claim(cast(ClaimFacts, payload), where)
        elif kind == scan.RECORD:
            record = pickle.loads(payload) if isinstance(payload, bytes) else payload
            after = self.ledger.add(cast(AnyRecord, record), where, base)
        else:
            if kind == scan.BAD and record_id is not None:
                self.ledger.remember(record_id, where)
            return found
        return found + after if found else after

    def document(self, document: RecordText, base: Path | None) -> list[Issue]:
        """Issues of one JSON document."""
        return self.item(scan.examine(document.data, document.line), (document.file, document.line), base)

    def record(self, record: AnyRecord, where: Where, base: Path | None) -> list[Issue]:
        """Issues of one parsed record."""
        found = _issues(check_record(record), where, record.id)
        after = self.ledger.add(record, where, base)
        return found + after if found else after

    def check_records(self, records: Iterable[AnyRecord], *, file: str) -> Iterator[Issue]:
        """Every non-schema issue of records already in memory; line = 1-based position."""
        count = 0
        for count, record in enumerate(records, start=1):
            yield from self.record(record, (file, count), None)
        self.files.append(FileSummary(path=file, records=count))
        yield from self.ledger.finish()


def _issues(findings: list[Finding], where: Where, record_id: str | None) -> list[Issue]:
    return [issue_of(finding, where, record_id) for finding in findings]
