"""Figures in a sentence: digits, number words, multipliers, qualifiers and vague amounts.

``find_figures`` walks the tokens once, left to right. A figure is rejected when its
context makes it a year, a price, a percentage, an age, a duration or a counter
(``reject_before`` / ``reject_after`` / ``year_range`` in quantities.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzdata.records.vocab import Qualifier
from kzdata.rules.lexicon import Lexicon
from kzdata.rules.text import Token

Number = int | float


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure: tokens [first, end) including its qualifier; the number starts at ``number``."""

    first: int
    number: int
    end: int
    amount: Number | None
    qualifier: Qualifier
    low: Number | None = None
    high: Number | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class _Parsed:
    value: Number
    end: int
    suffix: str | None
    has_digits: bool
    separated: bool


def _digits(token: Token, lex: Lexicon) -> tuple[Number, str | None] | None:
    body, _, suffix = token.text.partition("-")
    plain = body.replace(",", "")
    if len(plain.replace(".", "")) > lex.max_digits:
        return None
    if "." in plain:
        if plain.count(".") > 1:
            return None
        return float(plain), suffix.casefold() or None
    return int(plain), suffix.casefold() or None


def _word_value(token: Token, lex: Lexicon) -> int | None:
    parts = token.key.split("-")
    if not all(part in lex.number_words for part in parts):
        return None
    return sum(lex.number_words[part] for part in parts)


def _parse_number(tokens: Sequence[Token], index: int, lex: Lexicon) -> _Parsed | None:
    """The number starting at ``index`` ("2 thousand 30", "two hundred and fifty", "a dozen")."""
    total: Number = 0
    current: Number | None = None
    last = ""  # "base", "mult"
    has_digits = separated = False
    suffix: str | None = None
    i = index
    if tokens[i].key == "a" and i + 1 < len(tokens) and tokens[i + 1].key in lex.multipliers:
        current, last, i = 1, "base", i + 1
    while i < len(tokens) and suffix is None:
        token = tokens[i]
        if token.is_number and last != "base":
            parsed = _digits(token, lex)
            if parsed is None:
                return None
            value, suffix = parsed
            has_digits, separated = True, separated or "," in token.text
        elif token.is_word and token.key in lex.multipliers and current is not None:
            multiplier = lex.multipliers[token.key]
            if multiplier == 100:
                current *= multiplier
            else:
                total += current * multiplier
                current = None
            last, i = "mult", i + 1
            continue
        elif token.is_word and (word := _word_value(token, lex)) is not None and _word_follows(current, last, word):
            value = word
        elif token.key == "and" and last == "mult" and i + 1 < len(tokens) and _word_value(tokens[i + 1], lex):
            i += 1
            continue
        else:
            break
        current = value if current is None else current + value
        last, i = "base", i + 1
    if last == "" or i == index:
        return None
    return _Parsed(total + (current or 0), i, suffix, has_digits, separated)


def _word_follows(current: Number | None, last: str, word: int) -> bool:
    if current is None or last == "mult":
        return True
    return isinstance(current, int) and current % 10 == 0 and 20 <= current < 100 and word < 10


_MODALS = frozenset({"would", "will", "to", "could", "may", "might", "should"})


def _rejected(tokens: Sequence[Token], first: int, parsed: _Parsed, lex: Lexicon) -> bool:
    hit = lex.reject_before.ending_at(tokens, first, max(0, first - 3))
    if hit is not None and not (hit[1] == "number" and first > 1 and tokens[first - 2].key in _MODALS):
        return True  # "number 5" is an index, "would number 2,500" a count
    if parsed.suffix is not None and parsed.suffix.split("-")[0] not in lex.count_suffixes:
        return True
    if lex.reject_after.match(tokens, parsed.end):
        return True
    return isinstance(parsed.value, float) and not parsed.value.is_integer()


def _is_year(tokens: Sequence[Token], number: int, parsed: _Parsed, lex: Lexicon) -> bool:
    """A bare four-digit number in ``year_range`` is a year, unless a person noun follows ("2061 people")."""
    low, high = lex.year_range
    return (
        parsed.has_digits
        and not parsed.separated
        and parsed.end == number + 1
        and low <= parsed.value <= high
        and len(tokens[number].text) == 4
        and lex.person_nouns.match(tokens, parsed.end) is None
    )


def _bounds(amount: Number, qualifier: Qualifier) -> tuple[Number | None, Number | None]:
    if qualifier in (Qualifier.OVER, Qualifier.AT_LEAST):
        return amount, None
    if qualifier in (Qualifier.ALMOST, Qualifier.UP_TO, Qualifier.UNDER):
        return None, amount
    return None, None


def _as_int(value: Number) -> Number:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _range_end(tokens: Sequence[Token], parsed: _Parsed, lex: Lexicon, *, between: bool) -> _Parsed | None:
    """The upper end of "20-30", "2,000 to 2,500", "between 2,000 and 2,500" ("and" only after "between")."""
    i = parsed.end
    connectors = ("-", "–", "to", "and") if between else ("-", "–", "to")
    if i + 1 < len(tokens) and tokens[i].key in connectors and parsed.suffix is None:
        other = _parse_number(tokens, i + 1, lex)
        if other is not None and other.value > parsed.value:
            return other
    return None


def _figure_at(tokens: Sequence[Token], i: int, skip: frozenset[int], lex: Lexicon) -> Figure | None:
    qualifier, number = Qualifier.EXACT, i
    found = lex.qualifiers_before.match(tokens, i)
    if found:
        number, qualifier = i + found[0], found[1]
    if number in skip or number >= len(tokens):
        return None
    vague = lex.vague.match(tokens, number)
    if vague:
        length, low = vague
        return Figure(i, number, number + length, None, Qualifier.VAGUE, low=low)
    parsed = _parse_number(tokens, number, lex)
    if parsed is None or _rejected(tokens, i, parsed, lex) or _is_year(tokens, number, parsed, lex):
        return None
    upper = _range_end(tokens, parsed, lex, between=number > 0 and tokens[number - 1].key == "between")
    if upper is not None and not _rejected(tokens, i, upper, lex):
        shared_multiplier = parsed.value < 1000 <= upper.value and upper.value >= 100 * parsed.value
        lower = _as_int(parsed.value * 1000 if shared_multiplier else parsed.value)
        return Figure(i, number, upper.end, None, Qualifier.RANGE, low=lower, high=_as_int(upper.value))
    end = parsed.end
    after = lex.qualifiers_after.match(tokens, end)
    if after and qualifier is Qualifier.EXACT:
        qualifier, end = after[1], end + after[0]
    amount = _as_int(parsed.value)
    bounds = _bounds(amount, qualifier)
    return Figure(i, number, end, amount, qualifier, bounds[0], bounds[1], parsed.suffix)


def find_figures(tokens: Sequence[Token], lex: Lexicon, skip: frozenset[int] = frozenset()) -> list[Figure]:
    """Every figure in ``tokens``, left to right; tokens in ``skip`` (dates) are never figures."""
    figures: list[Figure] = []
    i = 0
    while i < len(tokens):
        figure = None if i in skip else _figure_at(tokens, i, skip, lex)
        if figure is None:
            i += 1
            continue
        figures.append(figure)
        i = figure.end
    return figures
