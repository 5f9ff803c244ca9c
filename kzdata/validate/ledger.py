"""Cross-record checks: references, provenance, duplicates, aliases and falling counts.

The ledger sees records one at a time, in file order, and keeps only what these checks
need: every id with where it was first seen (as one int), each source's date and text, the
16-byte keys of claims whose id is not the deterministic one, actor names, the references
and quotes that could not be resolved yet (their target may come later), and the
cumulative figures. Claims arrive as :class:`~kzdata.validate.facts.ClaimFacts`, whoever
parsed them; JSON Pointers and messages are built only for problems found. ``finish()``
resolves what was left open and reports it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path

from kzdata.records.models import Actor, AnyRecord, Claim, ClaimRelation, Event, Quantity, Source
from kzdata.validate.against import Release
from kzdata.validate.facts import CUMULATIVE, ClaimFacts, FigureKey, claim_facts
from kzdata.validate.issues import Issue, make_issue
from kzdata.validate.parse import Finding
from kzdata.validate.provenance import SourceText, TextFinder, check_quote, check_source_text
from kzdata.validate.record_checks import id_finding as _id_finding

__all__ = ["CUMULATIVE", "Ledger", "Where"]

Where = tuple[str, int | None]
_FILES = 1 << 20
"""A location is kept as one int: line * _FILES + index of the file."""
_REF_CODES = {"src": "KZ201", "act": "KZ202", "evt": "KZ203", "clm": "KZ204"}
_REF_NAMES = {"src": "source", "act": "actor", "evt": "event", "clm": "claim"}
_CLAIM_REFS = ("/source_id", "/claimant_id", "/event_id", "/subject_id")
_Figure = tuple[int, float, int, str]
"""(day ordinal, amount, location, record id) of a cumulative figure."""
_Quote = tuple[str, str, int, int, int, str | None, int]
"""(claim id, source id, stated_on ordinal, start, end, quote, location) of a claim whose source was not seen yet."""
_Ref = tuple[str, str, str, int]
"""(JSON Pointer, target id, record id, location) of a reference not resolved yet."""


@dataclass(slots=True)
class Ledger:
    """State of the cross-record checks of one validation run."""

    finder: TextFinder
    release: Release | None = None
    seen: dict[str, int] = field(default_factory=dict)
    sources: dict[str, SourceText] = field(default_factory=dict)
    claim_keys: dict[bytes, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    refs: list[_Ref] = field(default_factory=list)
    quotes: list[_Quote] = field(default_factory=list)
    figures: dict[FigureKey, list[_Figure]] = field(default_factory=lambda: defaultdict(list))
    files: dict[str, int] = field(default_factory=dict)
    file_names: list[str] = field(default_factory=list)

    def locate(self, where: Where) -> int:
        """The int a location is kept as."""
        index = self.files.get(where[0])
        if index is None:
            index = self.files[where[0]] = len(self.file_names)
            self.file_names.append(where[0])
        return (where[1] or 0) * _FILES + index

    def where(self, location: int) -> Where:
        line, index = divmod(location, _FILES)
        return self.file_names[index], line or None

    def add(self, record: AnyRecord, where: Where, base: Path | None) -> list[Issue]:
        """Issues of one record that depend on records seen before it."""
        if isinstance(record, Claim):
            return self.claim(claim_facts(record), where)
        location = self.locate(where)
        out = self._first(record.id, location)
        if isinstance(record, Source):
            out += self._source(record, base)
        elif isinstance(record, Actor):
            out += self._actor(record, location)
        elif isinstance(record, Event):
            for i, p in enumerate(record.participants):
                self._ref(f"/participants/{i}/actor_id", p.actor_id, record.id, location)
        elif isinstance(record, ClaimRelation):
            self._ref("/claim_id", record.claim_id, record.id, location)
            self._ref("/other_claim_id", record.other_claim_id, record.id, location)
        elif isinstance(record, Quantity):
            for i, claim_id in enumerate(record.claim_ids):
                self._ref(f"/claim_ids/{i}", claim_id, record.id, location)
        return [issue_of(f, where, record.id) for f in out] if out else []

    def claim(self, facts: ClaimFacts, where: Where) -> list[Issue]:
        """Issues of one claim that depend on records seen before it."""
        location = self.locate(where)
        claim_id, refs, expected, key, figure, stated_on, start, end, quote = facts
        seen = self.seen
        out = self._first(claim_id, location)
        claimant, event, subject = refs[1], refs[2], refs[3]
        if not (
            refs[0] in seen
            and (claimant is None or claimant in seen)
            and (event is None or event in seen)
            and (subject is None or subject in seen)
        ):
            for at, target in zip(_CLAIM_REFS, refs[:4], strict=True):
                self._ref(at, target, claim_id, location)
        for i in range(4, len(refs)):
            if refs[i] not in seen:
                self._ref(f"/relayed_by/{i - 4}", refs[i], claim_id, location)
        if expected is not None or self.claim_keys:
            out += self._duplicate_claim(claim_id, expected, key)
        if figure is not None:
            self.figures[figure[0]].append((figure[1], figure[2], location, claim_id))
        source_id = refs[0] or ""
        source = self.sources.get(source_id)
        if source is None:
            self.quotes.append((claim_id, source_id, stated_on, start, end, quote, location))
        else:
            out += _against_source(stated_on, start, end, quote, source)
        return [issue_of(f, where, claim_id) for f in out] if out else []

    def remember(self, record_id: str, where: Where) -> None:
        """Note the id of a record that failed the schema, so references to it still resolve."""
        self.seen.setdefault(record_id, self.locate(where))

    def _first(self, record_id: str, location: int) -> list[Finding]:
        first = self.seen.get(record_id)
        if first is None:
            self.seen[record_id] = location
            return []
        message = (
            f"id {record_id!r} is already used at {self._at(first)} — give each record its own id or drop the copy"
        )
        return [("KZ601", "/id", message)]

    def _duplicate_claim(self, claim_id: str, expected: str | None, key: bytes) -> list[Finding]:
        """KZ605 for a claim id not derived from its key; KZ602 for a second claim with the same key."""
        if expected is None:
            other = self.claim_keys.get(key)
            return [] if other is None else [self._same_claim(other)]
        found = [_id_finding(claim_id, expected, "source_id, span and predicate")]
        other = self.claim_keys.get(key) or (expected if expected in self.seen else None)
        if other is None:
            self.claim_keys[key] = claim_id
            return found
        return [*found, self._same_claim(other)]

    def _source(self, source: Source, base: Path | None) -> list[Finding]:
        text, findings = check_source_text(source, self.finder.find(source.path, base))
        self.sources.setdefault(source.id, SourceText(source.published, text, source.path, base, loaded=True))
        return findings

    def _actor(self, actor: Actor, location: int) -> list[Finding]:
        for i, role in enumerate(actor.roles):
            self._ref(f"/roles/{i}/organization_id", role.organization_id, actor.id, location)
        out: list[Finding] = []
        forms = [("/name", actor.name), *((f"/aliases/{i}", a) for i, a in enumerate(actor.aliases))]
        for at, form in forms:
            owner = self.names.setdefault(form.casefold(), actor.id)
            if owner != actor.id:
                out.append(("KZ603", at, f"{form!r} also names {owner!r} — keep the alias on one actor only"))
        return out

    def _ref(self, at: str, target: str | None, record_id: str, location: int) -> None:
        """Keep a reference not resolved yet; its target may come later."""
        if target is not None and not self._known(target):
            self.refs.append((at, target, record_id, location))

    def _known(self, target: str) -> bool:
        return target in self.seen or (self.release is not None and target in self.release.ids)

    def _same_claim(self, other: str) -> Finding:
        where = self._at(self.seen[other])
        return ("KZ602", "", f"same source, span and predicate as {other!r} at {where} — drop one of them")

    def _at(self, location: int) -> str:
        file, line = self.where(location)
        return f"{file}:{line}" if line is not None else file

    def finish(self) -> Iterator[Issue]:
        """Issues that could only be decided once every record was seen."""
        for at, target, record_id, location in self.refs:
            if not self._known(target):
                yield issue_of(_unresolved(at, target), self.where(location), record_id)
        for claim_id, source_id, stated_on, start, end, quote, location in self.quotes:
            source = self.sources.get(source_id) or self._release_source(source_id)
            if source is not None:
                found = _against_source(stated_on, start, end, quote, source)
                yield from (issue_of(f, self.where(location), claim_id) for f in found)
        for figures in self.figures.values():
            yield from self._falling(figures)

    def _release_source(self, source_id: str) -> SourceText | None:
        if self.release is None or source_id not in self.release.sources:
            return None
        published, path, directory = self.release.sources[source_id]
        found = self.finder.find(path, directory)
        text = None
        if found is not None:
            try:
                text = found.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
        self.sources[source_id] = SourceText(published, text, path, directory, loaded=True)
        return self.sources[source_id]

    def _falling(self, figures: list[_Figure]) -> Iterator[Issue]:
        figures.sort(key=lambda f: (f[0], f[1]))
        best: _Figure | None = None
        for _, same_day in groupby(figures, key=lambda f: f[0]):
            group = list(same_day)
            for day, amount, location, record_id in group:
                if best is not None and amount < best[1]:
                    file, line = self.where(location)
                    yield make_issue(
                        "KZ604",
                        f"figure {amount:g} as of {date.fromordinal(day)} is lower than {best[1]:g} as of "
                        f"{date.fromordinal(best[0])} from the same claimant and scope ({best[3]} at "
                        f"{self._at(best[2])}) — check the date and the figure; if both are right, explain the "
                        "revision in notes",
                        file=file,
                        line=line,
                        record_id=record_id,
                        pointer="/value/amount",
                    )
            top = group[-1]
            best = top if best is None or top[1] > best[1] else best


def _against_source(stated_on: int, start: int, end: int, quote: str | None, source: SourceText) -> list[Finding]:
    """KZ401 and the quote check of a claim against its source (stated_on as a day ordinal, 0 = unknown)."""
    out: list[Finding] = []
    published = source.published_day
    if stated_on and published and stated_on > published:
        day = date.fromordinal(stated_on)
        message = f"stated_on {day} is after the source was published ({source.published}) — fix the date"
        out.append(("KZ401", "/stated_on", message))
    text = source.text
    if text is not None and quote is not None and text[start:end] != quote:
        out += check_quote(quote, start, end, text)
    return out


def _unresolved(at: str, target: str) -> Finding:
    kind = target[:3]
    return (
        _REF_CODES.get(kind, "KZ202"),
        at,
        f"{_REF_NAMES.get(kind, 'record')} {target!r} is not in the validated files — add its record, fix the id, "
        "or validate against a release with --against",
    )


def issue_of(finding: Finding, where: Where, record_id: str | None) -> Issue:
    """The Issue of a finding of the record with ``record_id`` at ``where``."""
    code, at, message = finding
    return make_issue(code, message, file=where[0], line=where[1], record_id=record_id, pointer=at)
