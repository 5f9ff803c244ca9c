"""Merging extracted records with hand-curated ones: curated records win.

- **Claims**: an extracted claim is *overridden* (dropped) when a curated claim has the same
  id, or re-reads the same passage: same source, same predicate and overlapping spans. When
  one sentence holds several figures ("5,969 detained, that is, almost two thousand more"),
  a curated numeric claim overrides only the overlapping extracted claims with the same
  amount, or, if none has it (the curator corrected the figure), the one that overlaps it
  most. Every other claim of either kind is kept.
- **Actors** with the same id become one record: curated fields win, a field the curated
  record leaves empty is filled from the extracted ones, aliases are the union of all
  (sorted, minus the canonical name), roles are the curated roles if any, else the union of
  the extracted ones.
- **Sources** and **events** with the same id: the curated record replaces the extracted one.
- **Claim relations** are derived at build time (:mod:`kzdata.build.relations`), so any found in
  the inputs are left out.

Identical duplicates collapse to one record; differing records that share an id among the
curated ones are all kept, so that validation reports the duplicate id. The result is
sorted by record type and id and does not depend on the order of the inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kzdata.records.jsonl import dumps
from kzdata.records.kinds import BY_TYPE, KINDS
from kzdata.records.models import Actor, ActorRole, AnyRecord, Claim, Event, Source

RECORD_ORDER = {kind.record_type: rank for rank, kind in enumerate(KINDS)}
"""Records are ordered by kind, in the registry's table order."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged records and what the merge did."""

    records: tuple[AnyRecord, ...]
    extracted_claims: int
    curated_claims: int
    overridden: tuple[str, ...]
    """Ids of the extracted claims a curated claim replaced, sorted."""


def sort_key(record: AnyRecord) -> tuple[int, str, str]:
    """Stable order of records: by type (sources first), id, then canonical JSON."""
    return (RECORD_ORDER[record.record_type], record.id, dumps(record))


def canonical_order(records: Iterable[AnyRecord]) -> list[AnyRecord]:
    """The records without exact duplicates, in :func:`sort_key` order (each record dumped once)."""
    unique = {dumps(record): record for record in records}
    keyed = sorted((RECORD_ORDER[r.record_type], r.id, text) for text, r in unique.items())
    return [unique[text] for _, _, text in keyed]


def merge(extracted: Iterable[AnyRecord], curated: Iterable[AnyRecord]) -> MergeResult:
    """Merge extracted and curated records; see the module docstring for the rules."""
    ours = [r for r in canonical_order(extracted) if not BY_TYPE[r.record_type].derived]
    theirs = [r for r in canonical_order(curated) if not BY_TYPE[r.record_type].derived]
    curated_claims = [r for r in theirs if isinstance(r, Claim)]
    extracted_claims = _first_per_id([r for r in ours if isinstance(r, Claim)])
    kept, overridden = split_overridden(extracted_claims, curated_claims)
    records: list[AnyRecord] = [*kept, *curated_claims]
    records += merge_actors([r for r in theirs if isinstance(r, Actor)], [r for r in ours if isinstance(r, Actor)])
    records += _replace_by_id(
        [r for r in ours if isinstance(r, Source | Event)], [r for r in theirs if isinstance(r, Source | Event)]
    )
    return MergeResult(
        records=tuple(canonical_order(records)),
        extracted_claims=len(extracted_claims),
        curated_claims=len(curated_claims),
        overridden=tuple(sorted(claim.id for claim in overridden)),
    )


def overlap(a: Claim, b: Claim) -> int:
    """Characters two claims' spans share when they quote the same source for one predicate, else 0."""
    if a.source_id != b.source_id or a.predicate != b.predicate:
        return 0
    return max(0, min(a.span.end, b.span.end) - max(a.span.start, b.span.start))


def overridden_by(curated: Claim, extracted: Sequence[Claim]) -> list[Claim]:
    """The extracted claims one curated claim replaces; see the module docstring."""
    same_id = [c for c in extracted if c.id == curated.id]
    passage = [c for c in extracted if c.id != curated.id and overlap(curated, c) > 0]
    if curated.value is None or not passage:
        return same_id + passage
    amount = curated.value.amount
    same_figure = [c for c in passage if c.value is not None and c.value.amount == amount]
    closest = max(passage, key=lambda c: (overlap(curated, c), _reverse(c.id)))
    return same_id + (same_figure or [closest])


def _reverse(text: str) -> tuple[int, ...]:
    """A key that makes max() prefer the smallest string."""
    return tuple(-ord(char) for char in text)


def split_overridden(extracted: Sequence[Claim], curated: Sequence[Claim]) -> tuple[list[Claim], list[Claim]]:
    """Split extracted claims into (kept, overridden by a curated claim)."""
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in extracted:
        by_source[claim.source_id].append(claim)
    replaced: set[str] = set()
    for claim in curated:
        replaced.update(c.id for c in overridden_by(claim, by_source[claim.source_id]))
    kept = [c for c in extracted if c.id not in replaced]
    return kept, [c for c in extracted if c.id in replaced]


def merge_actors(curated: Sequence[Actor], extracted: Sequence[Actor]) -> list[Actor]:
    """One actor per id: curated fields win, aliases united, roles curated-first."""
    groups: dict[str, tuple[list[Actor], list[Actor]]] = defaultdict(lambda: ([], []))
    for actor in curated:
        groups[actor.id][0].append(actor)
    for actor in extracted:
        groups[actor.id][1].append(actor)
    merged: list[Actor] = []
    for hand, rule in groups.values():
        if len(hand) > 1:
            merged.extend(hand)  # conflicting curated records: let validation report the duplicate id
            continue
        merged.append(merge_actor_group(hand + rule, curated_count=len(hand)))
    return merged


def merge_actor_group(actors: Sequence[Actor], *, curated_count: int = 0) -> Actor:
    """Merge records of one actor; the first ``curated_count`` records are curated."""
    first = actors[0]
    fields = {
        name: next((getattr(a, name) for a in actors if getattr(a, name) is not None), None) for name in _OPTIONAL
    }
    aliases = {alias for actor in actors for alias in actor.aliases} - {first.name}
    hand_roles = [role for actor in actors[:curated_count] for role in actor.roles]
    roles = hand_roles or [role for actor in actors for role in actor.roles]
    return first.model_copy(
        update={**fields, "aliases": sorted(aliases, key=_alias_key), "roles": _unique_roles(roles)}
    )


_OPTIONAL = ("country", "wikidata_id", "notes")


def _alias_key(alias: str) -> tuple[str, str]:
    return (alias.casefold(), alias)


def _unique_roles(roles: Iterable[ActorRole]) -> list[ActorRole]:
    unique = {role.model_dump_json(): role for role in roles}
    return sorted(unique.values(), key=lambda r: (r.start.isoformat() if r.start else "", r.title, r.model_dump_json()))


def _first_per_id(claims: Sequence[Claim]) -> list[Claim]:
    """Extracted claims are machine output: keep one record per id (the first in canonical order)."""
    seen: dict[str, Claim] = {}
    for claim in claims:
        seen.setdefault(claim.id, claim)
    return list(seen.values())


def _replace_by_id(extracted: Sequence[Source | Event], curated: Sequence[Source | Event]) -> list[AnyRecord]:
    curated_ids = {record.id for record in curated}
    return [*(r for r in extracted if r.id not in curated_ids), *curated]
