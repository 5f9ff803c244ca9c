"""Loading the rule data files of kzdata/rules/data/ into lookup structures.

The YAML files are the rules; this module only turns them into :class:`PhraseMap` lookups
and typed records, once per process (:func:`lexicon` is cached).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from kzdata.errors import DataError
from kzdata.records.vocab import DatePrecision, Predicate, Qualifier, Unit
from kzdata.rules.text import PhraseMap, normalize, phrase_set


def load_data(name: str) -> dict[str, Any]:
    """Parse one rule data file shipped in kzdata/rules/data/."""
    resource = resources.files("kzdata.rules").joinpath("data").joinpath(name)
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataError(f"rule data file {name} cannot be read: {error}", "reinstall kzdata") from None
    if not isinstance(data, dict):
        raise DataError(f"rule data file {name} is not a mapping", "fix the file")
    check_strings(data, name)
    return data


def check_strings(node: Any, where: str) -> None:
    """Every list item must be a string: YAML reads a bare ``on`` or ``no`` as a boolean."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise DataError(f"{where}: key {key!r} is not a string", "quote it in the YAML file")
            check_strings(value, f"{where}/{key}")
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, bool) or item is None:
                raise DataError(f"{where}: item {item!r} is not a string", "quote it in the YAML file")
            check_strings(item, where)


@dataclass(frozen=True, slots=True)
class NumericRule:
    """A cue that makes a figure a count of ``predicate``; ``where`` the cue stands."""

    id: str
    predicate: Predicate
    where: str
    confidence: float
    cues: PhraseMap[str]


@dataclass(frozen=True, slots=True)
class StatementRule:
    """A cue for a non-numeric statement; ``subject`` says where its named subject stands."""

    id: str
    predicate: Predicate
    subject: str
    confidence: float
    cues: PhraseMap[str]
    requires: PhraseMap[str] | None
    labels: PhraseMap[str] | None


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """A date phrase relative to the publication date (or to the last date mentioned)."""

    days: int = 0
    weeks: int | None = None
    months: int | None = None
    precision: DatePrecision = DatePrecision.DAY
    from_context: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Everything the engine reads from the rule data files except the actor dictionary."""

    number_words: dict[str, int]
    multipliers: dict[str, int]
    qualifiers_before: PhraseMap[Qualifier]
    qualifiers_after: PhraseMap[Qualifier]
    vague: PhraseMap[int]
    reject_before: PhraseMap[str]
    reject_after: PhraseMap[str]
    count_suffixes: frozenset[str]
    year_range: tuple[int, int]
    max_digits: int
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: PhraseMap[RelativeDate]
    person_nouns: PhraseMap[Unit]
    troop_nouns: PhraseMap[str]
    thing_nouns: PhraseMap[str]
    max_modifiers: int
    stop_words: frozenset[str]
    clause_breaks: PhraseMap[str]
    inner_parts: PhraseMap[str]
    back_links: frozenset[str]
    earlier_figure: PhraseMap[str]
    numeric_rules: tuple[NumericRule, ...]
    troop_predicates: frozenset[Predicate]
    counted_predicates: frozenset[Predicate]
    statement_rules: tuple[StatementRule, ...]
    speech_verbs: frozenset[str]
    according_to: PhraseMap[str]
    citing: PhraseMap[str]
    quoting_verbs: PhraseMap[str]
    quoted_as: PhraseMap[str]
    passive_by: PhraseMap[str]
    estimate_verbs: PhraseMap[str]
    report_nouns: frozenset[str]
    platform_nouns: frozenset[str]
    skip_before_verb: PhraseMap[str]
    subject_breaks: frozenset[str]
    negations: frozenset[str]
    own_inference: PhraseMap[str]
    object_breaks: PhraseMap[str]
    office_words: PhraseMap[str]
    retraction: PhraseMap[str]
    continuations: PhraseMap[str]
    places: PhraseMap[str]
    nationwide: PhraseMap[str]
    abbreviations: frozenset[str]


def _numeric_rule(raw: dict[str, Any]) -> NumericRule:
    return NumericRule(
        id=raw["id"],
        predicate=Predicate(raw["predicate"]),
        where=raw["where"],
        confidence=float(raw["confidence"]),
        cues=phrase_set(raw["cues"]),
    )


def _statement_rule(raw: dict[str, Any]) -> StatementRule:
    return StatementRule(
        id=raw["id"],
        predicate=Predicate(raw["predicate"]),
        subject=raw["subject"],
        confidence=float(raw["confidence"]),
        cues=phrase_set(raw["cues"]),
        requires=phrase_set(raw["requires"]) if "requires" in raw else None,
        labels=phrase_set(raw["labels"]) if "labels" in raw else None,
    )


def _relative(raw: dict[str, Any]) -> RelativeDate:
    return RelativeDate(
        days=int(raw.get("days", 0)),
        weeks=raw.get("weeks"),
        months=raw.get("months"),
        precision=DatePrecision(raw.get("precision", "day")),
        from_context=raw.get("anchor") == "context",
    )


def _units(groups: dict[str, list[str]]) -> PhraseMap[Unit]:
    return PhraseMap((phrase, Unit(unit)) for unit, phrases in groups.items() for phrase in phrases)


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon of the shipped rule data files (loaded once)."""
    q = load_data("quantities.yaml")
    d = load_data("dates.yaml")
    p = load_data("predicates.yaml")
    a = load_data("attribution.yaml")
    places = load_data("places.yaml")
    low, high = q["year_range"]
    return Lexicon(
        number_words=dict(q["number_words"]),
        multipliers=dict(q["multipliers"]),
        qualifiers_before=PhraseMap((k, Qualifier(v)) for k, v in q["qualifiers_before"].items()),
        qualifiers_after=PhraseMap((k, Qualifier(v)) for k, v in q["qualifiers_after"].items()),
        vague=PhraseMap((k, int(v["low"])) for k, v in q["vague"].items()),
        reject_before=phrase_set(q["reject_before"]),
        reject_after=phrase_set(q["reject_after"]),
        count_suffixes=frozenset(q["count_suffixes"]),
        year_range=(int(low), int(high)),
        max_digits=int(q["max_digits"]),
        months=dict(d["months"]),
        weekdays=dict(d["weekdays"]),
        relative=PhraseMap((k, _relative(v)) for k, v in d["relative"].items()),
        person_nouns=_units(p["person_nouns"]),
        troop_nouns=phrase_set(p["person_nouns"]["troops"]),
        thing_nouns=phrase_set(p["thing_nouns"]),
        max_modifiers=int(p["max_modifiers"]),
        stop_words=frozenset(p["stop_words"]),
        clause_breaks=phrase_set(p["clause_breaks"]),
        inner_parts=phrase_set(p["inner_parts"]),
        back_links=frozenset(p["back_links"]),
        earlier_figure=phrase_set(p["earlier_figure"]),
        numeric_rules=tuple(_numeric_rule(r) for r in p["numeric_rules"]),
        troop_predicates=frozenset(Predicate(x) for x in p["troop_predicates"]),
        counted_predicates=frozenset(Predicate(x) for x in p["counted_predicates"]),
        statement_rules=tuple(_statement_rule(r) for r in p["statement_rules"]),
        speech_verbs=frozenset(a["speech_verbs"]),
        according_to=phrase_set(a["according_to"]),
        citing=phrase_set(a["citing"]),
        quoting_verbs=phrase_set(a["quoting_verbs"]),
        quoted_as=phrase_set(a["quoted_as"]),
        passive_by=phrase_set(a["passive_by"]),
        estimate_verbs=phrase_set(a["estimate_verbs"]),
        report_nouns=frozenset(a["report_nouns"]),
        platform_nouns=frozenset(a["platform_nouns"]),
        skip_before_verb=phrase_set(a["skip_before_verb"]),
        subject_breaks=frozenset(a["subject_breaks"]),
        negations=frozenset(a["negations"]),
        own_inference=phrase_set(a["own_inference"]),
        object_breaks=phrase_set(a["object_breaks"]),
        office_words=phrase_set(a["office_words"]),
        retraction=phrase_set(a["retraction"]),
        continuations=phrase_set(a["continuations"]),
        places=PhraseMap((alias, name) for name, aliases in places["places"].items() for alias in aliases),
        nationwide=phrase_set(places["nationwide"]),
        abbreviations=frozenset(normalize(a).rstrip(".") for a in load_data("text.yaml")["abbreviations"]),
    )
