"""The records of a checkout's seeds, for records validated under ``seeds/curated/``.

Curated records are merged by ``kzdata build`` with what the rules extract from
``seeds/articles/``: they cite the seed sources (never written out as records in the
folder) and may refer to extracted actors and claims. So when a validated file lies under
``<seeds>/curated/`` of a checkout — ``<seeds>`` holding ``sources.toml`` and
``articles/`` — the ids the build would extract from ``<seeds>/articles/*.txt`` resolve,
and a curated claim's quote, span and ``stated_on`` are checked against the seed source
it cites (its text and publication date), exactly as in the build. References to anything
else still have to resolve within the validated files (or ``--against``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kzdata.extract import extract_article
from kzdata.records.models import Source
from kzdata.validate.against import Release
from kzdata.validate.loaders import InputFile

CURATED, ARTICLES, CATALOGUE = "curated", "articles", "sources.toml"


def checkout_seeds(inputs: Iterable[InputFile]) -> list[Path]:
    """The seeds folders whose ``curated/`` holds one of the inputs, in input order."""
    found: list[Path] = []
    for source in inputs:
        if source.path is None or source.stream:
            continue
        seeds = _seeds_of(source.path.resolve())
        if seeds is not None and seeds not in found:
            found.append(seeds)
    return found


def _seeds_of(path: Path) -> Path | None:
    for directory in path.parents:
        if directory.name == CURATED:
            seeds = directory.parent
            if (seeds / CATALOGUE).is_file() and (seeds / ARTICLES).is_dir():
                return seeds
    return None


def seed_records(seeds: Path) -> Release:
    """Ids of what the build extracts from ``seeds/articles/*.txt``, and its sources."""
    release = Release(seeds.parent)
    for article in sorted(p for p in (seeds / ARTICLES).glob("*.txt") if p.is_file()):
        for record in extract_article(article, record_path=f"{seeds.name}/{ARTICLES}/{article.name}"):
            release.ids.add(record.id)
            if isinstance(record, Source):
                release.sources[record.id] = (record.published, record.path, seeds.parent)
    return release
