"""Cross-record checks: references, provenance, duplicates, aliases and falling counts.

The ledger sees records one at a time and keeps only what these checks need: every id
with where it was first seen, each source's date and text, the keys of claims whose id is
not the deterministic one, actor names, the references and quotes that could not be
resolved yet (their target may come later), and the cumulative figures. ``finish()``
resolves what was left open and reports it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path

from kzdata import ids
from kzdata.models import Actor, Claim, ClaimRelation, Event, Source
from kzdata.records import AnyRecord
from kzdata.validate.checks import id_finding as _id_finding
from kzdata.validate.issues import Issue, make_issue
from kzdata.validate.parse import Finding
from kzdata.validate.provenance import SourceText, TextFinder, check_quote, check_source_text
from kzdata.validate.release import Release
from kzdata.vocab import Predicate, Status

Where = tuple[str, int | None]
CUMULATIVE = frozenset({Predicate.DETAINED, Predicate.KILLED})
"""Predicates whose figure, from one claimant and scope, should not fall over time (KZ604)."""
_REF_CODES = {"src": "KZ201", "act": "KZ202", "evt": "KZ203", "clm": "KZ204"}
_REF_NAMES = {"src": "source", "act": "actor", "evt": "event", "clm": "claim"}


@dataclass(frozen=True, slots=True)
class _Figure:
    day: date
    amount: float
    where: Where
    record_id: str


@dataclass(frozen=True, slots=True)
class _Quote:
    """What the source-dependent checks need of a claim whose source was not seen yet."""

    claim_id: str
    source_id: str
    stated_on: date | None
    start: int
    end: int
    quote: str
    where: Where

    @classmethod
    def of(cls, claim: Claim, where: Where) -> _Quote:
        span = claim.span
        return cls(claim.id, claim.source_id, claim.stated_on, span.start, span.end, claim.quote, where)


@dataclass(slots=True)
class Ledger:
    """State of the cross-record checks of one validation run."""

    finder: TextFinder
    release: Release | None = None
    seen: dict[str, Where] = field(default_factory=dict)
    sources: dict[str, SourceText] = field(default_factory=dict)
    claim_keys: dict[tuple[str, int, int, str], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    refs: list[tuple[str, str, str, Where]] = field(default_factory=list)
    quotes: list[_Quote] = field(default_factory=list)
    figures: dict[tuple[str, str, str], list[_Figure]] = field(default_factory=lambda: defaultdict(list))

    def add(self, record: AnyRecord, where: Where, base: Path | None) -> list[Issue]:
        """Issues of one record that depend on records seen before it."""
        out: list[Finding] = []
        first = self.seen.get(record.id)
        if first is not None:
            out.append(
                (
                    "KZ601",
                    "/id",
                    f"id {record.id!r} is already used at {_at(first)} — give each record its own id or drop the copy",
                )
            )
        else:
            self.seen[record.id] = where
        if isinstance(record, Claim):
            out += self._claim(record, where)
        elif isinstance(record, Source):
            out += self._source(record, base)
        elif isinstance(record, Actor):
            out += self._actor(record, where)
        elif isinstance(record, Event):
            self._refs(
                where,
                record.id,
                [(f"/participants/{i}/actor_id", p.actor_id) for i, p in enumerate(record.participants)],
            )
        elif isinstance(record, ClaimRelation):
            self._refs(where, record.id, [("/claim_id", record.claim_id), ("/other_claim_id", record.other_claim_id)])
        return [_issue(f, where, record.id) for f in out]

    def remember(self, record_id: str, where: Where) -> None:
        """Note the id of a record that failed the schema, so references to it still resolve."""
        self.seen.setdefault(record_id, where)

    def _claim(self, claim: Claim, where: Where) -> list[Finding]:
        seen = self.seen
        claimant, event, subject = claim.claimant_id, claim.event_id, claim.subject_id
        if not (
            claim.source_id in seen
            and (claimant is None or claimant in seen)
            and (event is None or event in seen)
            and (subject is None or subject in seen)
        ):
            refs = [
                ("/source_id", claim.source_id),
                ("/claimant_id", claim.claimant_id),
                ("/event_id", claim.event_id),
                ("/subject_id", claim.subject_id),
            ]
            self._refs(where, claim.id, refs)
        if claim.relayed_by:
            self._refs(where, claim.id, [(f"/relayed_by/{i}", actor) for i, actor in enumerate(claim.relayed_by)])
        out = self._duplicate_claim(claim)
        if claim.predicate in CUMULATIVE:
            self._figure(claim, where)
        source = self.sources.get(claim.source_id)
        if source is None:
            self.quotes.append(_Quote.of(claim, where))
            return out
        span = claim.span
        return out + _against_source(claim.stated_on, span.start, span.end, claim.quote, source)

    def _duplicate_claim(self, claim: Claim) -> list[Finding]:
        """KZ605 for a claim id not derived from its key; KZ602 for a second claim with the same key."""
        span = claim.span
        expected = ids.claim_id(claim.source_id, span.start, span.end, claim.predicate.value)
        if claim.id == expected:
            other = self.claim_keys.get((claim.source_id, span.start, span.end, claim.predicate.value))
            return [] if other is None else [self._same_claim(other)]
        found = [_id_finding(claim.id, expected, "source_id, span and predicate")]
        key = (claim.source_id, span.start, span.end, claim.predicate.value)
        other = self.claim_keys.get(key) or (expected if expected in self.seen else None)
        if other is None:
            self.claim_keys[key] = claim.id
            return found
        return [*found, self._same_claim(other)]

    def _figure(self, claim: Claim, where: Where) -> None:
        value, day = claim.value, claim.as_of or claim.stated_on
        if value is None or value.amount is None or day is None:
            return
        if claim.claimant_id is None or claim.status in (Status.RETRACTED, Status.CORRECTED):
            return
        key = (claim.claimant_id, claim.predicate.value, claim.scope or "")
        self.figures[key].append(_Figure(day, value.amount, where, claim.id))

    def _source(self, source: Source, base: Path | None) -> list[Finding]:
        text, findings = check_source_text(source, self.finder.find(source.path, base))
        self.sources.setdefault(source.id, SourceText(source.published, text, source.path, base, loaded=True))
        return findings

    def _actor(self, actor: Actor, where: Where) -> list[Finding]:
        self._refs(
            where, actor.id, [(f"/roles/{i}/organization_id", r.organization_id) for i, r in enumerate(actor.roles)]
        )
        out: list[Finding] = []
        forms = [("/name", actor.name), *((f"/aliases/{i}", a) for i, a in enumerate(actor.aliases))]
        for at, form in forms:
            owner = self.names.setdefault(form.casefold(), actor.id)
            if owner != actor.id:
                out.append(("KZ603", at, f"{form!r} also names {owner!r} — keep the alias on one actor only"))
        return out

    def _refs(self, where: Where, record_id: str, refs: list[tuple[str, str | None]]) -> None:
        """Keep the references not resolved yet; their targets may come later."""
        for at, target in refs:
            if target is not None and not self._known(target):
                self.refs.append((at, target, record_id, where))

    def _known(self, target: str) -> bool:
        return target in self.seen or (self.release is not None and target in self.release.ids)

    def _same_claim(self, other: str) -> Finding:
        where = _at(self.seen[other])
        return ("KZ602", "", f"same source, span and predicate as {other!r} at {where} — drop one of them")

    def finish(self) -> Iterator[Issue]:
        """Issues that could only be decided once every record was seen."""
        for at, target, record_id, where in self.refs:
            if not self._known(target):
                yield _issue(_unresolved(at, target), where, record_id)
        for q in self.quotes:
            source = self.sources.get(q.source_id) or self._release_source(q.source_id)
            if source is not None:
                found = _against_source(q.stated_on, q.start, q.end, q.quote, source)
                yield from (_issue(f, q.where, q.claim_id) for f in found)
        for figures in self.figures.values():
            yield from _falling(figures)

    def _release_source(self, source_id: str) -> SourceText | None:
        if self.release is None or source_id not in self.release.sources:
            return None
        published, path = self.release.sources[source_id]
        found = self.finder.find(path, self.release.directory)
        text = None
        if found is not None:
            try:
                text = found.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
        self.sources[source_id] = SourceText(published, text, path, self.release.directory, loaded=True)
        return self.sources[source_id]


def _against_source(stated_on: date | None, start: int, end: int, quote: str, source: SourceText) -> list[Finding]:
    """KZ401 and the quote check of a claim against its source."""
    out: list[Finding] = []
    if stated_on and source.published and stated_on > source.published:
        message = f"stated_on {stated_on} is after the source was published ({source.published}) — fix the date"
        out.append(("KZ401", "/stated_on", message))
    text = source.text
    if text is not None and end - start == len(quote) > 0 and text[start:end] != quote:
        out += check_quote(quote, start, end, text)
    return out


def _falling(figures: list[_Figure]) -> Iterator[Issue]:
    figures.sort(key=lambda f: (f.day, f.amount))
    best: _Figure | None = None
    for _, same_day in groupby(figures, key=lambda f: f.day):
        group = list(same_day)
        for figure in group:
            if best is not None and figure.amount < best.amount:
                yield make_issue(
                    "KZ604",
                    f"figure {figure.amount:g} as of {figure.day} is lower than {best.amount:g} as of {best.day} "
                    f"from the same claimant and scope ({best.record_id} at {_at(best.where)}) — "
                    "check the date and the figure; if both are right, explain the revision in notes",
                    file=figure.where[0],
                    line=figure.where[1],
                    record_id=figure.record_id,
                    pointer="/value/amount",
                )
        top = group[-1]
        best = top if best is None or top.amount > best.amount else best


def _unresolved(at: str, target: str) -> Finding:
    kind = target[:3]
    return (
        _REF_CODES.get(kind, "KZ202"),
        at,
        f"{_REF_NAMES.get(kind, 'record')} {target!r} is not in the validated files — add its record, fix the id, "
        "or validate against a release with --against",
    )


def _issue(finding: Finding, where: Where, record_id: str | None) -> Issue:
    code, at, message = finding
    return make_issue(code, message, file=where[0], line=where[1], record_id=record_id, pointer=at)


def _at(where: Where) -> str:
    return f"{where[0]}:{where[1]}" if where[1] is not None else where[0]
