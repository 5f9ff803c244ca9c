"""Lines of an article with offsets into the untouched text, and what a line looks like.

Line breaks are ``\\r\\n``, ``\\r``, ``\\n``, U+2028 and U+2029. Each :class:`Line` keeps
the offsets of its visible content: leading and trailing whitespace, a byte order mark
and zero-width characters are left outside, so ``text[line.start:line.end] == line.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029]")
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060")
_CLOSERS = "\"'”’»)]*"
_TERMINAL = frozenset(".!?…:;")
_LIST_ITEM = re.compile(r"^(?:[•▪◦●·‣–—*-]|\d{1,2}[.)])\s")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text: its index and the offsets of its visible content."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        """True when the line has no visible character."""
        return self.start == self.end


def _is_space(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones too), with trimmed offsets."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in _BREAK.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return [_line(text, index, start, end) for index, (start, end) in enumerate(bounds)]


def _line(text: str, index: int, start: int, end: int) -> Line:
    while start < end and _is_space(text[start]):
        start += 1
    while end > start and _is_space(text[end - 1]):
        end -= 1
    return Line(index, start, end, text[start:end])


def ends_sentence(text: str) -> bool:
    """True when the text ends like a sentence (closing quotes and brackets aside)."""
    stripped = text.rstrip(_CLOSERS + " \t")
    return bool(stripped) and stripped[-1] in _TERMINAL


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def is_list_item(text: str) -> bool:
    """True for a bulleted or numbered list item."""
    return bool(_LIST_ITEM.match(text))
