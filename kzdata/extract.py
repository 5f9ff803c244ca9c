"""``extract_article``: one article file → its Source, Actor and Claim records.

Orchestrates :mod:`kzdata.sources` (parse the file, with the metadata of the nearest
``sources.toml`` that lists it and any explicit overrides) and :mod:`kzdata.rules`
(``rules.extract(document)`` → Actors and Claims). ``kzdata build`` and ``kzdata evaluate``
both call :func:`extract_article`, so the evaluation scores the code path the build runs. Records come back in
a deterministic order: the Source first, then Actors by id, Events by id, Claims by span
and id; an actor or event named twice is kept once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import orjson

from kzdata import rules, sources
from kzdata.records.models import Actor, AnyRecord, Claim, Event, Source
from kzdata.rules.explain import Explanation
from kzdata.sources import Metadata
from kzdata.sources.document import Document


def extract_article(
    path: str | Path, meta: Metadata | Mapping[str, object] | None = None, *, record_path: str | None = None
) -> list[AnyRecord]:
    """Records of one article; ``meta`` overrides the catalogue and the text (UsageError if invalid).

    ``record_path`` is the Source ``path`` (default: the path as given, see ``sources.parse``).
    """
    document = parse_article(path, meta, record_path=record_path)
    return order_records([sources.to_source(document), *rule_records(document)])


def explain_article(
    path: str | Path, meta: Metadata | Mapping[str, object] | None = None
) -> list[tuple[Claim, Explanation]]:
    """The claims of one article, each with how the rules found it (``kzdata extract --explain``)."""
    return rules.explain(parse_article(path, meta))


def parse_article(
    path: str | Path, meta: Metadata | Mapping[str, object] | None = None, *, record_path: str | None = None
) -> Document:
    """Parse one article with the metadata of its catalogue and ``meta`` overrides."""
    article = Path(path)
    overrides = meta if meta is None or isinstance(meta, Metadata) else sources.from_options(meta)
    return sources.parse(article, meta=overrides, listed=_listed(article), record_path=record_path)


def _listed(article: Path) -> Metadata | None:
    # Only look for a catalogue next to a file that exists: reading the article reports the rest.
    return sources.listed_metadata(article) if article.is_file() else None


def rule_records(document: Document) -> list[AnyRecord]:
    """Actors and Claims the rules find in a parsed article."""
    return list(rules.extract(document))


def order_records(records: Iterable[AnyRecord]) -> list[AnyRecord]:
    """Sources, Actors (by id), Events (by id), Claims (by span, id); duplicate ids kept once."""
    unique: dict[tuple[str, str], AnyRecord] = {}
    for record in records:
        unique.setdefault((record.record_type, record.id), record)
    return sorted(unique.values(), key=_order_key)


def _order_key(record: AnyRecord) -> tuple[int, int, int, str]:
    if isinstance(record, Source):
        return (0, 0, 0, record.id)
    if isinstance(record, Actor):
        return (1, 0, 0, record.id)
    if isinstance(record, Event):
        return (2, 0, 0, record.id)
    assert isinstance(record, Claim)
    return (3, record.span.start, record.span.end, record.id)


def to_json(records: Iterable[AnyRecord]) -> str:
    """The records as one pretty-printed JSON array (sorted keys), newline-terminated."""
    dumped = [record.model_dump(mode="json") for record in records]
    return orjson.dumps(dumped, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"
