"""The one registry of record kinds: every table-, file-, schema- and id-aware module reads it.

A :class:`RecordKind` ties a ``record_type`` discriminator to its pydantic model, the table
(and file stem) it is exported as, and the prefix of its ids. :data:`KINDS` lists them in the
order tables are written and listed. Adding a record type is one entry here plus its model.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from kzdata.records.models import Actor, Claim, ClaimRelation, Event, Quantity, Source


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: discriminator, model, table name (= file stem), id prefix."""

    record_type: str
    model: type[BaseModel]
    table: str
    prefix: str
    derived: bool = False
    """Built from other records at build time (never contributed by hand)."""


KINDS: tuple[RecordKind, ...] = (
    RecordKind("source", Source, "sources", "src"),
    RecordKind("actor", Actor, "actors", "act"),
    RecordKind("event", Event, "events", "evt"),
    RecordKind("claim", Claim, "claims", "clm"),
    RecordKind("claim_relation", ClaimRelation, "claim_relations", "rel", derived=True),
    RecordKind("quantity", Quantity, "quantities", "qty", derived=True),
)
"""Every record kind, in table order."""

BY_TYPE: dict[str, RecordKind] = {kind.record_type: kind for kind in KINDS}
"""``record_type`` → kind."""
BY_TABLE: dict[str, RecordKind] = {kind.table: kind for kind in KINDS}
"""Table name (file stem) → kind."""
BY_PREFIX: dict[str, RecordKind] = {kind.prefix: kind for kind in KINDS}
"""Id prefix (``src``, ``clm`` …) → kind."""
TABLES: tuple[str, ...] = tuple(kind.table for kind in KINDS)
"""Table names in the order they are written and listed."""


def kind_of_id(record_id: str | None) -> RecordKind | None:
    """The kind a record id belongs to, by its prefix (``clm-…`` → claim), or None."""
    return BY_PREFIX.get((record_id or "").split("-", 1)[0])


def kind_of_name(stem: str) -> RecordKind | None:
    """The kind a file stem names: a table (``claims``) or a record type (``claim``), else None."""
    return BY_TABLE.get(stem) or BY_TYPE.get(stem)
