"""The actor dictionary (actors.yaml) and how actor names are found in a phrase.

Dictionary aliases match exactly (case-insensitive, accents folded). People's names match
fuzzily, on a phonetic key (``zh`` = ``j``, ``q`` = ``k``, ``y`` = ``i``, doubled letters
single; Cyrillic transliterated), with guards so that two people never merge:

- the surname must score at least ``SURNAME_SCORE`` against one of the actor's surnames,
  and a surname shorter than ``MIN_FUZZY`` letters must match exactly;
- every given-name part written in the mention must match one of the actor's given names
  (``GIVEN_SCORE``) or be its initial — "Dariga Nazarbayeva" is not Nursultan Nazarbayev;
- when two actors match equally well, nobody is chosen.

A capitalised name of two or more words that matches nobody becomes a new actor (an
organisation when it contains an organisation word such as "Ministry", else a person).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from kzdata.records import ids
from kzdata.records.models import ActorRole
from kzdata.records.vocab import ActorType
from kzdata.rules.lexicon import lexicon, load_data
from kzdata.rules.text import PhraseMap, Token, normalize, phrase_set, tokenize

SURNAME_SCORE = 85.0
GIVEN_SCORE = 80.0
MIN_FUZZY = 5
NAME_SCORE = 84.0
MIN_FUZZY_NAME = 7
_PHONETIC = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ck", "k"), ("q", "k"), ("y", "i"), ("w", "v"))
_DOUBLE = re.compile(r"(.)\1+")
_TITLE_REACH = 5
_STATE_REACH = 40
_BODIES = frozenset({ActorType.GOVERNMENT_BODY, ActorType.ORGANIZATION})
_FORMER = frozenset({"former", "then", "ousted", "sacked", "dismissed"})


def phonetic(name: str) -> str:
    """A spelling-tolerant key of a name part: 'Kassym' -> 'kasim', 'Токаев' -> 'tokaev'."""
    key = ids.slugify(name).replace("-", "")
    for old, new in _PHONETIC:
        key = key.replace(old, new)
    return _DOUBLE.sub(r"\1", key)


@dataclass(frozen=True)
class ActorEntry:
    """One actor of the dictionary."""

    name: str
    actor_type: ActorType
    country: str | None = None
    wikidata: str | None = None
    given: frozenset[str] = frozenset()
    surnames: tuple[str, ...] = ()
    roles: tuple[ActorRole, ...] = ()
    office: str | None = None

    @property
    def id(self) -> str:
        return ids.actor_id(self.name)


def _holds(role: ActorRole, day: date | None) -> bool:
    if day is None:
        return role.end is None
    return (role.start is None or role.start <= day) and (role.end is None or day <= role.end)


@dataclass
class Context:
    """What extraction knows across the sentences of one article."""

    on: date | None
    seen: dict[str, str] = field(default_factory=dict)
    recent: list[str] = field(default_factory=list)
    titled: dict[str, str] = field(default_factory=dict)
    """Title word -> the last person named with it ("Interior Minister X" -> minister: X)."""
    sentence: int = 0
    """Index of the sentence being read."""
    speakers: list[tuple[int, Mention]] = field(default_factory=list)
    """(sentence index, actor) of the speakers and sentence subjects named so far, in order:
    what "he said" or "it added" in a later sentence refers back to."""

    def speaker(self, person: bool, reach: int) -> Mention | None:
        """The last speaker of the kind a pronoun asks for (a person for he/she, a body for
        it/they), named at most ``reach`` sentences back; None when there is none."""
        for index, mention in reversed(self.speakers):
            if self.sentence - index > reach:
                return None
            if (mention.actor_type is ActorType.PERSON) == person and mention.actor_type is not ActorType.OTHER:
                return mention
        return None


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named at tokens [start, end): ``name`` None for an anonymous source."""

    start: int
    end: int
    name: str | None
    surface: str
    kind: str
    actor_type: ActorType = ActorType.OTHER
    country: str | None = None
    possessive: bool = False


def _role(raw: dict[str, Any]) -> ActorRole:
    organization = raw.get("organization")
    return ActorRole(
        title=raw["title"],
        organization_id=ids.actor_id(organization) if organization else None,
        start=raw.get("start"),
        end=raw.get("end"),
    )


def _parts(names: Iterable[str]) -> frozenset[str]:
    return frozenset(phonetic(part) for name in names for part in re.split(r"[-\s]+", name) if phonetic(part))


def _entry(raw: dict[str, Any]) -> ActorEntry:
    return ActorEntry(
        name=raw["name"],
        actor_type=ActorType(raw["type"]),
        country=raw.get("country"),
        wikidata=raw.get("wikidata"),
        given=_parts(raw.get("given", [])),
        surnames=tuple(sorted({phonetic(s) for s in raw.get("surname", [])})),
        roles=tuple(_role(r) for r in raw.get("roles", [])),
        office=raw.get("office"),
    )


def _score(a: str, b: str) -> float:
    if min(len(a), len(b)) < MIN_FUZZY:
        return 100.0 if a == b else 0.0
    return float(fuzz.ratio(a, b))


class ActorDictionary:
    """Lookup of actors by alias, role phrase, generic phrase and fuzzy personal name."""

    def __init__(self, data: dict[str, Any]) -> None:
        raws = data["actors"]
        self.entries = {raw["name"]: _entry(raw) for raw in raws}
        self.aliases: PhraseMap[str] = PhraseMap(
            (alias, raw["name"]) for raw in raws for alias in [raw["name"], *raw.get("aliases", [])]
        )
        self.generic: PhraseMap[str] = PhraseMap((g, raw["name"]) for raw in raws for g in raw.get("generic", []))
        roles: dict[str, list[tuple[str, ActorRole | None]]] = {}
        for raw in raws:
            for phrase in raw.get("mentions", []):
                roles.setdefault(phrase, []).append((raw["name"], None))
            for role in raw.get("roles", []):
                for phrase in role.get("mentions", []):
                    roles.setdefault(phrase, []).append((raw["name"], _role(role)))
        self.roles: PhraseMap[tuple[tuple[str, ActorRole | None], ...]] = PhraseMap(
            (k, tuple(v)) for k, v in roles.items()
        )
        self.anonymous = phrase_set(data.get("anonymous", []))
        self.anaphora: PhraseMap[str] = PhraseMap((k, v) for k, v in data.get("anaphora", {}).items())
        self.foreign = frozenset(normalize(x) for x in data.get("foreign_modifiers", []))
        self.title_anaphora: dict[str, str | None] = {
            normalize(k): v for k, v in data.get("title_anaphora", {}).items()
        }
        self.country_anaphora = phrase_set(data.get("country_anaphora", []))
        self.voices = phrase_set(data.get("voices", []))
        self.bodies = phrase_set(data.get("bodies", []))
        self.media_intros = phrase_set(data.get("media_intros", []))
        self.org_cues = frozenset(normalize(x) for x in data.get("organization_cues", []))
        lex = lexicon()
        self.legal_forms = frozenset(normalize(x) for x in data.get("legal_forms", []))
        self.not_names = frozenset(normalize(x) for x in data.get("name_titles", [])) | lex.stop_words
        self.not_names |= self.legal_forms
        self.not_names |= frozenset(lex.months) | frozenset(lex.weekdays) | lex.speech_verbs
        self.places = lex.places
        self.people = [e for e in self.entries.values() if e.surnames]
        self.single_names = {
            phonetic(alias): raw["name"]
            for raw in raws
            if raw["type"] != "person"
            for alias in [raw["name"], *raw.get("aliases", [])]
            if len(tokenize(alias)) == 1 and len(phonetic(alias)) >= MIN_FUZZY_NAME
        }

    def person(self, parts: Sequence[str]) -> ActorEntry | None:
        """The dictionary person named by name ``parts`` (given names then surname), if exactly one."""
        keys = [phonetic(p) for part in parts for p in part.split("-") if phonetic(p)]
        if not keys:
            return None
        surname, given = keys[-1], keys[:-1]
        scored = []
        for entry in self.people:
            score = max(_score(surname, s) for s in entry.surnames)
            if score >= SURNAME_SCORE and all(self._given_ok(g, entry) for g in given):
                scored.append((score, entry))
        scored.sort(key=lambda item: -item[0])
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return None
        return scored[0][1]

    @staticmethod
    def _given_ok(part: str, entry: ActorEntry) -> bool:
        if len(part) == 1:
            return any(g.startswith(part) for g in entry.given)
        return any(_score(part, g) >= GIVEN_SCORE for g in entry.given)

    def spelled_like(self, word: str) -> ActorEntry | None:
        """The state, body or outlet a one-word name misspells ("Kazanistan"), if exactly one.

        Only words of ``MIN_FUZZY_NAME`` letters or more are tried, and never a word that
        extends or shortens the name ("Russian", "Kazakhs" are not misspellings).
        """
        key = phonetic(word)
        if len(key) < MIN_FUZZY_NAME:
            return None
        best: dict[str, float] = {}
        for alias, name in self.single_names.items():
            if not (key.startswith(alias) or alias.startswith(key)):
                best[name] = max(best.get(name, 0.0), float(fuzz.ratio(key, alias)))
        scored = sorted(((score, name) for name, score in best.items()), reverse=True)
        if not scored or scored[0][0] < NAME_SCORE or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return self.entries[scored[0][1]]

    def by_role(self, holders: tuple[tuple[str, ActorRole | None], ...], day: date | None) -> ActorEntry | None:
        """The actor a role phrase names on ``day``: the one whose role window contains it."""
        names = {name for name, role in holders if role is None or _holds(role, day)}
        return self.entries[names.pop()] if len(names) == 1 else None

    def find(
        self,
        tokens: Sequence[Token],
        start: int,
        end: int,
        text: str,
        ctx: Context,
        *,
        generic: bool = True,
    ) -> list[Mention]:
        """Every actor mention in ``tokens[start:end]``, left to right.

        ``ctx`` remembers the article so far: the surnames of new people ("Yerlan Karin ...
        Karin said" names one actor) and the actors named, which "the ministry" refers back to.
        """
        found: list[Mention] = []
        i = start
        while i < end:
            mention = self._at(tokens, i, end, text, ctx, generic=generic)
            if mention is None:
                i += 1
                continue
            found.append(mention)
            if mention.name is not None and mention.kind != "anaphor":
                ctx.recent.append(mention.name)
                if mention.actor_type is ActorType.PERSON:
                    self._note_title(tokens, mention, ctx)
            i = mention.end
        return found

    def _note_title(self, tokens: Sequence[Token], mention: Mention, ctx: Context) -> None:
        """Remember the title words right before a person's name ("Interior Minister X")."""
        k = mention.start
        while k > max(0, mention.start - _TITLE_REACH) and tokens[k - 1].is_word:
            k -= 1
            word = tokens[k].key
            if word in self.title_anaphora and mention.name is not None:
                ctx.titled.pop(word, None)
                ctx.titled[word] = mention.name

    def _titled(self, tokens: Sequence[Token], i: int, ctx: Context) -> Mention | None:
        """'the Minister said': the last person named with that title, else the body it heads."""
        at = _title_word(tokens, i)
        if at is None or tokens[at].key not in self.title_anaphora:
            return None
        after = tokens[at + 1] if at + 1 < len(tokens) else None
        if after is not None and (after.key == "of" or (after.is_word and after.capitalized)):
            return None  # "the Minister of Health", "the spokesman Jane Doe": a name follows
        word = tokens[at].key
        name = ctx.titled.get(word)
        if name is not None:
            entry = self.entries.get(name)
            return Mention(i, at + 1, name, "", "anaphor", ActorType.PERSON, entry.country if entry else None)
        if at != i + 1:
            return None
        body = self.title_anaphora[word]
        for earlier in reversed(ctx.recent[-50:]) if body else ():
            if body is not None and body in earlier.split():
                entry = self.entries.get(earlier)
                kind = entry.actor_type if entry else ActorType.ORGANIZATION
                return Mention(i, i + 2, earlier, "", "anaphor", kind, entry.country if entry else None)
        return None

    def _of_country(self, tokens: Sequence[Token], i: int, end: int, text: str, ctx: Context) -> Mention | None:
        """'the republic's Defense Ministry': the body of the country named last (in the
        sentence, else before); the dictionary's body when it belongs there, else a new actor."""
        hit = self.country_anaphora.match(tokens, i)
        if hit is None or i + hit[0] >= end:
            return None
        body = self._listed(tokens, i + hit[0], end, text, ctx.on) or self._name(
            tokens, i + hit[0], end, text, ctx.seen
        )
        if body is None or body.name is None or body.actor_type not in _BODIES:
            return None
        state = self._state_before(tokens, i, ctx)
        if state is None or state.country == body.country:
            return body if state is not None else None
        words = self._surface(tokens, i + hit[0], body.end, text).split()
        if words and words[-1].casefold().startswith("ministr") and len(words) > 1:
            words = ["Ministry", "of", *words[:-1]]
        name = f"{' '.join(words)} of {state.name}"
        return Mention(i, body.end, name, name, "new", ActorType.GOVERNMENT_BODY, state.country)

    def _state_before(self, tokens: Sequence[Token], i: int, ctx: Context) -> ActorEntry | None:
        for k in range(i - 1, max(-1, i - _STATE_REACH), -1):
            hit = self.aliases.match(tokens, k)
            if hit is not None and k + hit[0] <= i and self.entries[hit[1]].actor_type is ActorType.STATE:
                return self.entries[hit[1]]
        for name in reversed(ctx.recent[-50:]):
            entry = self.entries.get(name)
            if entry is not None and entry.actor_type is ActorType.STATE:
                return entry
        return None

    def _anaphor(self, tokens: Sequence[Token], i: int, text: str, ctx: Context) -> Mention | None:
        """'the ministry': the last actor named in the article whose name has 'Ministry'."""
        hit = self.anaphora.match(tokens, i)
        if hit is None:
            return None
        length, word = hit
        if self.aliases.match(tokens, i + 1) or (i + length < len(tokens) and tokens[i + length].key == "of"):
            return None  # "the Ministry of Health" is a name, not a reference back
        for name in reversed(ctx.recent[-50:]):
            if word in name.split():
                entry = self.entries.get(name)
                kind = entry.actor_type if entry else ActorType.ORGANIZATION
                surface = self._surface(tokens, i, i + length, text)
                return Mention(i, i + length, name, surface, "anaphor", kind, entry.country if entry else None)
        return None

    def _surface(self, tokens: Sequence[Token], i: int, j: int, text: str) -> str:
        return text[tokens[i].start : tokens[j - 1].end]

    def _at(
        self,
        tokens: Sequence[Token],
        i: int,
        end: int,
        text: str,
        ctx: Context,
        *,
        generic: bool,
    ) -> Mention | None:
        """The mention starting at token ``i``: listed, a reference back, generic, or a name."""
        found = self._media(tokens, i, end, text) or self._of_country(tokens, i, end, text, ctx)
        found = found or self._titled(tokens, i, ctx)
        found = found or self._listed(tokens, i, end, text, ctx.on) or self._anaphor(tokens, i, text, ctx)
        if found is None and generic and (hit := self.generic.match(tokens, i)) and i + hit[0] <= end:
            found = self._mention(self.entries[hit[1]], tokens, (i, i + hit[0]), text, "generic")
        if found is None and tokens[i].is_word and tokens[i].capitalized:
            found = self._name(tokens, i, end, text, ctx.seen)
        return found

    def _media(self, tokens: Sequence[Token], i: int, end: int, text: str) -> Mention | None:
        """'state broadcaster Qazaqstan', 'news agency Kazinform': the outlet the intro names."""
        hit = self.media_intros.match(tokens, i)
        if hit is None:
            return None
        first = j = i + hit[0]
        while j < end and j - first < 4 and (tokens[j].capitalized or (j > first and tokens[j].key.isdigit())):
            j += 1
            if tokens[j - 1].possessive:
                break
        if j == first or tokens[first].key in self.not_names:
            return None
        alias = self.aliases.match(tokens, first)
        entry = self.entries[alias[1]] if alias is not None and first + alias[0] == j else None
        if entry is not None and entry.actor_type is ActorType.MEDIA:
            return self._mention(entry, tokens, (i, j), text, "media")
        surface = self._surface(tokens, first, j, text)
        possessive = tokens[j - 1].possessive
        surface = surface[:-2] if possessive and surface[-2:] in ("'s", "’s") else surface
        return Mention(i, j, surface, surface, "media", ActorType.MEDIA, None, possessive)

    def _listed(self, tokens: Sequence[Token], i: int, end: int, text: str, on: date | None) -> Mention | None:
        """An anonymous source, a dictionary alias or a role phrase starting at token ``i``."""
        if hit := self.anonymous.match(tokens, i):
            return Mention(i, i + hit[0], None, self._surface(tokens, i, i + hit[0], text), "anonymous")
        if (hit := self.aliases.match(tokens, i)) and i + hit[0] <= end:
            return self._alias(tokens, i, i + hit[0], hit[1], text)
        role = self.roles.match(tokens, i)
        entry = self.by_role(role[1], on) if role and i + role[0] <= end else None
        return self._mention(entry, tokens, (i, i + role[0]), text, "role") if entry and role else None

    def _mention(
        self, entry: ActorEntry, tokens: Sequence[Token], span: tuple[int, int], text: str, kind: str
    ) -> Mention:
        i, j = span
        surface = self._surface(tokens, i, j, text)
        if tokens[j - 1].possessive:
            surface = surface[:-2] if surface[-2:] in ("'s", "’s") else surface
        return Mention(i, j, entry.name, surface, kind, entry.actor_type, entry.country, tokens[j - 1].possessive)

    def _alias(self, tokens: Sequence[Token], i: int, j: int, name: str, text: str) -> Mention:
        entry = self.entries[name]
        if entry.actor_type is ActorType.GOVERNMENT_BODY and i > 0 and tokens[i - 1].key in self.foreign:
            surface = self._surface(tokens, i - 1, j, text)
            return Mention(i - 1, j, surface, surface, "new", ActorType.GOVERNMENT_BODY, None, tokens[j - 1].possessive)
        for tail in (("of", "kazakhstan"), ("of", "the", "republic", "of", "kazakhstan")):
            if tuple(t.key for t in tokens[j : j + len(tail)]) == tail and not tokens[j - 1].possessive:
                j += len(tail)
                break
        return self._mention(entry, tokens, (i, j), text, "alias")

    def _name(self, tokens: Sequence[Token], i: int, end: int, text: str, seen: dict[str, str]) -> Mention | None:
        """A capitalised name sequence at ``i``: a known person, a misspelt listed name, or a new actor."""
        j = i
        while j < end and tokens[j].is_word and tokens[j].capitalized:
            if j > i and (self.aliases.match(tokens, j) or self.roles.match(tokens, j)):
                break
            j += 1
            if tokens[j - 1].possessive:
                break
        names = [k for k in range(i, j) if tokens[k].key not in self.not_names]
        if not names:
            return Mention(i, j, None, "", "skip") if j > i + 1 else None
        first, last = names[0], names[-1] + 1
        if not all(tokens[k].key not in self.not_names for k in range(first, last)):
            return Mention(i, j, None, "", "skip")
        if any(tokens[k].key in self.legal_forms for k in range(i, j)):
            return self._company(tokens, (i, j), (first, last), text)
        known = self._known_name(tokens, (first, last), text, seen)
        if known is not None:
            return Mention(
                i, j, known.name, known.surface, known.kind, known.actor_type, known.country, known.possessive
            )
        return self._new_name(tokens, (i, j), (first, last), text, seen)

    def _company(self, tokens: Sequence[Token], outer: tuple[int, int], span: tuple[int, int], text: str) -> Mention:
        """'JSC Kazakhtelecom': a company named without its legal form."""
        surface = self._surface(tokens, span[0], span[1], text)
        if tokens[span[1] - 1].possessive:
            surface = surface[:-2]
        return Mention(*outer, surface, surface, "new", ActorType.ORGANIZATION, None, tokens[span[1] - 1].possessive)

    def _known_name(
        self, tokens: Sequence[Token], span: tuple[int, int], text: str, seen: dict[str, str]
    ) -> Mention | None:
        """A dictionary person, a misspelt one-word listed name, or a new person seen before."""
        first, last = span
        entry = self.person([tokens[k].text for k in range(first, last)])
        if entry is not None:
            return self._mention(entry, tokens, span, text, "person")
        if last - first != 1:
            return None
        if (near := self.spelled_like(tokens[first].text)) is not None:
            return self._mention(near, tokens, span, text, "fuzzy")
        name = seen.get(phonetic(tokens[first].text))
        if name is None:
            return None
        surface = tokens[first].text[:-2] if tokens[first].possessive else tokens[first].text
        return Mention(first, last, name, surface, "new", ActorType.PERSON, None, tokens[first].possessive)

    def _new_name(
        self, tokens: Sequence[Token], outer: tuple[int, int], span: tuple[int, int], text: str, seen: dict[str, str]
    ) -> Mention:
        """A new actor from a name of two or more words (a person unless an organisation word is in it)."""
        i, j = outer
        first, last = span
        surname = phonetic(tokens[last - 1].text)
        if last - first < 2 or any(self.places.match(tokens, k) for k in range(first, last)):
            return Mention(i, j, None, "", "skip")
        is_org = any(tokens[k].key in self.org_cues for k in range(first, last))
        kind = ActorType.ORGANIZATION if is_org else ActorType.PERSON
        surface = self._surface(tokens, first, last, text)
        if tokens[last - 1].possessive:
            surface = surface[:-2]
        if kind is ActorType.PERSON:
            seen.setdefault(surname, surface)
        return Mention(i, j, surface, surface, "new", kind, None, tokens[last - 1].possessive)


def _title_word(tokens: Sequence[Token], i: int) -> int | None:
    """Where the title word of 'the mayor' or 'the former mayor' stands, if ``i`` is 'the'."""
    if tokens[i].key != "the" or i + 1 >= len(tokens):
        return None
    return i + 2 if tokens[i + 1].key in _FORMER and i + 2 < len(tokens) else i + 1


@functools.cache
def dictionary() -> ActorDictionary:
    """The shipped actor dictionary (loaded once)."""
    return ActorDictionary(load_data("actors.yaml"))
