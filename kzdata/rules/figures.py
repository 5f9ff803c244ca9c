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

from kzdata.rules.lexicon import Lexicon, NumericRule
from kzdata.rules.quantities import Figure
from kzdata.rules.text import Token
from kzdata.vocab import Predicate, Unit

_AFTER_WINDOW = 12
_BEFORE_WINDOW = 10


@dataclass(frozen=True, slots=True)
class Head:
    """The noun a figure counts: its unit, or ``thing`` when it counts objects."""

    unit: Unit | None
    end: int
    thing: bool = False
    words: bool = False


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
    words = False
    limit = i + lex.max_modifiers + 1
    while i < min(limit, len(tokens)):
        token = tokens[i]
        if not token.is_word or token.key in lex.stop_words:
            break
        if lex.thing_nouns.match(tokens, i):
            return Head(None, i + 1, thing=True, words=True)
        if person := lex.person_nouns.match(tokens, i):
            unit, i, words = person[1], i + person[0], True
            if lex.thing_nouns.match(tokens, i):  # "military equipment": a modifier, not the head
                return Head(None, i + 1, thing=True, words=True)
            if not figure.suffix:
                break
            continue
        if _is_cue_start(lex, tokens, i):
            break
        words = True
        i += 1
    return Head(unit, i, words=words)


def _inner(tokens: Sequence[Token], lex: Lexicon, start: int) -> bool:
    return bool(lex.inner_parts.ending_at(tokens, start, max(0, start - 3)))


def _after(
    tokens: Sequence[Token], start: int, lex: Lexicon, starts: dict[int, Figure]
) -> tuple[int, NumericRule] | None:
    i = start
    while i < min(start + _AFTER_WINDOW, len(tokens)):
        if i in starts:
            if not _inner(tokens, lex, i):
                return None
            i = starts[i].end
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
    for i in range(figure.end, found.end):
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
        return found.unit is Unit.TROOPS
    return True


def _unit(predicate: Predicate, found: Head) -> Unit:
    if predicate is Predicate.TROOPS_DEPLOYED:
        return Unit.TROOPS
    return Unit.CHILDREN if found.unit is Unit.CHILDREN else Unit.PEOPLE


def _coordinated(tokens: Sequence[Token], previous: Figure, figure: Figure) -> bool:
    """True when ``figure`` continues the list of ``previous`` ("..., and 700 in Shymkent")."""
    partitive = [t.key for t in tokens[figure.end : figure.end + 2]] in (
        ["of", "them"],
        ["of", "whom"],
        ["of", "those"],
    )
    return not partitive and figure.first > previous.end and tokens[figure.first - 1].key in ("and", ",", "while")


def classify(tokens: Sequence[Token], figures: Sequence[Figure], lex: Lexicon) -> list[Reading]:
    """The figures of a sentence that are counts of a numeric predicate."""
    starts = {f.first: f for f in figures}
    context = _sentence_rule(tokens, lex) if figures else None
    readings: list[Reading] = []
    for index, figure in enumerate(figures):
        found = head(tokens, figure, lex)
        if found.thing or (found.words and found.unit is None):
            continue
        floor = figures[index - 1].end if index else 0
        rule = _in_head(tokens, figure, found, lex)
        if rule is None:
            candidates = [
                c
                for c in (_after(tokens, found.end, lex, starts), _before(tokens, figure.first, lex, floor))
                if c is not None and _fits(c[1], found, lex)
            ]
            rule = min(candidates, key=lambda c: c[0])[1] if candidates else None
        if rule is None and found.unit is Unit.TROOPS:
            rule = context
        if rule is None and readings and _coordinated(tokens, readings[-1].figure, figure):
            rule = readings[-1].rule  # "detained 2,500 in Almaty and 700 in Shymkent"
        if rule is not None and _fits(rule, found, lex):
            readings.append(Reading(figure, rule, _unit(rule.predicate, found)))
    return readings
