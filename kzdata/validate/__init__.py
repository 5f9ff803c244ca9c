"""Validate records: every problem found in one run, located, with the fix in its message.

The path of a run is loader -> checker -> report, one module each:

- :mod:`~kzdata.validate.loaders` reads ``.jsonl``, ``.json`` and ``.csv`` files (and stdin)
  into JSON documents, turning unreadable bytes into Issues;
- :mod:`~kzdata.validate.parse` validates each document once against the models (the
  schema checks, codes ``KZ1xx``) and locates every problem when it fails;
- :mod:`~kzdata.validate.record_checks` checks each record on its own (time, quantities, spans,
  deterministic ids) and :mod:`~kzdata.validate.ledger` across records (references,
  provenance, duplicates, aliases, falling counts);
- :mod:`~kzdata.validate.scan` cuts ``.jsonl`` files into byte ranges and runs parse and
  the single-record checks per line, handing the ledger compact
  :mod:`~kzdata.validate.facts` of each claim; :mod:`~kzdata.validate.parallel` runs the
  ranges in ``jobs`` worker processes for large files (the Report does not depend on it);
- :mod:`~kzdata.validate.report` collects the Issues into a Report;
  :mod:`kzdata.cli.render` prints it as text, JSON or GitHub annotations.

Source texts are found via each Source's ``path``, relative to the records file's
directory or one of its ancestors, or to ``texts`` (see :mod:`~kzdata.validate.provenance`).
A folder holding ``datapackage.json`` is a release: only its record tables (``.jsonl``) are
read. Records under a checkout's ``seeds/curated/`` may cite what the build extracts from
``seeds/articles/`` (see :mod:`~kzdata.validate.seeds`).
Every code is listed in :mod:`~kzdata.validate.codes` and documented in ``docs/issues.md``.
Validation only reads its inputs; it never writes to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kzdata.records.models import AnyRecord
from kzdata.validate import against as _against
from kzdata.validate import seeds as _seeds
from kzdata.validate.checker import Checker
from kzdata.validate.codes import CODES, Code, Severity
from kzdata.validate.issues import Issue
from kzdata.validate.loaders import MAX_LINE_BYTES, InputFile, resolve_inputs
from kzdata.validate.parallel import default_jobs
from kzdata.validate.report import FileSummary, Report, build_report

__all__ = [
    "CODES",
    "MAX_LINE_BYTES",
    "Code",
    "FileSummary",
    "Issue",
    "Report",
    "Severity",
    "iter_issues",
    "validate",
    "validate_records",
]

PathLike = str | Path


def _checker(
    against: PathLike | None,
    texts: PathLike | None,
    max_line_bytes: int,
    jobs: int | None = 1,
    inputs: list[InputFile] | None = None,
) -> Checker:
    release = _against.load(against) if against is not None else None
    for seeds in _seeds.checkout_seeds(inputs or []):
        known = _seeds.seed_records(seeds)
        release = known if release is None else release.include(known)
    return Checker(
        texts=Path(texts) if texts is not None else None,
        release=release,
        max_line_bytes=max_line_bytes,
        jobs=default_jobs() if jobs is None else jobs,
    )


def iter_issues(
    paths: Iterable[PathLike],
    *,
    against: PathLike | None = None,
    texts: PathLike | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    jobs: int | None = None,
) -> Iterator[Issue]:
    """Yield every Issue of the files and directories in ``paths`` (``-`` is stdin).

    ``jobs`` processes (None: every core) scan large ``.jsonl`` files; the Issues are the
    same, in the same order, whatever ``jobs`` is.

    Raises :class:`~kzdata.errors.UsageError` for a missing path or release and
    :class:`~kzdata.errors.InputError` for a file that cannot be opened; problems *in* the
    files are yielded, never raised.
    """
    inputs, issues = resolve_inputs(list(paths))
    checker = _checker(against, texts, max_line_bytes, jobs, inputs)
    yield from issues
    yield from checker.issues(inputs)


def validate(
    paths: Iterable[PathLike],
    *,
    against: PathLike | None = None,
    texts: PathLike | None = None,
    severity: Severity = Severity.WARNING,
    max_issues: int | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    jobs: int | None = None,
) -> Report:
    """Validate files and directories; the Report keeps issues at or above ``severity``.

    ``jobs`` processes (None: every core) scan ``.jsonl`` files of at least
    :data:`~kzdata.validate.parallel.PARALLEL_MIN_BYTES`; the Report does not depend on it.
    """
    inputs, found = resolve_inputs(list(paths))
    checker = _checker(against, texts, max_line_bytes, jobs, inputs)
    issues = [*found, *checker.issues(inputs)]
    order = {f.name: i for i, f in enumerate(inputs)}
    return build_report(issues, checker.files, file_order=order, severity=severity, max_issues=max_issues)


def validate_records(
    records: Iterable[AnyRecord],
    *,
    texts: Path | None = None,
    file: str = "<build>",
    against: PathLike | None = None,
) -> Report:
    """Every non-schema check of records already parsed (the dataset build's gate).

    Issues carry ``file`` and, as ``line``, the 1-based position of the record in
    ``records``. Source texts are looked up under ``texts`` only.
    """
    checker = _checker(against, texts, MAX_LINE_BYTES)
    issues = list(checker.check_records(records, file=file))
    return build_report(issues, checker.files)
