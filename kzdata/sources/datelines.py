"""Datelines: lines that carry nothing but a publication date (and labels, times, zones).

Recognised dates: ``January 10, 2022``, ``Jan. 10, 2022``, ``10 January 2022``,
``Monday, 10th January 2022`` and ISO ``2022-01-10``. A dateline may glue a second date on
(``January 10, 2022Updated: January 10, 2022``, as some CMSs render it); the first date is
the publication date. Numeric day-month forms (``10.01.2022``) are ambiguous and ignored.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+{_MONTH},?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
)
_NOISE = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"|\b\d{1,3} min(?:ute)?s? read\b"
    r"|\b(?:first|last|published|updated|posted|modified|created|date|on|at|am|pm"
    r"|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|et|est|edt|gmt|utc|bst|cet|cest|msk|almt|kst|pt|pst|pdt)\b"
    r"|[\s|•·,:;()/–—-]+",
    re.IGNORECASE,
)
MAX_LENGTH = 100
_DIGITS = re.compile(r"\d{4}")


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token[:3].lower()]


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every valid date in ``text``: (start, end, date), in order of position."""
    found: list[tuple[int, int, date]] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            try:
                day = date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except ValueError:
                continue
            if 1900 <= day.year <= 2100:
                found.append((match.start(), match.end(), day))
    return sorted(found)


def dateline_date(text: str) -> date | None:
    """The publication date if the line is a dateline, else None."""
    if len(text) > MAX_LENGTH or not _DIGITS.search(text):
        return None
    dates = find_dates(text)
    if not dates:
        return None
    residue = text
    for start, end, _ in reversed(dates):
        residue = residue[:start] + " " + residue[end:]
    if _NOISE.sub("", residue):
        return None
    return dates[0][2]
