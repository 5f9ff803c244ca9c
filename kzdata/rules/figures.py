"""Which figures count detained, killed, injured people or deployed troops, and by which rule.

For a figure, :func:`classify` reads its head noun (skipping up to ``max_modifiers``
modifiers) and then the nearest cue of a numeric rule of predicates.yaml: in the head
itself ("5,969 detained participants"), after the figure in its clause ("... were
detained"), or before it ("police detained ...", "the death toll rose to ..."). A figure
whose head is a thing ("500 police cars") or that has no head and no cue is no claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzdata.records.vocab import Predicate, Unit
from kzdata.rules.lexicon import Lexicon, NumericRule
from kzdata.rules.quantities import Figure
from kzdata.rules.text import Token

_AFTER_WINDOW = 12
_BEFORE_WINDOW = 10


@dataclass(frozen=True, slots=True)
class Head:
    """The noun a figure counts: its unit, or ``thing`` when it counts objects."""

    unit: Unit | None
    end: int
    thing: bool = False
    words: bool = False
    back: int | None = None
    troop: bool = False
    """The noun can also name troops ("servicemen")."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A figure read as a count of ``rule.predicate`` in ``unit``."""

    figure: Figure
    rule: NumericRule
    unit: Unit


def _is_cue_start(lex: Lexicon, tokens: Sequence[Token], i: int) -> bool:
    return any(rule.where != "sentence" and rule.cues.match(tokens, i) for rule in lex.numeric_rules)


def head(tokens: Sequence[Token], figure: Figure, lex: Lexicon) -> Head:
    """The head noun after the figure ("2,500 Russian troops" -> troops)."""
    i = figure.end
    unit: Unit | None = Unit.PEOPLE if figure.suffix else None
    if i < len(tokens) and tokens[i].key == "of" and (figure.amount is None or figure.suffix is None):
        i += 1
        if i < len(tokens) and tokens[i].key in ("the", "them", "those", "whom"):
            return Head(None, i)
    words = troop = False
    limit = i + lex.max_modifiers + 1
    while i < min(limit, len(tokens)):
        token = tokens[i]
        if not token.is_word or token.key in lex.stop_words:
            break
        if lex.thing_nouns.match(tokens, i):
            return Head(None, i + 1, thing=True, words=True)
        if person := lex.person_nouns.match(tokens, i):
            troop = troop or lex.troop_nouns.match(tokens, i) is not None
            unit, i, words = person[1], i + person[0], True
            if lex.thing_nouns.match(tokens, i):  # "military equipment": a modifier, not the head
                return Head(None, i + 1, thing=True, words=True)
            if not figure.suffix:
                break
            continue
        if _is_cue_start(lex, tokens, i) or token.key in lex.speech_verbs:
            break
        words = True
        i += 1
    return Head(unit, i, words=words, troop=troop or unit is Unit.TROOPS)


def _back_head(tokens: Sequence[Token], figure: Figure, lex: Lexicon) -> Head | None:
    """The noun a bare figure stands for when it comes before the figure, joined by a link
    word or an aside mark: "put the toll at 40", "the deaths – 103 – ...", "the total force at 900"."""
    link = figure.first - 1
    if link < 1 or tokens[link].key not in lex.back_links:
        return None
    found = lex.person_nouns.ending_at(tokens, link, max(0, link - 3))
    if found is None:
        return None
    troop = lex.troop_nouns.ending_at(tokens, link, link - found[0]) is not None
    return Head(found[1], figure.end, words=True, back=link - found[0], troop=troop or found[1] is Unit.TROOPS)


def _shared_head(tokens: Sequence[Token], figure: Figure, lex: Lexicon, starts: dict[int, Figure]) -> Head | None:
    """'150 and 200 servicemen', '40 to 50 people': a bare figure shares the next figure's noun."""
    k = figure.end
    if k + 1 < len(tokens) and tokens[k].key in ("and", "or", "to") and (k + 1) in starts:
        shared = head(tokens, starts[k + 1], lex)
        if shared.unit is not None:
            return Head(shared.unit, figure.end, words=True, troop=shared.troop)
    return None


def _inner(tokens: Sequence[Token], lex: Lexicon, start: int) -> bool:
    return bool(lex.inner_parts.ending_at(tokens, start, max(0, start - 3)))


def _after(
    tokens: Sequence[Token], start: int, lex: Lexicon, starts: dict[int, Figure]
) -> tuple[int, NumericRule] | None:
    i = start
    while i < min(start + _AFTER_WINDOW, len(tokens)):
        if i in starts:
            if _inner(tokens, lex, i):
                i = starts[i].end
            elif tokens[i - 1].key == "and" and i > start and (joined := head(tokens, starts[i], lex)).thing:
                i = joined.end  # "900 troops and 40 vehicles were sent"
            else:
                return None
            continue
        for rule in lex.numeric_rules:
            if rule.where == "after" and rule.cues.match(tokens, i):
                return i - start, rule
        if lex.clause_breaks.match(tokens, i):
            return None
        i += 1
    return None


def _before(tokens: Sequence[Token], end: int, lex: Lexicon, floor: int) -> tuple[int, NumericRule] | None:
    i = end - 1
    while i >= max(floor, end - _BEFORE_WINDOW):
        for rule in lex.numeric_rules:
            if rule.where == "before" and (hit := rule.cues.match(tokens, i)) and i + hit[0] <= end:
                return end - i - hit[0], rule
        if tokens[i].key in (",", ";", ":") or lex.clause_breaks.match(tokens, i):
            return None
        i -= 1
    return None


def _in_head(tokens: Sequence[Token], figure: Figure, found: Head, lex: Lexicon) -> NumericRule | None:
    positions = range(figure.end, found.end) if found.back is None else range(found.back, figure.first)
    for i in positions:
        for rule in lex.numeric_rules:
            if rule.where == "head" and rule.cues.match(tokens, i):
                return rule
    return None


def _sentence_rule(tokens: Sequence[Token], lex: Lexicon) -> NumericRule | None:
    for rule in lex.numeric_rules:
        if rule.where == "sentence" and any(rule.cues.match(tokens, i) for i in range(len(tokens))):
            return rule
    return None


def _fits(rule: NumericRule, found: Head, lex: Lexicon) -> bool:
    if rule.predicate in lex.troop_predicates:
        return found.troop
    return True


def _unit(predicate: Predicate, found: Head) -> Unit:
    if predicate is Predicate.TROOPS_DEPLOYED:
        return Unit.TROOPS
    return Unit.CHILDREN if found.unit is Unit.CHILDREN else Unit.PEOPLE


def _partitive(tokens: Sequence[Token], figure: Figure) -> bool:
    return [t.key for t in tokens[figure.end : figure.end + 2]] in (["of", "them"], ["of", "whom"], ["of", "those"])


def _coordinated(tokens: Sequence[Token], previous: Figure, figure: Figure, lex: Lexicon) -> bool:
    """True when ``figure`` continues the list of ``previous`` ("..., and 700 in Shymkent"),
    is a part of it ("..., among them 19 officers"), or the figure it
    replaced ("... to 7,939, up from the 5,969 ...")."""
    if figure.first <= previous.end:
        return False
    if _partitive(tokens, figure):
        return True  # "164 killed, 103 of them in Almaty" (a part with its own cue has its own rule)
    if _inner(tokens, lex, figure.first):
        return True
    before = figure.first - 1 if tokens[figure.first - 1].key != "the" else figure.first - 2
    if lex.earlier_figure.ending_at(tokens, before + 1, previous.end):
        return True
    return tokens[figure.first - 1].key in ("and", ",", "while")


def classify(
    tokens: Sequence[Token], figures: Sequence[Figure], lex: Lexicon, inherited: NumericRule | None = None
) -> list[Reading]:
    """The figures of a sentence that are counts of a numeric predicate; ``inherited`` is the
    rule of the sentence before when this one goes on with it ("Of these, 20 were children")."""
    starts = {f.first: f for f in figures}
    context = _sentence_rule(tokens, lex) if figures else None
    readings: list[Reading] = []
    for index, figure in enumerate(figures):
        found = head(tokens, figure, lex)
        if found.unit is None and not found.words:
            found = _back_head(tokens, figure, lex) or _shared_head(tokens, figure, lex, starts) or found
        if found.thing or (found.words and found.unit is None):
            continue
        floor = figures[index - 1].end if index else 0
        rule = _in_head(tokens, figure, found, lex)
        if rule is not None and rule.predicate is Predicate.INJURED:
            later = _after(tokens, found.end, lex, starts)
            if later is not None and later[1].predicate is Predicate.KILLED:
                rule = later[1]  # "two wounded officers later died of their injuries"
        if rule is None and readings and _inner(tokens, lex, figure.first) and figure.first > readings[-1].figure.end:
            rule = readings[-1].rule  # "225 died, among them 19 officers": a part of the figure before
        if rule is None:
            candidates = [
                c
                for c in (_after(tokens, found.end, lex, starts), _before(tokens, figure.first, lex, floor))
                if c is not None and _fits(c[1], found, lex)
            ]
            rule = min(candidates, key=lambda c: c[0])[1] if candidates else None
        if rule is None and found.troop:
            rule = context
        if rule is None and readings and _coordinated(tokens, readings[-1].figure, figure, lex):
            rule = readings[-1].rule  # "detained 2,500 in Almaty and 700 in Shymkent"
        if rule is None and index == 0 and inherited is not None:
            rule = inherited  # a part of the figure before: "Of these, 20 were children"
        if rule is not None and rule.predicate in lex.counted_predicates:
            rule = rule if found.unit is not None or _partitive(tokens, figure) else None  # "one released"
        if rule is not None and _fits(rule, found, lex):
            readings.append(Reading(figure, rule, _unit(rule.predicate, found)))
    return readings
