"""``parse``: an article file (plus metadata) → :class:`~kzdata.sources.document.Document`.

Precedence of metadata, field by field: explicit overrides (``meta``, e.g. command-line
options) win over everything; then the catalogue entry (``listed``, from
``seeds/sources.toml``); then what the text and its outlet profile say; then defaults
(outlet ``"unknown"``, language ``"en"``, title = file name). One exception: the
publication date read from a **dateline in the text** is authoritative over the catalogue,
because the page says when it was published; a catalogue date that disagrees is kept only
as a note. An explicit ``meta.published`` still wins (the user decided).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from kzdata.records.ids import source_id
from kzdata.records.vocab import DateBasis
from kzdata.sources.document import Document
from kzdata.sources.layout import Layout, analyse
from kzdata.sources.metadata import Metadata
from kzdata.sources.profile import Profile
from kzdata.sources.reader import read_article
from kzdata.sources.registry import detect

UNKNOWN_OUTLET = "unknown"
DEFAULT_LANGUAGE = "en"


def parse(
    path: str | Path, *, meta: Metadata | None = None, listed: Metadata | None = None, record_path: str | None = None
) -> Document:
    """Parse an article file; raises InputError for empty, binary or non-UTF-8 files.

    ``record_path`` is the path written into the Source record; by default the path as
    given (made relative to the working directory when absolute).
    """
    article = Path(path)
    data, text = read_article(article)
    return parse_text(text, path=record_path or record_path_of(article), data=data, meta=meta, listed=listed)


def parse_text(
    text: str,
    *,
    path: str = "article.txt",
    data: bytes | None = None,
    meta: Metadata | None = None,
    listed: Metadata | None = None,
) -> Document:
    """Parse article text already in memory; never raises on any text."""
    raw = text.encode("utf-8", "surrogatepass") if data is None else data
    profile = detect(text)
    layout = analyse(text, profile)
    return Document(
        text=text,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        source_id=source_id(raw),
        profile=profile.name,
        body=layout.body,
        excluded=layout.excluded,
        **_resolve(layout, profile, meta, listed, Path(path).name or path),
    )


def record_path_of(article: Path) -> str:
    """POSIX path for the Source record: as given, or relative to the working directory."""
    if not article.is_absolute():
        return article.as_posix()
    try:
        return article.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return article.name


def _resolve(
    layout: Layout, profile: Profile, meta: Metadata | None, listed: Metadata | None, fallback_title: str
) -> dict[str, Any]:
    given = [m for m in (meta, listed) if m is not None]

    def pick(name: str) -> Any:
        return next((getattr(m, name) for m in given if getattr(m, name) is not None), None)

    published, basis, published_note = _published(layout, meta, listed)
    machine = pick("machine_translated")
    outlet = pick("outlet")
    notes = [
        pick("outlet_note") or (None if outlet else profile.notes),
        pick("url_note"),
        published_note,
        pick("translation_note"),
        pick("notes"),
    ]
    return {
        "title": pick("title") or layout.title or fallback_title,
        "outlet": outlet or profile.outlet or UNKNOWN_OUTLET,
        "authors": tuple(pick("authors") or layout.authors),
        "published": published,
        "published_basis": basis,
        "language": pick("language") or DEFAULT_LANGUAGE,
        "original_language": pick("original_language") or layout.original_language or profile.original_language,
        "machine_translated": layout.machine_translated if machine is None else machine,
        "url": pick("url"),
        "notes": " ".join(note for note in notes if note) or None,
    }


def _published(
    layout: Layout, meta: Metadata | None, listed: Metadata | None
) -> tuple[date | None, DateBasis, str | None]:
    if meta is not None and meta.published is not None:
        return meta.published, meta.published_basis or DateBasis.GIVEN, meta.published_note
    if layout.published is not None:
        return layout.published, DateBasis.DATELINE, _dateline_note(layout.published, listed)
    if listed is not None and listed.published is not None:
        return listed.published, listed.published_basis or DateBasis.GIVEN, listed.published_note
    return None, DateBasis.UNKNOWN, None


def _dateline_note(dateline: date, listed: Metadata | None) -> str | None:
    if listed is None or listed.published is None:
        return None
    if listed.published != dateline:
        given, printed = listed.published.isoformat(), dateline.isoformat()
        return f"sources.toml gives {given}, the text's dateline {printed}: the dateline is kept."
    return listed.published_note
