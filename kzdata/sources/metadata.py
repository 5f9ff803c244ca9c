"""Metadata the text cannot tell: ``seeds/sources.toml`` entries and command-line overrides.

``sources.toml`` has one table per article, keyed by the article's file name::

    ["001_e022478cc475e40a.txt"]
    outlet = "The Epoch Times"
    published = 2022-01-10
    published_basis = "dateline"
    language = "en"

Keys are the fields of :class:`Metadata`; unknown keys are errors. The catalogue that
describes an article is the nearest ``sources.toml`` in the article's directory or one of
its parents (for ``seeds/articles/x.txt``: ``seeds/articles/sources.toml``, then
``seeds/sources.toml``, …).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, StrictBool, ValidationError

from kzdata.errors import InputError, UsageError
from kzdata.records.jsonl import describe
from kzdata.records.models import HttpUrl, LanguageCode, Text
from kzdata.records.vocab import DateBasis

CATALOGUE_NAME = "sources.toml"


class Metadata(BaseModel):
    """What is known about an article from outside its text; None = not stated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text | None = None
    outlet: Text | None = None
    outlet_note: str | None = None
    authors: list[Text] | None = None
    published: date | None = None
    published_basis: DateBasis | None = None
    published_note: str | None = None
    language: LanguageCode | None = None
    original_language: LanguageCode | None = None
    machine_translated: StrictBool | None = None
    translation_note: str | None = None
    url: HttpUrl | None = None
    url_note: str | None = None
    notes: str | None = None


def from_options(options: Mapping[str, object]) -> Metadata:
    """Metadata from command-line options (None values ignored); raises UsageError."""
    given = {key: value for key, value in options.items() if value is not None}
    try:
        return Metadata.model_validate(given)
    except ValidationError as error:
        problems = "; ".join(f"--{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_url=False))
        raise UsageError(f"invalid option {problems}", "see 'kzdata extract --help'") from None


def load_metadata(path: Path) -> dict[str, Metadata]:
    """Read a ``sources.toml`` catalogue: file name → Metadata; raises InputError.

    A catalogue is parsed once per process while its file is unchanged (same size and
    modification time): a build of N articles reads it once, not N times.
    """
    try:
        stat = path.stat()
    except OSError as error:
        raise InputError(f"{path}: cannot read the catalogue ({error.strerror})", "check the path") from None
    return dict(_parsed(path.resolve(), stat.st_size, stat.st_mtime_ns))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, size: int, mtime_ns: int) -> dict[str, Metadata]:
    try:
        with path.open("rb") as handle:
            tables = tomllib.load(handle)
    except OSError as error:
        raise InputError(f"{path}: cannot read the catalogue ({error.strerror})", "check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not valid TOML ({error})", "fix the syntax of the catalogue") from None
    return {name: _entry(path, name, table) for name, table in tables.items()}


def _entry(path: Path, name: str, table: object) -> Metadata:
    if not isinstance(table, dict):
        raise InputError(f"{path}: '{name}' is not a table", f'describe each article in a ["{name}"] table')
    try:
        return Metadata.model_validate(table)
    except ValidationError as error:
        raise InputError(f'{path}: ["{name}"] {describe(error)}', "fix the entry in the catalogue") from None


def find_catalogue(article: Path) -> Path | None:
    """The nearest ``sources.toml`` in the article's directory or its parents, if any."""
    for directory in article.resolve().parents:
        candidate = directory / CATALOGUE_NAME
        if candidate.is_file():
            return candidate
    return None


def listed_metadata(article: Path) -> Metadata | None:
    """The catalogue entry for ``article`` (by file name), if a catalogue lists it."""
    catalogue = find_catalogue(article)
    if catalogue is None:
        return None
    return load_metadata(catalogue).get(article.name)
