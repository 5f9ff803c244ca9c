"""Bylines: who wrote the article, and the lines that only repeat or introduce them.

A byline is a short line such as ``By Jane Doe``, ``By Jane Doe and John Roe``,
``Written by Jane Doe``, ``Author: Jane Doe`` or ``By JANE DOE, Associated Press``.
The names must look like personal names (two to five capitalised words, particles such as
``de``/``van``/``al`` allowed); parts that name an organisation (``Associated Press``,
``Staff``) are dropped, and a line whose parts are not names ("By Monday the protests had
spread.") is not a byline. Outlet profiles add their own patterns (e.g. ``Jane Doe reporter``
in translations from Korean); each has a named group ``authors``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

GENERIC_BYLINES = (
    re.compile(r"^(?:by|written by|words by|author|authors|reporter|reporters)\s*[:：]?\s+(?P<authors>.+?)\s*$", re.I),
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bи\b)\s*", re.IGNORECASE)
_PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "den", "al", "el", "bin", "ibn", "le", "la", "du", "dos", "del"}
)
_ORGANISATION = re.compile(
    r"\b(?:press|news|times|agency|reuters|afp|ap|staff|wire|service|desk|editor|editors|correspondent|"
    r"reporter|contributor|online|daily|post|journal|telegraph|tribune|herald|media|rfe/rl|bbc|cnn|tass|interfax)\b",
    re.IGNORECASE,
)
MAX_WORDS = 12


def _name_token(token: str) -> bool:
    core = token.replace("-", "").replace("'", "").replace("’", "").replace(".", "")
    return bool(core) and core.isalpha() and token[0].isupper()


def is_person_name(text: str) -> bool:
    """True for two to five capitalised words (particles allowed), e.g. 'Victoria Kelly-Clark'."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = [t for t in tokens if _name_token(t)]
    others = [t for t in tokens if not _name_token(t)]
    return len(capitalised) >= 2 and all(t.lower() in _PARTICLES for t in others)


def split_authors(text: str) -> list[str] | None:
    """The personal names in a byline's author part ([] if it names only organisations),
    or None if it is not a list of names and organisations."""
    names: list[str] = []
    parts = [part for part in _SPLIT.split(text.strip(" .,")) if part]
    for part in parts:
        if is_person_name(part) and not _ORGANISATION.search(part):
            names.append(part)
        elif not _ORGANISATION.search(part):
            return None
    return names if parts else None


def byline_authors(text: str, patterns: Iterable[re.Pattern[str]]) -> list[str] | None:
    """The authors named by a byline line ([] for 'By Reuters'), or None if it is not a byline."""
    if len(text.split()) > MAX_WORDS:
        return None
    for pattern in patterns:
        match = pattern.match(text)
        if match:
            authors = split_authors(match["authors"])
            if authors is not None:
                return authors
    return None


def is_author_bio(text: str, authors: Iterable[str]) -> bool:
    """True for a line introducing a known author ('Jane Doe is a reporter who …')."""
    for name in authors:
        if re.match(rf"{re.escape(name)}\s+(?:is|was|has been|covers|writes|reports|joined)\b", text):
            return True
    return False


def repeats_author(text: str, authors: Iterable[str]) -> bool:
    """True for a line that is only an author's name (a repeated byline)."""
    folded = text.strip(" .").casefold()
    return any(folded == name.casefold() for name in authors)
