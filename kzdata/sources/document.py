"""A parsed article: its original text, metadata, and which parts of it are body.

A :class:`Document` never changes the text: the body and the excluded boilerplate are
both lists of :class:`Segment` with offsets into ``text`` (Python str indices, end
exclusive), so every quote extracted from the body can be located in the original file.
Outlet parsers in :mod:`kzdata.sources` produce Documents; :mod:`kzdata.rules` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kzdata.records.vocab import DateBasis


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the original text: ``text[start:end]``, with what kind of stretch it is.

    ``kind`` is ``"body"`` for article prose, or for excluded parts a short reason such as
    ``"title"``, ``"byline"``, ``"author_bio"``, ``"dateline"``, ``"caption"``, ``"credit"``,
    ``"translation_notice"``, ``"related"``, ``"subscribe"``, ``"comments"``, ``"footer"``
    (the full list the parsers use: ``kzdata.sources.EXCLUDED_KINDS``).
    """

    start: int
    end: int
    kind: str = "body"


@dataclass(frozen=True, slots=True)
class Document:
    """An article as kzdata understands it, with offsets into the untouched original text."""

    text: str
    path: str
    sha256: str
    source_id: str
    outlet: str
    profile: str
    title: str
    authors: tuple[str, ...] = ()
    published: date | None = None
    published_basis: DateBasis = DateBasis.UNKNOWN
    language: str = "en"
    original_language: str | None = None
    machine_translated: bool = False
    url: str | None = None
    body: tuple[Segment, ...] = ()
    excluded: tuple[Segment, ...] = field(default=())
    notes: str | None = None
    """How the metadata was established (sources.toml notes, dateline conflicts…)."""

    def body_text(self, segment: Segment) -> str:
        """The text of one segment (always equal to ``text[segment.start:segment.end]``)."""
        return self.text[segment.start : segment.end]
