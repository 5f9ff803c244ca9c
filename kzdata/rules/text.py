"""Sentences and tokens of a Document's body, with offsets into the original text.

Every regular expression here is linear: each repetition is separated by a character the
repeated part cannot match, so no input makes them backtrack (a 100 KB run of digits is
one token).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from kzdata.sources.document import Document

_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?:-[^\W\d_]+)*|[^\W\d_]\w*(?:['’\-]\w+)*|\S")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s)|\n")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Token:
    """A word, number or punctuation mark; ``key`` is its lower-case, accent-free form."""

    start: int
    end: int
    text: str
    key: str
    possessive: bool = False

    @property
    def is_number(self) -> bool:
        return "0" <= self.text[0] <= "9"

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def capitalized(self) -> bool:
        return self.text[0].isupper()


def normalize(text: str) -> str:
    """Lower case, typographic apostrophes folded, Latin accents dropped (Cyrillic kept)."""
    folded = text.casefold().replace("’", "'").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (the text's place in the article)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        key = normalize(raw)
        possessive = False
        if raw[0].isalpha() and len(raw) > 2 and key.endswith("'s"):
            key, possessive = key[:-2], True
        tokens.append(Token(match.start() + offset, match.end() + offset, raw, key, possessive))
    return tokens


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The token keys of a lexicon phrase, as matched against text tokens."""
    return tuple(token.key for token in tokenize(phrase))


def _is_abbreviation(text: str, end: int, abbreviations: frozenset[str]) -> bool:
    start = end
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:end].rstrip(".").casefold()
    return word in abbreviations or len(word) == 1


def split_sentences(text: str, start: int, end: int, abbreviations: frozenset[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, stripped of surrounding blanks."""
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group() != "\n" and match.group()[0] == "." and _is_abbreviation(text, match.start(), abbreviations):
            continue
        yield from _stripped(text, cursor, match.end())
        cursor = match.end()
    yield from _stripped(text, cursor, end)


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the body: its span in the article and its tokens."""

    start: int
    end: int
    tokens: Sequence[Token]


MAX_SENTENCE_TOKENS = 250
"""A 'sentence' longer than this is not prose (a table, a run of digits): it is read in
chunks of this many tokens, which also bounds the work per sentence."""


def sentences(doc: Document, abbreviations: frozenset[str]) -> Iterator[Sentence]:
    """Every sentence of every body segment of ``doc``, in text order.

    A period after one of ``abbreviations`` ("Mr.", "Jan.") or after a single letter does
    not end a sentence.
    """
    for segment in sorted(doc.body, key=lambda s: s.start):
        for start, end in split_sentences(doc.text, segment.start, segment.end, abbreviations):
            tokens = tokenize(doc.text[start:end], start)
            if len(tokens) <= MAX_SENTENCE_TOKENS:
                yield Sentence(start, end, tokens)
                continue
            for first in range(0, len(tokens), MAX_SENTENCE_TOKENS):
                chunk = tokens[first : first + MAX_SENTENCE_TOKENS]
                yield Sentence(chunk[0].start, chunk[-1].end, chunk)


def headline(doc: Document) -> Sentence | None:
    """The article's title as one sentence: the first segment the parser marked ``title``,
    narrowed to the cleaned title inside it (without an outlet suffix); None without one."""
    segment = next((s for s in sorted(doc.excluded, key=lambda s: s.start) if s.kind == "title"), None)
    if segment is None:
        return None
    raw = doc.text[segment.start : segment.end]
    offset = raw.find(doc.title) if doc.title else -1
    start, end = (
        (segment.start + offset, segment.start + offset + len(doc.title))
        if offset >= 0
        else (
            segment.start,
            segment.end,
        )
    )
    tokens = tokenize(doc.text[start:end], start)[:MAX_SENTENCE_TOKENS]
    return Sentence(tokens[0].start, tokens[-1].end, tokens) if tokens else None


class PhraseMap(Generic[V]):
    """Lexicon phrases (tokenized like the text) mapped to values, looked up by first token."""

    def __init__(self, items: Iterable[tuple[str, V]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for phrase, value in items:
            keys = phrase_keys(phrase)
            if keys:
                self._by_first.setdefault(keys[0], []).append((keys, value))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def match(self, tokens: Sequence[Token], index: int) -> tuple[int, V] | None:
        """(length in tokens, value) of the longest phrase starting at ``index``, or None."""
        if index >= len(tokens):
            return None
        for keys, value in self._by_first.get(tokens[index].key, ()):
            n = len(keys)
            if index + n <= len(tokens) and all(tokens[index + k].key == keys[k] for k in range(1, n)):
                return n, value
        return None

    def ending_at(self, tokens: Sequence[Token], end: int, floor: int = 0) -> tuple[int, V] | None:
        """(length, value) of the longest phrase ending just before ``end`` and starting at or after ``floor``."""
        best: tuple[int, V] | None = None
        for start in range(max(floor, end - 6), end):
            found = self.match(tokens, start)
            if found and start + found[0] == end and (best is None or found[0] > best[0]):
                best = found
        return best

    def find(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, V]]:
        """Non-overlapping (start, end, value) of phrases in ``tokens[start:end]``, left to right."""
        stop = len(tokens) if end is None else end
        index = start
        while index < stop:
            found = self.match(tokens, index)
            if found and index + found[0] <= stop:
                yield index, index + found[0], found[1]
                index += found[0]
            else:
                index += 1


def phrase_set(phrases: Iterable[str]) -> PhraseMap[str]:
    """A PhraseMap of phrases mapped to themselves."""
    return PhraseMap((phrase, phrase) for phrase in phrases)
