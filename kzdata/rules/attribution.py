"""Who asserts what a sentence says: the attributions of a sentence (see attribution.yaml).

:class:`Attributor` finds every speech verb and its subject ("X said", "..., X reported",
"said X", "He said" -> the speaker referred back to), "according to X", "citing X", "X quoted
Y as saying", report nouns ("the ministry's figures", "posted on the ministry's channel")
and headline speakers ("X: ...", "... — X"). :mod:`kzdata.rules.claimants` picks the one
that governs a statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzdata.records.vocab import ActorType
from kzdata.rules.actors import ActorDictionary, Context, Mention
from kzdata.rules.lexicon import Lexicon
from kzdata.rules.text import Token

_SUBJECT_SLACK = 3
MAX_SUBJECT = 20
"""Longest subject phrase read before a speech verb, in tokens."""
MAX_HEADLINE_SPEAKER = 8
"""Longest speaker before a colon ("Kazakhstan's Interior Ministry: ..."), in tokens."""
MAX_SOURCES = 12
"""Attributions read per sentence; prose never has more, and it bounds the work."""
_PREPOSITIONS = frozenset({"in", "of", "from", "at", "for", "with", "by", "on", "about", "against"})
_MAIN_CLAUSE = frozenset({"has", "have", "had", "was", "is", "were", "are", "will", "would", "also", "then", "later"})
"""Words that resume a main clause after a relative clause closes with a comma."""
_COORDINATORS = frozenset({"and", "or", "but"})
_CONTRASTS = frozenset({"while", "whereas", "but", "although", "though", "and"})
_FINAL_REACH = 6
_PLACE_PREPOSITIONS = frozenset({"in", "of", "near", "around", "across"})
_BRACKET_REACH = 8
_ROLE_GAP = 4
_SPEAKING_BODIES = frozenset({ActorType.GOVERNMENT_BODY, ActorType.ORGANIZATION, ActorType.ALLIANCE, ActorType.MEDIA})
_TAIL_MARKS = frozenset({"—", "–", "-", ":"})
_PERSONAL = frozenset({"he", "she"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "it", "them"})
_IMPERSONAL = frozenset({"it", "they"})
PRONOUN_REACH = 3
"""Sentences back that a subject pronoun ("He said", "it added") may look for its speaker."""
"""Most title words between an organisation and its official ('CSTO Secretary General Y')."""


@dataclass(frozen=True, slots=True)
class Speech:
    """A speech verb (or attribution phrase) at token ``verb`` and whom it names."""

    verb: int
    rule: str
    who: Mention | None
    relays: tuple[Mention, ...] = ()
    until: int | None = None
    """Last token the verb governs (a relative clause 'X, who said ..., has' ends at its comma)."""
    since: int = 0
    """First token the verb governs: its clause opens after a contrast ("..., while X said")."""


def head(mentions: Sequence[Mention]) -> Mention | None:
    """The actor a phrase is about: not a possessive or adjacent modifier, not after a preposition."""
    for index, mention in enumerate(mentions):
        if mention.kind == "skip":
            continue
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if mention.possessive and following is not None:
            continue
        if following is not None and following.start == mention.end and following.kind != "skip":
            continue
        return mention
    return None


def _without_owners(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop a possessive owner that names the next mention's body: in "Kazakhstan's Ministry of
    Internal Affairs" the ministry speaks, and Kazakhstan is neither a source nor a relay."""
    return [
        m
        for index, m in enumerate(mentions)
        if not (m.possessive and index + 1 < len(mentions) and mentions[index + 1].start <= m.end + 1)
    ]


def _clean(mentions: Sequence[Mention], tokens: Sequence[Token], floor: int) -> list[Mention]:
    kept = []
    for index, mention in enumerate(mentions):
        if mention.kind == "skip":
            continue
        after_preposition = mention.start > floor and tokens[mention.start - 1].key in _PREPOSITIONS
        if after_preposition and index > 0 and mention.kind != "anonymous":
            continue
        kept.append(mention)
    return kept


class Attributor:
    """Finds speech verbs and attribution phrases in sentences."""

    def __init__(self, lex: Lexicon, actors: ActorDictionary) -> None:
        self.lex = lex
        self.actors = actors

    def _subject_start(self, tokens: Sequence[Token], verb: int) -> tuple[int, int]:
        """[start, end) of the subject phrase before the speech verb at ``verb``."""
        end = verb
        while end > 0 and (hit := self.lex.skip_before_verb.ending_at(tokens, end)):
            end -= hit[0]
        if end > 0 and tokens[end - 1].key == ")":
            # "the National Security Committee (KNB) said": the bracketed short name aside
            opening = next((k for k in range(end - 2, max(-1, end - _BRACKET_REACH), -1) if tokens[k].key == "("), None)
            end = opening if opening is not None else end
        start = end
        while start > max(0, end - MAX_SUBJECT) and tokens[start - 1].key not in self.lex.subject_breaks:
            start -= 1
        return start, end

    def _object_end(self, tokens: Sequence[Token], start: int, *, parentheses: bool = False) -> int:
        end = start
        while end < len(tokens) and end - start < 16 and not self.lex.object_breaks.match(tokens, end):
            end += 1
            if parentheses and end < len(tokens) and tokens[end].key in ("(", ")"):
                end += 1
        return end

    def _mentions(self, tokens: Sequence[Token], start: int, end: int, text: str, ctx: Context) -> list[Mention]:
        return _clean(self.actors.find(tokens, start, end, text, ctx), tokens, start)

    def _speech(self, tokens: Sequence[Token], verb: int, text: str, ctx: Context) -> Speech:
        start, end = self._subject_start(tokens, verb)
        if any(tokens[k].key in self.lex.negations for k in range(start, end)):
            return Speech(verb, "attr.said", None)
        subject = head(self._mentions(tokens, start, end, text, ctx))
        if verb > 0 and tokens[verb - 1].key in _COORDINATORS:
            return self._coordinated(tokens, verb, text, ctx)
        if subject is None and start == end and start > 0 and tokens[start - 1].key == ",":
            subject = self._aside_subject(tokens, start, text, ctx)
        if subject is None and start == end and start > 0 and tokens[start - 1].key in ("who", "which"):
            # "... at the request of Tokayev, who said ...": the relative pronoun's antecedent
            antecedent = start - 1 - (start > 1 and tokens[start - 2].key == ",")
            before, _ = self._subject_start(tokens, antecedent)
            found = [m for m in self._mentions(tokens, before, antecedent, text, ctx) if m.end == antecedent]
            subject = found[-1] if found and found[-1].name else None
            if subject is not None:
                return Speech(verb, "attr.said", subject, until=self._relative_end(tokens, verb))
        if subject is not None and subject.start >= start and subject.end < end - _SUBJECT_SLACK:
            subject = None  # the phrase is about something else: "Russia's intervention revealed"
        if subject is not None and subject.possessive:
            subject = self._office(tokens, subject, end, text)
            subject = None if subject.possessive else subject
        while end - start > 1 and tokens[start].key in _COORDINATORS:
            start += 1  # "..., and he said"
        subject = subject or self._bare_subject(tokens, start, end, text, ctx)
        if subject is not None:
            final = start > 0 and tokens[start - 1].key == ","
            since = start if start > 0 and tokens[start - 1].key in _CONTRASTS - {"and"} else 0
            until = self._final_end(tokens, verb) if final else None
            return Speech(verb, "attr.said", subject, until=until, since=since)
        return self._inverted(tokens, verb, (start, end), text, ctx)

    def _inverted(
        self, tokens: Sequence[Token], verb: int, subject: tuple[int, int], text: str, ctx: Context
    ) -> Speech:
        """'..., said Putin' / '..., said the ministry': the speaker after the verb; else nobody
        (rule attr.unresolved when the subject phrase before pointed at someone)."""
        inverted = verb > 0 and tokens[verb - 1].key in (",", "”", '"', "’") and verb + 1 < len(tokens)
        if not inverted or not (tokens[verb + 1].capitalized or tokens[verb + 1].key == "the"):
            missing = self._speaker_like(tokens, *subject)
            return Speech(verb, "attr.unresolved" if missing else "attr.said", None)
        after = self._object_end(tokens, verb + 1)
        who = head(self._mentions(tokens, verb + 1, after, text, ctx))
        if who is None and self._speaker_like(tokens, verb + 1, after):
            return Speech(verb, "attr.unresolved", None)  # ", said the ministry" with no ministry before
        return Speech(verb, "attr.said_inverted", who)

    def _speaker_like(self, tokens: Sequence[Token], start: int, end: int) -> bool:
        """True when the subject phrase points at a speaker we could not resolve: a pronoun
        ("She said") or a title or body word with nobody to refer back to ("the spokesman said")."""
        words = [t.key for t in tokens[start:end]]
        pointing = _PERSONAL | _IMPERSONAL | set(self.actors.title_anaphora)
        return 0 < len(words) <= 3 and (
            words[-1] in pointing or self.actors.anaphora.ending_at(tokens, end, start) is not None
        )

    def _bare_subject(self, tokens: Sequence[Token], start: int, end: int, text: str, ctx: Context) -> Mention | None:
        """A subject the dictionary does not name: a pronoun, a lone name, a group's voice."""
        subject = None
        if end - start == 1 and tokens[start].key in _PERSONAL | _IMPERSONAL:
            subject = self._pronoun(tokens, start, text, ctx)
        if subject is None and end - start == 1:
            subject = self._lone_name(tokens, start, text)
        if subject is None and start < end:
            subject = self._voice(tokens, start, end)
        if subject is None and start < end:
            subject = self._body(tokens, start, end)
        return subject

    def _body(self, tokens: Sequence[Token], start: int, end: int) -> Mention | None:
        """'the city's emergency headquarters said': a local body (actors.yaml ``bodies``),
        named after the place before it or in the sentence ("Almaty emergency headquarters")."""
        stop = end
        after_place = next((k for k in range(start, end) if tokens[k].key in ("in", "of")), None)
        if after_place is not None and self.lex.places.match(tokens, after_place + 1):
            stop = after_place  # "the operational headquarters in Almaty"
        hit = self.actors.bodies.ending_at(tokens, stop, start)
        if hit is None:
            return None
        first = stop - hit[0]
        place = next((found[1] for k in range(start, end) if (found := self.lex.places.match(tokens, k))), None)
        place = place or next(
            (found[1] for k in range(len(tokens)) if (found := self.lex.places.match(tokens, k))), None
        )
        words = " ".join(t.text for t in tokens[first:stop])
        name = f"{place} {words}" if place else words[:1].upper() + words[1:]
        return Mention(start, end, name, "", "new", ActorType.GOVERNMENT_BODY, "KZ")

    def _pronoun(self, tokens: Sequence[Token], index: int, text: str, ctx: Context) -> Mention | None:
        """The speaker a subject pronoun refers to: the last actor of its kind (a person for
        he/she, a body for it/they) named earlier in the sentence, else the last speaker or
        sentence subject of that kind in the last ``PRONOUN_REACH`` sentences; else nobody."""
        token = tokens[index]
        person = token.key in _PERSONAL
        if any(t.key in self.lex.negations for t in tokens[:index]):
            return None  # "neither X nor Y said who they blamed": no one to refer back to
        earlier = [
            m
            for m in self._mentions(tokens, 0, index, text, ctx)
            if m.name and m.kind != "anonymous" and (m.actor_type is ActorType.PERSON) == person
        ]
        found = earlier[-1] if earlier else ctx.speaker(person, PRONOUN_REACH)
        if found is None or found.name is None:
            return None
        return Mention(index, index + 1, found.name, token.text, "pronoun", found.actor_type, found.country)

    def _aside_subject(self, tokens: Sequence[Token], start: int, text: str, ctx: Context) -> Mention | None:
        """The subject when a comma stands right before the verb: a name filling the aside
        ("X's spokesman, Jane Doe, said"), else the phrase before the aside ("Putin, during
        the summit, called")."""
        subject = self._appositive_name(tokens, start - 1, text, ctx)
        if subject is not None:
            return subject
        outer, _ = self._subject_start(tokens, start - 1)
        aside = outer
        while aside > 0 and tokens[aside - 1].key != "," and start - aside < 12:
            aside -= 1
        if aside == 0:
            return None
        before, _ = self._subject_start(tokens, aside - 1)
        return head(self._mentions(tokens, before, aside - 1, text, ctx))

    def _coordinated(self, tokens: Sequence[Token], verb: int, text: str, ctx: Context) -> Speech:
        """'X met officials and said ...': the clause's subject, named at the start of the clause."""
        start, _ = self._subject_start(tokens, verb - 1)
        found = self._mentions(tokens, start, verb - 1, text, ctx)
        first = found[0] if found and found[0].start == start and not found[0].possessive else None
        return Speech(verb, "attr.said", first if first is not None and first.name else None)

    def _appositive_name(self, tokens: Sequence[Token], comma: int, text: str, ctx: Context) -> Mention | None:
        """ "X's spokesman, Jane Doe, said": the name that fills the aside between two commas."""
        opening = next((k for k in range(comma - 1, max(-1, comma - 6), -1) if tokens[k].key == ","), None)
        if opening is None:
            return None
        found = [m for m in self._mentions(tokens, opening + 1, comma, text, ctx) if m.name]
        if len(found) == 1 and found[0].start == opening + 1 and found[0].end == comma:
            return found[0] if found[0].actor_type is ActorType.PERSON else None
        return None

    @staticmethod
    def _final_end(tokens: Sequence[Token], verb: int) -> int | None:
        """'..., the ministry said earlier, while X ...': a speaker after its clause governs
        nothing past the comma that opens a contrasting clause."""
        for k in range(verb + 1, min(len(tokens) - 1, verb + _FINAL_REACH)):
            if tokens[k].key == "," and tokens[k + 1].key in _CONTRASTS:
                return k
            if not tokens[k].is_word:
                return None
        return None

    @staticmethod
    def _relative_end(tokens: Sequence[Token], verb: int) -> int | None:
        """The comma closing a relative clause ('who said ..., has also'), if the main clause resumes."""
        for k in range(verb + 1, len(tokens) - 1):
            nxt = tokens[k + 1]
            if tokens[k].key == "," and (nxt.key in _MAIN_CLAUSE or (nxt.key.endswith("ed") and not nxt.capitalized)):
                return k
            if tokens[k].key in (";", "."):
                return None
        return None

    def _official(self, mentions: list[Mention], tokens: Sequence[Token]) -> list[Mention]:
        """'according to CSTO Secretary General Y': the official speaks, not the organisation."""
        if len(mentions) < 2:
            return mentions
        org, person = mentions[0], mentions[1]
        gap = range(org.end, person.start)
        titles = all(tokens[k].is_word and tokens[k].key not in _COORDINATORS for k in gap)
        if org.actor_type is not ActorType.PERSON and person.actor_type is ActorType.PERSON and titles:
            return [person, *mentions[2:]] if len(gap) <= _ROLE_GAP else mentions
        return mentions

    def _office(self, tokens: Sequence[Token], subject: Mention, end: int, text: str) -> Mention:
        """'Tokayev's office said' names the office of Tokayev."""
        entry = self.actors.entries.get(subject.name or "")
        if (
            subject.possessive
            and subject.actor_type in _SPEAKING_BODIES
            and self.lex.office_words.match(tokens, subject.end)
        ):
            # "the health ministry's spokeswoman said": the body speaks through its spokeswoman
            return Mention(
                subject.start, end, subject.name, subject.surface, subject.kind, subject.actor_type, subject.country
            )
        if entry is None or entry.office is None or not subject.possessive:
            return subject
        if self.lex.office_words.match(tokens, subject.end):
            office = self.actors.entries[entry.office]
            surface = text[tokens[subject.start].start : tokens[min(end, len(tokens)) - 1].end]
            return Mention(subject.start, end, office.name, surface, "office", office.actor_type, office.country)
        return subject

    def _voice(self, tokens: Sequence[Token], start: int, end: int) -> Mention | None:
        """'..., residents said': people speaking as a group, named after the sentence's place
        ("Almaty residents"); nobody when the sentence names no place."""
        hit = self.actors.voices.ending_at(tokens, end, start)
        first = end - hit[0] if hit is not None else start
        if hit is None or not (first == start or (first == start + 1 and tokens[start].key in ("the", "some", "many"))):
            return None
        place = next(
            (
                found[1]
                for k in range(1, len(tokens))
                if tokens[k - 1].key in _PLACE_PREPOSITIONS and (found := self.lex.places.match(tokens, k))
            ),
            None,
        )
        if place is None:
            return None
        name = f"{place} {tokens[end - 1].text.casefold()}"
        return Mention(first, end, name, "", "new", ActorType.GROUP, None)

    def _lone_name(self, tokens: Sequence[Token], index: int, text: str) -> Mention | None:
        """An unknown one-word name right before a speech verb ("Kazinform reports"): a new actor
        of unknown type, since one word cannot tell a person from an outlet."""
        token = tokens[index]
        if not (token.is_word and token.capitalized) or token.key in self.actors.not_names or token.possessive:
            return None
        if self.lex.person_nouns.match(tokens, index) or self.lex.thing_nouns.match(tokens, index):
            return None  # "Residents said", "Hospitals reported": common nouns, not names
        return Mention(index, index + 1, token.text, token.text, "new", ActorType.OTHER)

    def _owner(self, tokens: Sequence[Token], i: int) -> int | None:
        """Where the owner's phrase of a report noun at ``i`` ends (the token after its
        possessive): 'the ministry's report'; for a platform noun, or one or two modifiers
        between ('posted on the ministry's Telegram channel'), only after 'on' or 'in'."""
        if tokens[i].key not in self.lex.report_nouns or i == 0:
            return None
        if tokens[i - 1].possessive:
            return i if tokens[i].key not in self.lex.platform_nouns or _opened(tokens, i - 1) else None
        for gap in (1, 2):
            k = i - gap - 1
            modifiers = tokens[k + 1 : i]
            if k > 0 and tokens[k].possessive and all(t.is_word and not t.possessive for t in modifiers):
                return k + 1 if _opened(tokens, k) else None
        return None

    def _report(self, tokens: Sequence[Token], noun: int, text: str, ctx: Context) -> Speech:
        """'the ministry's report of 40 deaths': the possessive actor right before the noun."""
        start, _ = self._subject_start(tokens, noun)
        mentions = [m for m in self._mentions(tokens, start, noun, text, ctx) if m.end == noun and m.name]
        who = self._office(tokens, mentions[-1], noun, text) if mentions else None
        return Speech(noun, "attr.report", who)

    def _headline(self, tokens: Sequence[Token], text: str, ctx: Context) -> Speech | None:
        """'Interior Ministry: 9,900 detained' — a speaker, a colon, then what it says."""
        colon = next((k for k in range(1, min(len(tokens), MAX_HEADLINE_SPEAKER + 1)) if tokens[k].key == ":"), None)
        if colon is None:
            return None
        speaker = head(self._mentions(tokens, 0, colon, text, ctx))
        if speaker is None or speaker.name is None or speaker.end != colon:
            return None
        return Speech(colon, "attr.colon", speaker)

    def _quoted_as(self, tokens: Sequence[Token], i: int, text: str, ctx: Context) -> Speech | None:
        """'X quoted Y as saying ...': Y is the source, X relays it; None without 'as saying'."""
        hit = self.lex.quoting_verbs.match(tokens, i)
        if hit is None or tokens[i].capitalized:
            return None
        start = i + hit[0]
        marker = next(
            (k for k in range(start + 1, min(len(tokens), start + 16)) if self.lex.quoted_as.match(tokens, k)), None
        )
        if marker is None or any(tokens[k].key in (".", ";", ":") for k in range(start, marker)):
            return None
        quoted = [m for m in self._mentions(tokens, start, marker, text, ctx) if m.name or m.kind == "anonymous"]
        quoted = self._official(quoted, tokens)
        if not quoted and marker - start == 1 and tokens[start].key in _OBJECT_PRONOUNS:
            person = tokens[start].key in ("him", "her")
            earlier = ctx.speaker(person, PRONOUN_REACH)
            if earlier is not None and earlier.name is not None:
                quoted = [Mention(start, marker, earlier.name, tokens[start].text, "pronoun", earlier.actor_type)]
        subject = self._speech(tokens, i, text, ctx).who
        relays = (subject,) if subject is not None and subject.name else ()
        if not quoted or quoted[0].name is None:
            # "Interfax quoted a source as saying": no named source, the relay speaks
            return Speech(i, "attr.said", subject, until=None)
        return Speech(i, "attr.quoted_as", quoted[0], relays, until=marker + 1)

    def _tail(self, tokens: Sequence[Token], text: str, ctx: Context) -> Speech | None:
        """'90 killed in clashes — health ministry': a speaker after a final dash or colon."""
        end = len(tokens) - (1 if tokens and not tokens[-1].is_word and tokens[-1].key not in ")" else 0)
        mark = next(
            (k for k in range(end - 2, max(0, end - MAX_HEADLINE_SPEAKER) - 1, -1) if tokens[k].key in _TAIL_MARKS),
            None,
        )
        if mark is None or mark == 0:
            return None
        found = [m for m in self._mentions(tokens, mark + 1, end, text, ctx) if m.name]
        if len(found) != 1 or found[0].start != mark + 1 or found[0].end != end:
            return None
        return Speech(mark, "attr.tail", found[0])

    def sources(self, tokens: Sequence[Token], text: str, ctx: Context, *, headline: bool = False) -> list[Speech]:
        """Every attribution in a sentence, left to right; in a ``headline`` speech verbs may
        be capitalised ("Officials Say 90 Dead")."""
        found: list[Speech] = []
        if (colon := self._headline(tokens, text, ctx)) is not None:
            found.append(colon)
        if (tail := self._tail(tokens, text, ctx)) is not None:
            found.append(tail)
        i = 0
        while i < len(tokens) and len(found) < MAX_SOURCES:
            if quoted := self._quoted_as(tokens, i, text, ctx):
                found.append(quoted)
                i = quoted.until or i + 1
            elif hit := self.lex.according_to.match(tokens, i):
                end = self._object_end(tokens, i + hit[0])
                mentions = [
                    m for m in self._mentions(tokens, i + hit[0], end, text, ctx) if m.name or m.kind == "anonymous"
                ]
                mentions = _without_owners(self._official(mentions, tokens))
                found.append(Speech(i, "attr.according_to", mentions[0] if mentions else None, tuple(mentions[1:])))
                i = end
            elif hit := self.lex.citing.match(tokens, i):
                end = self._object_end(tokens, i + hit[0], parentheses=True)
                cited = [m for m in self._mentions(tokens, i + hit[0], end, text, ctx) if m.name]
                found.append(Speech(i, "attr.citing", cited[-1] if cited else None))
                i = end
            elif hit := self.lex.passive_by.match(tokens, i):
                end = self._object_end(tokens, i + hit[0])
                found.append(Speech(i, "attr.passive_by", head(self._mentions(tokens, i + hit[0], end, text, ctx))))
                i = end
            elif hit := self.lex.own_inference.match(tokens, i):
                found.append(Speech(i, "attr.own_inference", None))
                i += hit[0]
            elif (owner := self._owner(tokens, i)) is not None:
                found.append(self._report(tokens, owner, text, ctx))
                i += 1
            elif tokens[i].key in self.lex.speech_verbs and (headline or not tokens[i].capitalized):
                found.append(self._speech(tokens, i, text, ctx))
                i += 1
            elif self.lex.estimate_verbs.match(tokens, i) and not tokens[i].capitalized:
                speech = self._speech(tokens, i, text, ctx)
                found.append(Speech(i, "attr.estimate", speech.who))
                i += 1
            else:
                i += 1
        return found


def _opened(tokens: Sequence[Token], owner: int) -> bool:
    """True when 'on' or 'in' introduces the owner's phrase ending at ``owner`` ("on the
    ministry's channel")."""
    return any(t.key in ("on", "in") for t in tokens[max(0, owner - 5) : owner])
