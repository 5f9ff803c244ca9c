"""The checker: loaders -> schema -> single-record checks -> ledger, yielding Issues.

:class:`Checker` runs one validation: ``issues(inputs)`` streams every Issue of the files,
then those decided at the end (references, pending quotes, falling counts), and records
how many records each file held. ``check_records`` does the same for records already in
memory (the dataset build). One document is parsed once; memory holds only what the
cross-record checks need, never the records themselves.

Seam for parallel runs: :func:`~kzdata.validate.parse.parse` and
:func:`~kzdata.validate.checks.check_record` are pure functions of one document, so a pool
can map them over chunks of lines; only the ledger must see the records in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kzdata.records import AnyRecord
from kzdata.validate import loaders
from kzdata.validate.checks import check_record
from kzdata.validate.issues import Issue, make_issue
from kzdata.validate.ledger import Ledger, Where
from kzdata.validate.loaders import Document, InputFile
from kzdata.validate.parse import Finding, parse
from kzdata.validate.provenance import TextFinder
from kzdata.validate.release import Release
from kzdata.validate.report import FileSummary


class Checker:
    """One validation run over files or records."""

    def __init__(
        self,
        *,
        texts: Path | None = None,
        release: Release | None = None,
        max_line_bytes: int = loaders.MAX_LINE_BYTES,
    ) -> None:
        self.ledger = Ledger(TextFinder(texts), release)
        self.max_line_bytes = max_line_bytes
        self.files: list[FileSummary] = []

    def issues(self, inputs: list[InputFile]) -> Iterator[Issue]:
        """Every issue of the inputs, file by file, then the cross-record ones."""
        for source in inputs:
            yield from self._file(source)
        yield from self.ledger.finish()

    def _file(self, source: InputFile) -> Iterator[Issue]:
        records = problems = 0
        base = source.directory
        for item in loaders.read(source, max_line_bytes=self.max_line_bytes):
            if isinstance(item, Document):
                records += 1
                found = self.document(item, base)
            else:
                found = [item]
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

    def document(self, document: Document, base: Path | None) -> list[Issue]:
        """Issues of one JSON document."""
        record, findings, record_id = parse(document.data)
        where = (document.file, document.line)
        if record is None:
            if record_id is not None:
                self.ledger.remember(record_id, where)
            return _issues(findings, where, record_id)
        return self.record(record, where, base)

    def record(self, record: AnyRecord, where: Where, base: Path | None) -> list[Issue]:
        """Issues of one parsed record."""
        found = _issues(check_record(record), where, record.id)
        return found + self.ledger.add(record, where, base) if found else self.ledger.add(record, where, base)

    def check_records(self, records: Iterable[AnyRecord], *, file: str) -> Iterator[Issue]:
        """Every non-schema issue of records already in memory; line = 1-based position."""
        count = 0
        for count, record in enumerate(records, start=1):
            yield from self.record(record, (file, count), None)
        self.files.append(FileSummary(path=file, records=count))
        yield from self.ledger.finish()


def _issues(findings: list[Finding], where: Where, record_id: str | None) -> list[Issue]:
    return [
        make_issue(code, message, file=where[0], line=where[1], record_id=record_id, pointer=at)
        for code, at, message in findings
    ]
