"""The dataset build, kzdata's main job: seed articles → validated, exported tables.

::

    seeds/articles/*.txt (+ seeds/sources.toml)
      → kzdata.sources   one Document and Source record per article
      → kzdata.rules     extracted Actors and Claims
      → kzdata.build.merge     + seeds/curated/*.jsonl (curated wins)
      → kzdata.build.events    claims linked to events; detention/deployment/arrest events derived
      → kzdata.build.relations updates / contradicts / repeats / retracts between figures
      → kzdata.validate  errors stop the build and nothing is written; warnings are reported
      → kzdata.release.write    exports/dev/ (or ``out``)

:func:`build_records` runs everything up to validation and returns the records;
:func:`build` validates and writes. Both are deterministic: the same files give the same
records and bytes whatever the order the files are listed in. A Source's ``path`` is
``<seeds folder name>/articles/<file>`` (``seeds/articles/000_….txt``), whatever the working
directory, so that builds from anywhere are identical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from kzdata.build.events import link_events
from kzdata.build.merge import canonical_order, merge
from kzdata.build.parallel import Article, chart_in_background, extract_articles
from kzdata.build.quantities import derive_quantities
from kzdata.build.relations import derive_relations
from kzdata.errors import DataError, RecordError, UsageError
from kzdata.records.jsonl import iter_records
from kzdata.records.models import Actor, AnyRecord, Claim, Event, Source
from kzdata.release.folders import check_replaceable
from kzdata.release.write import write_tables
from kzdata.validate import Report, validate_records

ARTICLES = "articles"
CURATED = "curated"

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while a build runs (e.g. to draw a bar)."""


@dataclass(frozen=True, slots=True)
class BuildStats:
    """What a build did, for its summary.

    ``claims_extracted`` counts distinct claims from the rules, ``overridden`` those a curated
    claim replaced; ``claims`` is the total kept. ``events`` includes the ``events_derived``;
    ``claims_linked`` counts claims the build linked to an event (curated claims that name
    their event are not counted). ``warnings``/``errors`` come from validation. The summary
    prints every field, labelled by its name ("claims_extracted" → "claims extracted").
    """

    articles_parsed: int = 0
    claims_extracted: int = 0
    curated_records: int = 0
    curated_claims: int = 0
    overridden: int = 0
    claims: int = 0
    events: int = 0
    events_derived: int = 0
    claims_linked: int = 0
    relations: int = 0
    quantities: int = 0
    warnings: int = 0
    errors: int = 0


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The records of a build, its figures, its validation report and the files written."""

    records: tuple[AnyRecord, ...]
    stats: BuildStats
    report: Report | None = None
    written: tuple[Path, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True unless validation found errors (and so nothing was written)."""
        return self.report is None or self.report.ok


def _noop(step: str, done: int, total: int) -> None:
    return None


def build_records(seeds_dir: Path = Path("seeds"), *, progress: Progress | None = None, jobs: int = 1) -> BuildResult:
    """Parse, extract, merge, link and relate; no validation, nothing written.

    ``jobs`` processes parse and extract the articles (:mod:`kzdata.build.parallel`); the
    records, and so every file written from them, are the same whatever ``jobs`` is.
    """
    report = progress or _noop
    articles = list_articles(seeds_dir)
    extracted: list[AnyRecord] = []
    report("extract", 0, len(articles))
    tasks = [Article(path, f"{seeds_dir.name}/{ARTICLES}/{path.name}") for path in articles]
    for done, records in enumerate(extract_articles(tasks, jobs), start=1):
        extracted += records
        report("extract", done, len(articles))
    curated = load_curated(seeds_dir / CURATED)
    report("merge", 0, 1)
    merged = merge(extracted, curated)
    records, stats = assemble(merged.records)
    stats = replace(
        stats,
        articles_parsed=len(articles),
        claims_extracted=merged.extracted_claims,
        curated_records=len(curated),
        curated_claims=merged.curated_claims,
        overridden=len(merged.overridden),
    )
    report("merge", 1, 1)
    return BuildResult(records=tuple(records), stats=stats)


def assemble(merged: Sequence[AnyRecord]) -> tuple[list[AnyRecord], BuildStats]:
    """Link the merged claims to events, derive relations and quantities; the build's records and figures."""
    names = {r.id: r.name for r in merged if isinstance(r, Actor)}
    events = [r for r in merged if isinstance(r, Event)]
    linked = link_events([r for r in merged if isinstance(r, Claim)], events, names)
    published = {r.id: r.published for r in merged if isinstance(r, Source) and r.published is not None}
    relations = derive_relations(linked.claims, names, published)
    quantities = derive_quantities(linked.claims, relations)
    others = [r for r in merged if not isinstance(r, Claim | Event)]
    records = canonical_order([*others, *events, *linked.derived, *linked.claims, *relations, *quantities])
    stats = BuildStats(
        claims=len(linked.claims),
        events=len(events) + len(linked.derived),
        events_derived=len(linked.derived),
        claims_linked=linked.linked,
        relations=len(relations),
        quantities=len(quantities),
    )
    return records, stats


def build(
    seeds_dir: Path = Path("seeds"),
    out: Path = Path("exports/dev"),
    *,
    dataset_version: str = "dev",
    progress: Progress | None = None,
    jobs: int = 1,
) -> BuildResult:
    """Build, validate and write the tables into ``out``; nothing is written on errors.

    ``jobs``: processes that parse and extract the articles (see :func:`build_records`); above 1, the
    chart is rendered in one more process while the records are validated and the tables written.

    ``out`` is checked first (:func:`kzdata.release.folders.check_replaceable`): a folder kzdata
    did not write is refused before any work is done.
    """
    check_replaceable(out)
    result = build_records(seeds_dir, progress=progress, jobs=jobs)
    with chart_in_background(result.records, jobs) as chart_png:
        report = progress or _noop
        report("validate", 0, 1)
        checked = validate_records(result.records, texts=seeds_dir / ARTICLES, file="<build>")
        report("validate", 1, 1)
        stats = replace(result.stats, warnings=checked.warnings, errors=checked.errors)
        if not checked.ok:
            return replace(result, stats=stats, report=checked)
        report("write", 0, 1)
        written = write_tables(result.records, out, dataset_version=dataset_version, chart_png=chart_png)
        report("write", 1, 1)
    return replace(result, stats=stats, report=checked, written=tuple(written))


def list_articles(seeds_dir: Path) -> list[Path]:
    """The article files of a seeds folder, sorted by name; UsageError if there are none."""
    folder = seeds_dir / ARTICLES
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder", "run from a kzdata checkout or give --seeds DIR")
    articles = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not articles:
        raise UsageError(f"{folder}: no article files (*.txt)", "add the articles to build from")
    return articles


def load_curated(folder: Path) -> list[AnyRecord]:
    """Every record of ``folder/*.jsonl`` (sorted by file name); DataError names a bad line."""
    if not folder.is_dir():
        return []
    records: list[AnyRecord] = []
    for path in sorted(folder.glob("*.jsonl")):
        try:
            with path.open(encoding="utf-8") as handle:
                records += iter_records(handle, file=str(path))
        except RecordError as error:
            raise DataError(error.message, error.hint) from None
        except (OSError, UnicodeDecodeError) as error:
            raise DataError(f"{path}: cannot read the curated records ({error})", "save the file as UTF-8") from None
    return records
