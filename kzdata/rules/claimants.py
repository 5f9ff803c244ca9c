"""Whose statement a figure is: the claimant and relays chosen from a sentence's attributions.

:mod:`kzdata.rules.attribution` finds every attribution of a sentence (speech verbs,
"according to", "citing", "quoted X as saying", report nouns, headline speakers);
:func:`resolve` picks the one that governs the statement at a token: "quoted ... as saying"
and "citing" name the original source (the speaker becomes a relay), then the nearest
governing speech verb, then "according to"; nothing: the outlet's own statement, under
``attr.unresolved`` when a speaker was meant but could not be resolved ("She said ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kzdata.records.vocab import ActorType
from kzdata.rules.actors import Mention
from kzdata.rules.attribution import Speech
from kzdata.rules.explain import describe

_NEAR_PASSIVE = 5
"""A passive attribution ("posted by X") this close after a figure governs it, in tokens."""
_SPEECH_RULES = frozenset(
    {"attr.said", "attr.said_inverted", "attr.passive_by", "attr.colon", "attr.estimate", "attr.report", "attr.tail"}
)


@dataclass(frozen=True)
class Attribution:
    """The claimant of a statement, its relays, the rule that found them and the verb."""

    claimant: Mention | None
    relays: tuple[Mention, ...] = ()
    rule: str = "attr.outlet"
    verb: int | None = None
    sources: tuple[Speech, ...] = field(default=())

    @property
    def unresolved(self) -> bool:
        """True for an outlet claim under a speech verb whose speaker is unknown ("He said")."""
        return self.claimant is None and self.rule == "attr.unresolved"

    def chain(self) -> tuple[str, ...]:
        """How the claimant was resolved, step by step (see :mod:`kzdata.rules.explain`)."""
        steps = [f"rule {self.rule}"]
        steps.extend(describe(m, "relay") for m in self.relays)
        if self.claimant is not None and self.claimant.kind in ("pronoun", "carried"):
            steps.append(f'"{self.claimant.surface}" refers back to an earlier speaker')
        if self.unresolved:
            steps.append("a speech verb governs it, but its speaker could not be resolved")
        steps.append(describe(self.claimant, "source" if self.relays else "speaker"))
        return tuple(steps)


def _named(source: Speech) -> bool:
    return source.who is not None and source.who.name is not None


def resolve(sources: Sequence[Speech], position: int) -> Attribution:
    """The claimant of the statement at token ``position`` from a sentence's attributions."""
    speech = [s for s in sources if s.rule in _SPEECH_RULES and s.who]
    according = [s for s in sources if s.rule == "attr.according_to" and s.who]
    citing = [s for s in sources if s.rule == "attr.citing" and _named(s)]
    quoted = [s for s in sources if s.rule == "attr.quoted_as" and s.verb < position]
    if quoted:
        last = quoted[-1]
        return Attribution(last.who, _unique(last.relays, last.who), last.rule, last.verb, tuple(sources))
    verb = _governing(speech, position)
    inference = [s for s in sources if s.rule == "attr.own_inference" and s.verb < position]
    if inference and (verb is None or verb.verb < inference[-1].verb):
        return Attribution(None, (), "attr.own_inference", None, tuple(sources))
    relays: list[Mention] = []
    for s in according:
        relays.extend(m for m in (s.who, *s.relays) if m is not None and m.name)
    if citing:
        cited = citing[0]
        if verb is not None and verb.who is not None and verb.who.name:
            relays.insert(0, verb.who)
        return Attribution(cited.who, _unique(relays, cited.who), "attr.citing", cited.verb, tuple(sources))
    if verb is not None and verb.who is not None and verb.who.name:
        inverted = [s.who for s in speech if s is not verb and s.who and s.who.actor_type is ActorType.MEDIA]
        relays.extend(m for m in inverted if m is not None)
        return Attribution(verb.who, _unique(relays, verb.who), verb.rule, verb.verb, tuple(sources))
    if according:
        first = according[0]
        if first.who is not None and first.who.name:
            return Attribution(first.who, _unique(relays, first.who), "attr.according_to", first.verb, tuple(sources))
    return _nobody(sources, position, verb)


def _nobody(sources: Sequence[Speech], position: int, verb: Speech | None) -> Attribution:
    """The outlet's own statement; rule attr.unresolved when a speaker we could not resolve
    governs the position ("She said ..." with no one before)."""
    silent = [s for s in sources if s.rule in ("attr.said", "attr.unresolved") and s.who is None]
    if (unknown := _governing(silent, position)) is not None and unknown.rule == "attr.unresolved":
        return Attribution(None, (), "attr.unresolved", None, tuple(sources))
    return Attribution(None, (), "attr.outlet", verb.verb if verb else None, tuple(sources))


def _governing(speech: Sequence[Speech], position: int) -> Speech | None:
    near = [s for s in speech if s.rule == "attr.passive_by" and 0 < s.verb - position <= _NEAR_PASSIVE]
    if near:
        return near[0]  # "a tally of 40 dead, posted by X": the nearer attribution wins
    before = [s for s in speech if s.verb <= position and (s.until is None or position <= s.until)]
    if before:
        return before[-1]
    later = [s for s in speech if s.verb > position and s.since <= position]
    return later[0] if later else None


def _unique(relays: Sequence[Mention], claimant: Mention | None) -> tuple[Mention, ...]:
    seen = {claimant.name} if claimant else set()
    out = []
    for mention in relays:
        if mention.name and mention.name not in seen:
            seen.add(mention.name)
            out.append(mention)
    return tuple(out)
