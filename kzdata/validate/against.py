"""The ids of an existing release, for ``--against DIR|VERSION``.

A release directory holds ``sources.jsonl``, ``actors.jsonl``, ``events.jsonl`` and
``claims.jsonl`` (``exports/vX.Y.Z/``). Only ids and, for sources, the publication date and
text path are kept. ``DIR|VERSION`` is resolved by :func:`kzdata.release.store.resolve`, as in
every command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import orjson

from kzdata.errors import InputError, UsageError
from kzdata.records.kinds import TABLES
from kzdata.release import store


@dataclass(slots=True)
class Release:
    """Ids known from outside the validated files, and what claims need of their sources.

    ``sources`` maps a source id to its publication date, its text ``path`` and the
    directory that path is relative to.
    """

    directory: Path
    ids: set[str] = field(default_factory=set)
    sources: dict[str, tuple[date | None, str, Path]] = field(default_factory=dict)

    def include(self, other: Release) -> Release:
        """This release extended with the ids and sources of ``other`` (ours win)."""
        self.ids |= other.ids
        for source_id, known in other.sources.items():
            self.sources.setdefault(source_id, known)
        return self


def load(spec: str | Path) -> Release:
    """Read the ids of a release."""
    directory = store.resolve(spec)
    release = Release(directory)
    tables = [directory / f"{name}.jsonl" for name in TABLES if (directory / f"{name}.jsonl").is_file()]
    if not tables:
        raise UsageError(
            f"--against {spec}: no sources/actors/events/claims .jsonl in {directory}", "point it at a release"
        )
    for table in tables:
        _read(table, release)
    return release


def _read(table: Path, release: Release) -> None:
    number = 0
    try:
        with table.open("rb") as stream:
            for line in stream:
                number += 1
                if line.strip():
                    _add(orjson.loads(line), release)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise InputError(f"{table}:{number}: not a valid release record ({error})", "re-download the release") from None
    except OSError as error:
        raise InputError(f"cannot read {table}: {error.strerror}", "check the release directory") from None


def _add(record: dict[str, object], release: Release) -> None:
    record_id = str(record["id"])
    release.ids.add(record_id)
    if record.get("record_type") == "source":
        published = record.get("published")
        day = date.fromisoformat(published) if isinstance(published, str) else None
        release.sources[record_id] = (day, str(record.get("path") or ""), release.directory)
