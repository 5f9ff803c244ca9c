"""Dates in a sentence, resolved against the publication date.

"January 10", "Jan. 9", "7 January", "10th of January, 2022", "on the 10th", weekdays
("on Sunday": the last Sunday on or before publication), and the relative phrases of
dates.yaml ("today", "the day before", "last week"). Phrases anchored to the context
("the same day", "the day before") count from the last date the article mentioned.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kzdata.records.vocab import DatePrecision
from kzdata.rules.lexicon import Lexicon, RelativeDate
from kzdata.rules.text import Token

_ORDINALS = frozenset({"th", "st", "nd", "rd"})
_FUTURE_SLACK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase at tokens [start, end) and what it resolves to (None if it cannot be)."""

    start: int
    end: int
    value: date | None
    precision: DatePrecision = DatePrecision.DAY


def _day(token: Token) -> int | None:
    if token.is_number and token.text.isdigit() and len(token.text) <= 2 and 1 <= int(token.text) <= 31:
        return int(token.text)
    return None


def _year(tokens: Sequence[Token], i: int) -> tuple[int | None, int]:
    """An explicit year at ``i`` (after an optional comma): (year, index after it)."""
    j = i + 1 if i < len(tokens) and tokens[i].text == "," else i
    if j < len(tokens) and tokens[j].is_number and tokens[j].text.isdigit() and len(tokens[j].text) == 4:
        return int(tokens[j].text), j + 1
    return None, i


def _make(year: int | None, month: int, day: int, published: date | None) -> date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        candidate = _safe(year, month, day)
        if candidate is not None and candidate > published + _FUTURE_SLACK:
            year -= 1
    return _safe(year, month, day)


def _safe(year: int, month: int, day: int) -> date | None:
    if 1 <= year <= 9999 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def _skip(tokens: Sequence[Token], i: int, keys: frozenset[str] | tuple[str, ...]) -> int:
    return i + 1 if i < len(tokens) and tokens[i].key in keys else i


def _month_first(tokens: Sequence[Token], i: int, lex: Lexicon, published: date | None) -> DateMention | None:
    month = lex.months.get(tokens[i].key)
    if month is None or not tokens[i].capitalized:
        return None
    j = _skip(tokens, i + 1, (".",))
    if j >= len(tokens) or (day := _day(tokens[j])) is None:
        return None
    j = _skip(tokens, j + 1, _ORDINALS)
    year, j = _year(tokens, j)
    return DateMention(i, j, _make(year, month, day, published))


def _day_first(tokens: Sequence[Token], i: int, lex: Lexicon, published: date | None) -> DateMention | None:
    if (day := _day(tokens[i])) is None:
        return None
    j = _skip(tokens, _skip(tokens, i + 1, _ORDINALS), ("of",))
    if j >= len(tokens) or (month := lex.months.get(tokens[j].key)) is None or not tokens[j].capitalized:
        return None
    year, end = _year(tokens, _skip(tokens, j + 1, (".",)))
    return DateMention(i, end, _make(year, month, day, published))


def _ordinal_day(tokens: Sequence[Token], i: int, published: date | None) -> DateMention | None:
    """'the 10th': a day of the publication month (or of the month before, if later)."""
    if tokens[i].key != "the" or i + 2 >= len(tokens) or tokens[i + 2].key not in _ORDINALS:
        return None
    if (day := _day(tokens[i + 1])) is None or _skip(tokens, i + 3, ("of",)) > i + 3:
        return None
    value = None
    if published is not None:
        value = _safe(published.year, published.month, day)
        if value is None or value > published:
            previous = published.replace(day=1) - timedelta(days=1)
            value = _safe(previous.year, previous.month, day)
    return DateMention(i, i + 3, value)


def _weekday(tokens: Sequence[Token], i: int, lex: Lexicon, published: date | None) -> DateMention | None:
    weekday = lex.weekdays.get(tokens[i].key)
    if weekday is None or not tokens[i].capitalized:
        return None
    value = None
    if published is not None:
        value = published - timedelta(days=(published.weekday() - weekday) % 7)
    return DateMention(i, i + 1, value)


def _relative(rel: RelativeDate, anchor: date | None) -> tuple[date | None, DatePrecision]:
    if anchor is None:
        return None, rel.precision
    if rel.weeks is not None:
        monday = anchor - timedelta(days=anchor.weekday())
        return monday - timedelta(weeks=rel.weeks), DatePrecision.WEEK
    if rel.months is not None:
        first = anchor.replace(day=1)
        for _ in range(rel.months):
            first = (first - timedelta(days=1)).replace(day=1)
        return first, DatePrecision.MONTH
    return anchor - timedelta(days=rel.days), rel.precision


def find_dates(
    tokens: Sequence[Token], lex: Lexicon, published: date | None, context: date | None = None
) -> list[DateMention]:
    """Every date phrase in ``tokens``, left to right, resolved where possible."""
    found: list[DateMention] = []
    i = 0
    while i < len(tokens):
        mention = (
            _month_first(tokens, i, lex, published)
            or _day_first(tokens, i, lex, published)
            or _ordinal_day(tokens, i, published)
            or _weekday(tokens, i, lex, published)
        )
        if mention is None and (rel := lex.relative.match(tokens, i)):
            length, relative = rel
            anchor = (context or published) if relative.from_context else published
            value, precision = _relative(relative, anchor)
            mention = DateMention(i, i + length, value, precision)
        if mention is None:
            i += 1
            continue
        found.append(mention)
        if mention.value is not None and mention.precision is DatePrecision.DAY:
            context = mention.value
        i = mention.end
    return found
