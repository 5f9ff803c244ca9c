"""Non-numeric statements: arrests, releases, resignations, appointments, orders, internet
shutdowns and characterizations (statement_rules in predicates.yaml).

A rule fires on a cue. Its subject (the named actor the statement is about) is searched
after the cue ("the arrest of Karim Massimov"), before it ("Massimov, who was fired"), or
is the claimant (characterizations); the label of a characterization is the longest
label phrase of the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzdata.records.vocab import ActorType, Predicate
from kzdata.rules.actors import ActorDictionary, Context, Mention
from kzdata.rules.attribution import head
from kzdata.rules.lexicon import Lexicon, StatementRule
from kzdata.rules.text import Token

_WINDOW = 14
_PRONOUNS = frozenset({"he", "she", "his", "her"})
_RELATIVES = frozenset({"who", "which", "that", ","})
_BEFORE_BREAKS = frozenset({",", ";", ":", "(", ")", ".", "that", "who", "which", "but", "while"})
_AFTER_BREAKS = frozenset({";", ".", "(", "on", "but", "while", "after", "because"})
_OBJECT_PRONOUNS = frozenset({"him", "her"})
_RELATIVE_PRONOUNS = frozenset({"who", "whom"})
_AFTER_OBJECT = frozenset({"as", "from", "on", "in", ",", ".", ";", "and", "after", "over", "for", "at", "with"})
_APPOSITIVE_OPENERS = frozenset({"a", "an", "the", "one", "his", "her", "its", "their"})
_COLLECTIVES = frozenset({"government", "cabinet"})
_APPOSITIVE_REACH = 30
_RECENT_REACH = 30
_PERSON_SUBJECTS = {
    Predicate.ARREST: {ActorType.PERSON},
    Predicate.RELEASE: {ActorType.PERSON, ActorType.GROUP},
    Predicate.APPOINTMENT: {ActorType.PERSON},
    Predicate.RESIGNATION: {ActorType.PERSON, ActorType.GOVERNMENT_BODY},
    Predicate.ORDER_GIVEN: {ActorType.PERSON, ActorType.GOVERNMENT_BODY, ActorType.STATE},
}


SPEAKER = Mention(0, 0, None, "", "speaker")
"""Placeholder subject: the statement is about its claimant ("Tokayev said he ordered ...")."""


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement found at token ``cue``: its rule, subject and label."""

    rule: StatementRule
    cue: int
    subject: Mention | None
    label: str | None


class StatementFinder:
    """Applies the statement rules to one sentence at a time."""

    def __init__(self, lex: Lexicon, actors: ActorDictionary) -> None:
        self.lex = lex
        self.actors = actors
        self.governments = {
            entry.country: entry
            for entry in actors.entries.values()
            if entry.actor_type is ActorType.GOVERNMENT_BODY
            and entry.country
            and entry.name.startswith("Government of")
        }

    def _ok(self, rule: StatementRule, mention: Mention | None) -> bool:
        allowed = _PERSON_SUBJECTS.get(rule.predicate)
        return mention is not None and mention.name is not None and (allowed is None or mention.actor_type in allowed)

    def _after(self, tokens: Sequence[Token], start: int, text: str, ctx: Context) -> list[Mention]:
        end = start
        while end < min(len(tokens), start + _WINDOW) and tokens[end].key not in _AFTER_BREAKS:
            end += 1
        return self._find(tokens, start, end, text, ctx)

    def _before(self, tokens: Sequence[Token], end: int, text: str, ctx: Context) -> list[Mention]:
        end = _before_aside(tokens, end)
        closing = end
        while end > 0 and tokens[end - 1].key in _RELATIVES:
            end -= 1
        opening = _appositive(tokens, closing - 1) if closing > 0 and tokens[closing - 1].key == "," else None
        if opening is not None:
            # "X, a former head of Y and an ally of Z, was arrested": X, not a name inside
            end = _before_brackets(tokens, opening)
        start = end
        while start > max(0, end - _WINDOW) and tokens[start - 1].key not in _BEFORE_BREAKS:
            start -= 1
        found = self._find(tokens, start, end, text, ctx)
        if opening is not None:
            found = [m for m in found if m.end == end]
        return found

    def _find(self, tokens: Sequence[Token], start: int, end: int, text: str, ctx: Context) -> list[Mention]:
        found = self.actors.find(tokens, start, end, text, ctx)
        return [m for m in found if m.kind not in ("skip", "anonymous")]

    def _subject(
        self, rule: StatementRule, tokens: Sequence[Token], cue: tuple[int, int], text: str, ctx: Context
    ) -> Mention | None:
        start, end = cue
        if rule.subject == "after":
            return self._object(rule, tokens, end, text, ctx)
        if rule.subject == "pronoun":
            return self._antecedent(rule, tokens, start, text, ctx)
        if rule.subject == "before":
            mentions = [m for m in self._before(tokens, start, text, ctx) if self._ok(rule, m)]
            if tokens[start].key in _RELATIVE_PRONOUNS:
                # "Massimov, whom he replaced": the relative pronoun's antecedent, right before it
                mentions = [m for m in mentions if m.end >= start - 1]
            if rule.predicate is Predicate.ARREST:
                mentions = [m for m in mentions if m.start == 0 or tokens[m.start - 1].key not in ("of", "for")]
            found = mentions[-1] if mentions and mentions[-1].possessive else head(mentions)
            if found is not None and found.possessive and self._owned_thing(tokens, found.end):
                return None  # "the ministry's report was removed": a thing, not the actor
            if found is None and self._pronoun(tokens, start, end):
                found = self._antecedent(rule, tokens, start, text, ctx)
            if found is None and rule.predicate is Predicate.ORDER_GIVEN:
                return next((m for m in self._after(tokens, end, text, ctx) if self._ok(rule, m)), None)
            return found
        return None

    def _object(
        self, rule: StatementRule, tokens: Sequence[Token], end: int, text: str, ctx: Context
    ) -> Mention | None:
        """The named object after the cue; 'him' refers back; 'X's government' is the government."""
        if end < len(tokens) and tokens[end].key in _OBJECT_PRONOUNS:
            following = tokens[end + 1].key if end + 1 < len(tokens) else "."
            if tokens[end].key == "him" or following in _AFTER_OBJECT:
                return self._referent(rule, tokens, text, ctx)
        if end < len(tokens) and tokens[end].key == "from":
            return None  # "a figure that was later removed from the government's channel"
        mentions = [m for m in self._after(tokens, end, text, ctx) if self._ok(rule, m)]
        if not mentions:
            return None
        first = mentions[0]
        government = self.governments.get(first.country or "")
        owned = first.end < len(tokens) and tokens[first.end].key in _COLLECTIVES
        if first.possessive and first.actor_type is ActorType.PERSON and government is not None and owned:
            candidate = Mention(first.start, first.end + 1, government.name, "", "collective", government.actor_type)
            return candidate if self._ok(rule, candidate) else None
        return first

    def _referent(self, rule: StatementRule, tokens: Sequence[Token], text: str, ctx: Context) -> Mention | None:
        """Whom an object pronoun ("removed him") refers to: the last person named before this
        sentence who is not named in it (the sentence's subject is never its own object)."""
        here = {m.name for m in self._find(tokens, 0, len(tokens), text, ctx) if m.name}
        for name in reversed(ctx.recent[-_RECENT_REACH:]):
            if name in here:
                continue
            entry = self.actors.entries.get(name)
            if (entry is not None and entry.actor_type is ActorType.PERSON) or name in ctx.seen.values():
                found = Mention(0, 0, name, "", "pronoun", ActorType.PERSON, entry.country if entry else None)
                return found if self._ok(rule, found) else None
        return None

    def _owned_thing(self, tokens: Sequence[Token], index: int) -> bool:
        """True when a report or a thing follows a possessive ("the ministry's post")."""
        return index < len(tokens) and (
            tokens[index].key in self.lex.report_nouns or self.lex.thing_nouns.match(tokens, index) is not None
        )

    def _pronoun(self, tokens: Sequence[Token], cue: int, end: int) -> bool:
        """True when 'he', 'his', 'she' or 'her' stands in the clause of the cue, up to its end."""
        start = cue
        while start > max(0, cue - _WINDOW) and tokens[start - 1].key not in _BEFORE_BREAKS - {"that"}:
            start -= 1
        return any(tokens[k].key in _PRONOUNS for k in range(start, end))

    def _antecedent(
        self, rule: StatementRule, tokens: Sequence[Token], cue: int, text: str, ctx: Context
    ) -> Mention | None:
        """The person a pronoun before the cue refers to: the last one named earlier in the sentence."""
        found = self._find(tokens, max(0, cue - 3 * _WINDOW), cue, text, ctx)
        people = [
            m
            for m in found
            if m.actor_type is ActorType.PERSON and self._ok(rule, m) and not _whom_follows(tokens, m.end, cue)
        ]
        return people[-1] if people else None

    def _label(self, rule: StatementRule, tokens: Sequence[Token], text: str) -> str | None:
        if rule.labels is None:
            return None
        best: tuple[int, int] | None = None
        for start, end, _ in rule.labels.find(tokens):
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
        return text[tokens[best[0]].start : tokens[best[1] - 1].end] if best else None

    def find(self, tokens: Sequence[Token], text: str, ctx: Context) -> list[Statement]:
        """The statements of one sentence, at most one per predicate."""
        found: dict[Predicate, Statement] = {}
        for rule in self.lex.statement_rules:
            if rule.predicate in found or (rule.requires is not None and not any(rule.requires.find(tokens))):
                continue
            label = self._label(rule, tokens, text)
            if rule.labels is not None and label is None:
                continue
            for cue, end, _ in rule.cues.find(tokens):
                subject = self._subject(rule, tokens, (cue, end), text, ctx)
                if subject is None and rule.predicate is Predicate.ORDER_GIVEN and self._pronoun(tokens, cue, end):
                    subject = SPEAKER
                if rule.subject in ("after", "before", "pronoun") and subject is None:
                    continue
                if rule.predicate is Predicate.INTERNET_SHUTDOWN or rule.predicate is Predicate.ORDER_GIVEN:
                    label = text[tokens[cue].start : tokens[end - 1].end]
                found[rule.predicate] = Statement(rule, cue, subject, label)
                break
        return list(found.values())


def _appositive(tokens: Sequence[Token], comma: int) -> int | None:
    """The comma opening an appositive that the comma at ``comma`` closes ("X, a former head
    of Y (Z), ..."), skipping brackets; None when the clause before is no appositive."""
    depth = 0
    k = comma - 1
    while k > max(0, comma - _APPOSITIVE_REACH):
        key = tokens[k].key
        if key == ")":
            depth += 1
        elif key == "(":
            depth = max(0, depth - 1)
        elif depth == 0 and key in (";", ".", ":"):
            return None
        elif depth == 0 and key == ",":
            return k if k + 1 < comma and tokens[k + 1].key in _APPOSITIVE_OPENERS else None
        k -= 1
    return None


def _before_aside(tokens: Sequence[Token], end: int) -> int:
    """``end`` moved before an aside that ends with a comma there: an age ("X, 56, was
    held") or a relative clause ("X, who resigned on Monday, has been detained")."""
    if end < 2 or tokens[end - 1].key != ",":
        return end
    if tokens[end - 2].key[:1].isdigit() and end >= 3 and tokens[end - 3].key == ",":
        return end - 3
    for k in range(end - 2, max(0, end - _APPOSITIVE_REACH), -1):
        key = tokens[k].key
        if key in (",", ";", ".", ":", "(", ")"):
            return k if key == "," and tokens[k + 1].key in ("who", "which") else end
    return end


def _before_brackets(tokens: Sequence[Token], end: int) -> int:
    """``end`` moved before a bracketed aside that ends there ("Masimov (also Massimov)")."""
    if end == 0 or tokens[end - 1].key != ")":
        return end
    depth = 0
    for k in range(end - 1, max(-1, end - 1 - _APPOSITIVE_REACH), -1):
        depth += {")": 1, "(": -1}.get(tokens[k].key, 0)
        if depth == 0:
            return k
    return end


def _whom_follows(tokens: Sequence[Token], end: int, limit: int) -> bool:
    """True when 'whom' follows the mention ending at ``end`` ("Massimov, whom he replaced"):
    a pronoun in that relative clause cannot refer to it."""
    k = end + 1 if end < len(tokens) and tokens[end].key == "," else end
    return k <= limit and k < len(tokens) and tokens[k].key == "whom"
