"""Outlet parsers: an article file → :class:`~kzdata.sources.document.Document` → Source record.

::

    from kzdata import sources
    doc = sources.parse("seeds/articles/x.txt", listed=sources.listed_metadata(path))
    record = sources.to_source(doc)

- :func:`parse` / :func:`parse_text`: read, detect the outlet profile, find title, authors,
  dateline, translation notice, body and boilerplate (offsets into the original text);
- :data:`PROFILES` / :func:`detect`: the registry of outlet profiles (one module each:
  ``epoch_times``, ``forumdaily``, ``korean_wire``, ``ap_wire``) and the ``generic`` fallback;
- :class:`Metadata`, :func:`load_metadata`, :func:`listed_metadata`: ``sources.toml``
  catalogues and command-line overrides;
- :func:`to_source`: the Source record of a Document.
"""

from __future__ import annotations

from kzdata.sources.layout import EXCLUDED_KINDS
from kzdata.sources.metadata import Metadata, find_catalogue, from_options, listed_metadata, load_metadata
from kzdata.sources.parser import parse, parse_text
from kzdata.sources.profile import Profile
from kzdata.sources.record import to_source
from kzdata.sources.registry import GENERIC, PROFILES, by_name, detect

__all__ = [
    "EXCLUDED_KINDS",
    "GENERIC",
    "PROFILES",
    "Metadata",
    "Profile",
    "by_name",
    "detect",
    "find_catalogue",
    "from_options",
    "listed_metadata",
    "load_metadata",
    "parse",
    "parse_text",
    "to_source",
]
