"""The extraction engine: a Document's body in, Claims and the Actors they name out.

Per sentence of the body: dates are found first (their tokens are never figures), then
figures and their readings (:mod:`kzdata.rules.figures`), the attribution
(:mod:`kzdata.rules.attribution`) and non-numeric statements
(:mod:`kzdata.rules.statements`). Every claim quotes its sentence, or the clause of its
figure when a sentence holds several figures of one predicate, so that ``quote ==
doc.text[span.start:span.end]`` always and claim ids (source, span, predicate) are unique.

Confidence is the rule's confidence from predicates.yaml, less ``GENERIC_PENALTY`` when
the claimant was named only by a generic phrase ("officials said"), less
``UNRESOLVED_PENALTY`` when a speech verb governs the figure but its speaker could not be
resolved (the claim falls back to the outlet: "She said ..." with no antecedent).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kzdata.records import ids
from kzdata.records.models import Actor, Claim, Span, Value
from kzdata.records.vocab import DatePrecision, Method, Predicate, Status
from kzdata.rules.actors import ActorDictionary, Context, Mention, dictionary
from kzdata.rules.attribution import PRONOUN_REACH, Attributor, Speech
from kzdata.rules.claimants import Attribution, resolve
from kzdata.rules.dates import DateMention, find_dates
from kzdata.rules.explain import Explanation
from kzdata.rules.figures import Reading, classify
from kzdata.rules.lexicon import Lexicon, NumericRule, lexicon
from kzdata.rules.quantities import find_figures
from kzdata.rules.statements import Statement, StatementFinder
from kzdata.rules.text import Sentence, Token, headline, sentences
from kzdata.sources.document import Document

GENERIC_PENALTY = 0.1
UNRESOLVED_PENALTY = 0.2
"""Less confidence for an outlet claim whose sentence has a speaker we could not resolve
("He said ..." with no one to refer back to)."""
_CLAUSE_BOUNDARIES = frozenset({",", ";", "and", "while", "but", "whereas"})


class _Actors:
    """The actors named in one article, with every surface form seen."""

    def __init__(self, known: ActorDictionary) -> None:
        self.known = known
        self.records: dict[str, tuple[Mention, set[str]]] = {}

    def add(self, mention: Mention | None) -> str | None:
        if mention is None or mention.name is None or not ids.slugify(mention.name):
            return None
        _, surfaces = self.records.setdefault(mention.name, (mention, set()))
        if mention.surface:
            surfaces.add(mention.surface)
        return ids.actor_id(mention.name)

    def _add_organizations(self) -> None:
        """Emit the bodies the emitted actors' roles refer to, so every actor id resolves."""
        by_id = {entry.id: entry for entry in self.known.entries.values()}
        pending = [self.known.entries[name] for name in self.records if name in self.known.entries]
        while pending:
            for role in pending.pop().roles:
                body = by_id.get(role.organization_id or "")
                if body is not None and body.name not in self.records:
                    self.records[body.name] = (Mention(0, 0, body.name, "", "organization"), set())
                    pending.append(body)

    def build(self) -> list[Actor]:
        self._add_organizations()
        out = []
        for name, (mention, surfaces) in self.records.items():
            entry = self.known.entries.get(name)
            aliases = sorted(s for s in surfaces if s != name)
            if entry is not None:
                out.append(
                    Actor(
                        record_type="actor",
                        id=entry.id,
                        name=name,
                        actor_type=entry.actor_type,
                        country=entry.country,
                        aliases=aliases,
                        roles=list(entry.roles),
                        wikidata_id=entry.wikidata,
                    )
                )
            else:
                out.append(
                    Actor(
                        record_type="actor",
                        id=ids.actor_id(name),
                        name=name,
                        actor_type=mention.actor_type,
                        country=mention.country,
                        aliases=aliases,
                        notes="Found by rule-based extraction; not in the actor dictionary.",
                    )
                )
        return sorted(out, key=lambda actor: actor.id)


@dataclass(frozen=True, slots=True)
class _When:
    stated_on: date | None
    stated_precision: DatePrecision
    as_of: date | None
    as_of_precision: DatePrecision


_PERIOD_WORDS = frozenset(
    {"since", "from", "until", "till", "after", "before", "between", "started", "began", "starting", "to"}
)


def _event_dates(
    dates: Sequence[DateMention], tokens: Sequence[Token], stated: DateMention | None
) -> list[DateMention]:
    """Day dates the statement is about; not the start or end of a period ("since Wednesday")."""
    return [
        d
        for d in dates
        if d is not stated
        and d.value is not None
        and d.precision is DatePrecision.DAY
        and not any(t.key in _PERIOD_WORDS for t in tokens[max(0, d.start - 2) : d.start])
    ]


def _when(dates: Sequence[DateMention], who: Attribution, tokens: Sequence[Token], published: date | None) -> _When:
    """stated_on: the date of the speech verb (or the publication date for the outlet's own
    statements); as_of: the day the statement is about, else the day it was stated."""
    stated: DateMention | None = None
    if who.claimant is not None and who.verb is not None:
        verb = who.verb
        reach = 16 if who.rule == "attr.citing" else 8
        after = [
            d for d in dates if verb < d.start <= verb + reach and all(t.key != "that" for t in tokens[verb : d.start])
        ]
        before = [d for d in dates if d.end <= min(who.claimant.start, verb)]
        stated = after[0] if after else (before[0] if before else None)
    if who.claimant is None:
        stated_on, stated_precision = published, DatePrecision.DAY
    elif stated is not None and stated.value is not None:
        stated_on, stated_precision = stated.value, stated.precision
    else:
        stated_on, stated_precision = None, DatePrecision.DAY
    events = _event_dates(dates, tokens, stated)
    as_of, as_of_precision = (events[0].value, events[0].precision) if events else (stated_on, stated_precision)
    if as_of is not None and stated_on is not None and as_of > stated_on:
        as_of, as_of_precision = stated_on, stated_precision
    return _When(stated_on, stated_precision, as_of, as_of_precision)


def _places(tokens: Sequence[Token], lex: Lexicon) -> list[tuple[int, str]]:
    """(character offset, place) of every place named after 'in', 'of', 'near' or 'around'."""
    found = []
    for i in range(1, len(tokens)):
        if tokens[i - 1].key in ("in", "of", "near", "around") and (hit := lex.places.match(tokens, i)):
            found.append((tokens[i].start, hit[1]))
    return found


def _scope(places: Sequence[tuple[int, str]], span: tuple[int, int]) -> str:
    """The place the clause at ``span`` narrows its statement to ("in Almaty"), else nationwide."""
    return next((name for offset, name in places if span[0] <= offset < span[1]), "nationwide")


def _clauses(sentence: Sentence, readings: Sequence[Reading]) -> list[tuple[int, int]]:
    """Character spans: the sentence for a lone reading, else one clause per reading."""
    if len(readings) == 1:
        return [(sentence.start, sentence.end)]
    tokens = sentence.tokens
    cuts = []
    for a, b in itertools.pairwise(readings):
        between = [k for k in range(a.figure.end, b.figure.first) if tokens[k].key in _CLAUSE_BOUNDARIES]
        cuts.append(between[-1] if between else b.figure.first)
    spans = []
    start = 0
    for index in range(len(readings)):
        end = cuts[index] if index < len(cuts) else len(tokens)
        first = start if start < end else min(end, len(tokens) - 1)
        spans.append((tokens[first].start, tokens[max(end, first + 1) - 1].end))
        start = end + 1 if index < len(cuts) and tokens[end].key in _CLAUSE_BOUNDARIES else end
    spans[-1] = (spans[-1][0], sentence.end)
    spans[0] = (sentence.start, spans[0][1])
    return spans


class Extractor:
    """Runs the rules over one Document."""

    def __init__(self, doc: Document, *, title: bool = True) -> None:
        self.doc = doc
        self.title = title
        """Read the title too (numeric claims only: a title names no arrests reliably)."""
        self.lex = lexicon()
        self.actors = _Actors(dictionary())
        self.ctx = Context(on=doc.published)
        self.attributor = Attributor(self.lex, dictionary())
        self.statements = StatementFinder(self.lex, dictionary())
        self.claims: dict[str, Claim] = {}
        self.explanations: dict[str, Explanation] = {}
        self.previous: Attribution | None = None
        self.last_figures: list[str] = []
        """Ids of the numeric claims of the last sentence, which a retraction may withdraw."""
        self.previous_rule: NumericRule | None = None
        """The attribution of the last sentence's figures, for a sentence that goes on with them."""
        self.retracted: list[tuple[int, int]] = []
        """Token spans of the current sentence that say a figure was withdrawn."""
        self.positions: dict[str, int] = {}
        self.places: list[tuple[int, str]] = []
        self.context_date = doc.published
        self.paragraph = 0
        self.dated: dict[str, tuple[date, DatePrecision, int]] = {}
        """Claimant -> the date of its last dated statement and the paragraph it was in."""

    def run(self) -> list[Actor | Claim]:
        index = 0
        for index, sentence in enumerate(sentences(self.doc, self.lex.abbreviations)):
            self.ctx.sentence = index
            self._sentence(sentence)
        title = headline(self.doc) if self.title else None
        if title is not None:
            # headlines are claims too ("Officials say 90 dead"); read last, so that "ministry
            # says" can refer to the ministry the body names, but never to its last speaker
            self.ctx.sentence = index + 2 * PRONOUN_REACH
            self.context_date = self.doc.published
            self._sentence(title, headline=True)
        claims = sorted(self.claims.values(), key=lambda c: (self.positions[c.id], c.span.start, c.id))
        return [*self.actors.build(), *claims]

    def _sentence(self, sentence: Sentence, *, headline: bool = False) -> None:
        tokens = sentence.tokens
        self.paragraph = next(
            (k for k, seg in enumerate(self.doc.body) if seg.start <= sentence.start < seg.end), self.paragraph
        )
        dates = find_dates(tokens, self.lex, self.doc.published, self.context_date)
        days = [d.value for d in _event_dates(dates, tokens, None) if d.value is not None]
        skip = frozenset(k for d in dates for k in range(d.start, d.end)) | _in_names(tokens)
        going_on = self.lex.continuations.match(tokens, 0) is not None
        inherited = self.previous_rule if going_on else None
        readings = classify(tokens, find_figures(tokens, self.lex, skip), self.lex, inherited)
        sources = self.attributor.sources(tokens, self.doc.text, self.ctx, headline=headline)
        if headline:
            # Title Case makes every word look like a name: only listed actors speak in a title
            sources = [s for s in sources if s.who is None or s.who.kind not in ("new", "skip")]
        self.retracted = _retractions(tokens, self.lex)
        if self.retracted and not readings:
            self._withdraw(self.last_figures)  # "... the report was later taken down"
        if not going_on:
            self.last_figures = []  # a sentence that goes on with the one before adds to its figures
        self.places = _places(tokens, self.lex)
        by_predicate: dict[str, list[Reading]] = {}
        for reading in readings:
            by_predicate.setdefault(reading.rule.predicate.value, []).append(reading)
        carried = self.previous if going_on else None
        self.previous_rule = readings[-1].rule if readings else None
        spoken: Attribution | None = None
        for group in by_predicate.values():
            for reading, span in zip(group, _clauses(sentence, group), strict=True):
                who = resolve(sources, reading.figure.first)
                going_with = who.claimant is None and carried is not None and who.rule == "attr.outlet"
                who = carried if going_with and carried is not None else who  # "Of these, 20 were ..."
                spoken = who if who.claimant is not None else spoken
                self._numeric(reading, span, who, dates=dates, tokens=tokens)
                if going_with:
                    self._note(self.last_figures[-1], "the sentence goes on with the one before: its speaker")
        self.previous = spoken
        for statement in [] if headline else self.statements.find(tokens, self.doc.text, self.ctx):
            self._statement(statement, sentence, resolve(sources, statement.cue), dates)
        if days:
            self.context_date = days[-1]
        # remember who the sentence names, for "the ministry" and lone surnames later on
        named = dictionary().find(tokens, 0, len(tokens), self.doc.text, self.ctx)
        self._note_speakers(sources, named, tokens)

    def _note_speakers(self, sources: Sequence[Speech], named: Sequence[Mention], tokens: Sequence[Token]) -> None:
        """Remember the sentence's named speakers, else its subject ("The minister X spoke on
        TV."), for a pronoun in a later sentence ("He said ...", "It added ...")."""
        speakers = [s.who for s in sources if s.who is not None and s.who.name and s.who.kind != "anonymous"]
        if not speakers:
            first = next((m for m in named if m.name and m.kind not in ("anonymous", "skip")), None)
            opening = first is not None and all(
                t.is_word and (t.capitalized or t.key == "the") for t in tokens[: first.start]
            )
            speakers = [first] if first is not None and opening and not first.possessive else []
            # "Interior Minister Jane Doe spoke": the body of the title, then the person
            speakers += [m for m in named if speakers and m.name and m.start == speakers[0].end]
        self.ctx.speakers.extend((self.ctx.sentence, m) for m in speakers)

    def _base(
        self,
        rule_id: str,
        predicate: Predicate,
        confidence: float,
        *,
        span: tuple[int, int],
        who: Attribution,
        when: _When,
    ) -> dict[str, object]:
        start, end = span
        claimant = self.actors.add(who.claimant)
        relays = [r for r in (self.actors.add(m) for m in who.relays) if r is not None and r != claimant]
        if who.claimant is not None and who.claimant.kind == "generic":
            confidence -= GENERIC_PENALTY
        if who.unresolved:
            confidence -= UNRESOLVED_PENALTY
        return {
            "record_type": "claim",
            "id": ids.claim_id(self.doc.source_id, start, end, predicate.value),
            "source_id": self.doc.source_id,
            "claimant_id": claimant,
            "relayed_by": relays,
            "predicate": predicate,
            "quote": self.doc.text[start:end],
            "span": Span(start=start, end=end),
            "stated_on": when.stated_on,
            "stated_on_precision": when.stated_precision,
            "as_of": when.as_of,
            "as_of_precision": when.as_of_precision,
            "method": Method.RULE,
            "rule_id": f"{rule_id}+{who.rule}",
            "confidence": round(max(0.0, confidence), 2),
        }

    def _numeric(
        self,
        reading: Reading,
        span: tuple[int, int],
        who: Attribution,
        *,
        dates: Sequence[DateMention],
        tokens: Sequence[Token],
    ) -> None:
        figure = reading.figure
        fields = self._base(
            reading.rule.id,
            reading.rule.predicate,
            reading.rule.confidence,
            span=span,
            who=who,
            when=self._carried(who, _when(dates, who, tokens, self.doc.published)),
        )
        value = Value(
            amount=figure.amount, low=figure.low, high=figure.high, unit=reading.unit, qualifier=figure.qualifier
        )
        status = Status.RETRACTED if self.retracted else Status.REPORTED
        claim = Claim(**fields, value=value, scope=_scope(self.places, span), status=status)  # type: ignore[arg-type]
        cue = _cue_text(reading, tokens, self.doc.text)
        notes = ("the text says the figure was withdrawn: status retracted",) if self.retracted else ()
        self._keep(claim, tokens[figure.first].start, _explain(claim, cue, who, notes))
        self.last_figures.append(claim.id)

    def _statement(
        self, statement: Statement, sentence: Sentence, who: Attribution, dates: Sequence[DateMention]
    ) -> None:
        rule = statement.rule
        if rule.subject == "claimant" and who.claimant is None:
            return
        if rule.predicate is Predicate.RESIGNATION and any(a <= statement.cue < b for a, b in self.retracted):
            return  # "the post was removed": a withdrawn figure, not a dismissal
        fields = self._base(
            rule.id,
            rule.predicate,
            rule.confidence,
            span=(sentence.start, sentence.end),
            who=who,
            when=self._carried(who, _when(dates, who, sentence.tokens, self.doc.published)),
        )
        speaker = statement.subject is not None and statement.subject.kind == "speaker"
        if speaker and who.claimant is None:
            return
        subject = self.actors.add(who.claimant if speaker else statement.subject)
        scope = (
            _scope(self.places, (sentence.start, sentence.end)) if rule.predicate.value == "internet_shutdown" else None
        )
        claim = Claim(**fields, subject_id=subject, label=statement.label, scope=scope)  # type: ignore[arg-type]
        cue = sentence.tokens[statement.cue]
        self._keep(claim, cue.start, _explain(claim, self.doc.text[cue.start : cue.end], who, ()))

    def _carried(self, who: Attribution, when: _When) -> _When:
        """A speaker's undated statement ("the ministry added") takes the date of its previous
        dated statement in the same paragraph or the one before; a dated one is remembered."""
        name = who.claimant.name if who.claimant is not None else None
        if name is None:
            return when
        if when.stated_on is not None:
            self.dated[name] = (when.stated_on, when.stated_precision, self.paragraph)
            return when
        earlier = self.dated.get(name)
        if earlier is None or self.paragraph - earlier[2] > 1:
            return when
        stated_on, precision, _ = earlier
        as_of, as_of_precision = when.as_of, when.as_of_precision
        if as_of is None or as_of > stated_on:
            as_of, as_of_precision = stated_on, precision
        return _When(stated_on, precision, as_of, as_of_precision)

    def _withdraw(self, claim_ids: Sequence[str]) -> None:
        """Mark the claims retracted: a later sentence says their figure was withdrawn."""
        for claim_id in claim_ids:
            self.claims[claim_id] = self.claims[claim_id].model_copy(update={"status": Status.RETRACTED})
            self._note(claim_id, "the next sentence says the figure was withdrawn: status retracted")

    def _note(self, claim_id: str, note: str) -> None:
        why = self.explanations[claim_id]
        if note not in why.notes:
            self.explanations[claim_id] = dataclasses.replace(why, notes=(*why.notes, note))

    def _keep(self, claim: Claim, position: int, explanation: Explanation) -> None:
        """Keep the first claim of an id; ``position`` (of its figure or cue) orders the output."""
        if claim.id not in self.claims:
            self.claims[claim.id] = claim
            self.positions[claim.id] = position
            self.explanations[claim.id] = explanation


def _in_names(tokens: Sequence[Token]) -> frozenset[int]:
    """Number tokens that are no figures: inside a dictionary name ("Khabar 24") or a
    person's age in apposition ("Jane Doe, 56, was held")."""
    aliases = dictionary().aliases
    named = {k for start, end, _ in aliases.find(tokens) for k in range(start, end) if tokens[k].key[:1].isdigit()}
    ages = {
        k
        for k in range(2, len(tokens) - 1)
        if tokens[k].key.isdigit()
        and tokens[k - 1].key == ","
        and tokens[k + 1].key == ","
        and tokens[k - 2].is_word
        and tokens[k - 2].capitalized
    }
    return frozenset(named | ages)


def _retractions(tokens: Sequence[Token], lex: Lexicon) -> list[tuple[int, int]]:
    """Token spans saying a figure was withdrawn ("the post ... was removed"): a retraction
    cue with a report noun (figure, post, toll, ...) before it in the sentence."""
    return [
        (a, b)
        for a, b, _ in lex.retraction.find(tokens)
        if any(t.key in lex.report_nouns for t in tokens[:a]) or (b < len(tokens) and tokens[b].key == "figure")
    ]


def _cue_text(reading: Reading, tokens: Sequence[Token], text: str) -> str:
    """The words of the reading's cue nearest to its figure (the figure itself if none)."""
    figure = reading.figure
    hits = list(reading.rule.cues.find(tokens))
    if not hits:
        return text[tokens[figure.first].start : tokens[figure.end - 1].end]
    start, end, _ = min(hits, key=lambda h: min(abs(h[0] - figure.end), abs(figure.first - h[1])))
    return text[tokens[start].start : tokens[end - 1].end]


def _explain(claim: Claim, cue: str, who: Attribution, notes: tuple[str, ...]) -> Explanation:
    rules = tuple((claim.rule_id or "").split("+"))
    return Explanation(claim.id, cue, rules, who.chain(), notes)


def extract(doc: Document, *, title: bool = True) -> list[Actor | Claim]:
    """The Actors (sorted by id) and Claims (in text order) that the rules find in ``doc``'s
    body and, unless ``title`` is false, the figures of its headline (a headline is a claim:
    "90 killed in clashes — ministry"; the gold sets annotate headlines too).
    """
    return Extractor(doc, title=title).run()


def explain(doc: Document, *, title: bool = True) -> list[tuple[Claim, Explanation]]:
    """The claims of :func:`extract`, in the same order, each with its :class:`Explanation`."""
    extractor = Extractor(doc, title=title)
    records = extractor.run()
    return [(r, extractor.explanations[r.id]) for r in records if isinstance(r, Claim)]
