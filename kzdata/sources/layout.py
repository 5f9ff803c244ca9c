"""The layout engine: which lines of an article are title, byline, body or boilerplate.

Steps (offsets always into the untouched text):

1. Split into lines; the first non-empty line is the title, unless it is site navigation,
   a share or subscribe line, an advert label, a dateline or a byline (skipped as such).
2. Classify every other line, first rule wins: inside a comment section (after a comment
   form line) → ``comments``; the profile's rules; translation notice; dateline; byline
   (profile patterns, then generic); a repeat of an author's name → ``byline``; an author bio;
   a near-repeat of the title among the first lines → ``title``; the generic boilerplate rules;
   after a link-list intro (``Read also:``), list items and headline-like lines → ``related``.
3. Group the remaining lines into paragraphs: blank lines separate paragraphs; a line joins
   the previous one only when that one is long and does not end a sentence (hard-wrapped
   text).
4. A one-line paragraph of a few words that does not end a sentence is a ``heading``, or a
   ``caption`` when it sits directly on a caption or credit line. Everything else is body.
   A wire lead dateline (``ALMATY, Kazakhstan (AP) —``) is cut off the first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from kzdata.sources import bylines, notices
from kzdata.sources.boilerplate import COMMENT_KINDS, GENERIC, RELATED_KINDS
from kzdata.sources.datelines import dateline_date
from kzdata.sources.document import Segment
from kzdata.sources.lines import Line, ends_sentence, is_list_item, split_lines, word_count
from kzdata.sources.profile import Profile

TITLE_ZONE = 10
TITLE_SIMILARITY = 0.75
TITLE_COMPARE_MAX = 400
HEADING_MAX_WORDS = 14
WRAP_MIN_CHARS = 40
EXCLUDED_KINDS = frozenset(
    {
        "title", "byline", "author_bio", "dateline", "translation_notice", "caption", "credit", "heading",
        "related", "subscribe", "share", "comments", "footer", "navigation", "advert", "embed",
    }
)  # fmt: skip
_CAPTION_KINDS = frozenset({"caption", "credit"})
_BEFORE_TITLE = frozenset({"navigation", "share", "subscribe", "advert", "dateline", "byline"})
_WIRE_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{1,40}(?:,\s+[A-Z][\w .]{1,30})?(?:,\s+\w{3,9}\.?\s+\d{1,2})?\s+"
    r"\((?:AP|Reuters|AFP|AA|dpa|UPI|Xinhua|Interfax|TASS|Bloomberg)\)\s*[—–-]{1,2}\s*"
    r"|[A-Z][A-Z .'’-]{1,40}, \w+ \d{1,2}\. /(?:TASS|Sputnik|RIA Novosti)/\.\s*"
)


@dataclass(frozen=True, slots=True)
class Layout:
    """What the engine found in a text."""

    title: str | None
    authors: tuple[str, ...]
    published: date | None
    original_language: str | None
    machine_translated: bool
    body: tuple[Segment, ...]
    excluded: tuple[Segment, ...]


@dataclass(slots=True)
class _State:
    profile: Profile
    title: str
    raw_title: str
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    original_language: str | None = None
    machine_translated: bool = False
    mode: str | None = None


def analyse(text: str, profile: Profile) -> Layout:
    """Classify the lines of ``text`` under ``profile``; see the module docstring."""
    lines = split_lines(text)
    visible = [line for line in lines if not line.blank]
    state = _State(profile, "", "")
    kinds: dict[int, str] = {}
    for position, line in enumerate(visible):
        kind = _classify(line, position, state) if state.raw_title else _before_title(line, position, state)
        if kind is not None:
            kinds[line.index] = kind
    body = _judge_paragraphs(lines, kinds)
    body, leads = _cut_wire_dateline(text, body)
    excluded = [Segment(lines[index].start, lines[index].end, kind) for index, kind in kinds.items()]
    return Layout(
        title=state.title or None,
        authors=tuple(dict.fromkeys(state.authors)),
        published=state.published,
        original_language=state.original_language,
        machine_translated=state.machine_translated,
        body=tuple(body),
        excluded=tuple(sorted([*excluded, *leads], key=lambda s: (s.start, s.end))),
    )


def _before_title(line: Line, position: int, state: _State) -> str:
    kind = _rule_kind(line, position, state)
    if kind in _BEFORE_TITLE:
        return kind
    state.raw_title, state.title = line.text, state.profile.clean_title(line.text)
    return "title"


def _classify(line: Line, position: int, state: _State) -> str | None:
    if state.mode == "comments":
        return "comments"
    kind = _rule_kind(line, position, state)
    if kind is None and state.mode == "related":
        if is_list_item(line.text) or not ends_sentence(line.text):
            return "related"
        state.mode = None
    if kind in COMMENT_KINDS:
        state.mode = "comments"
    elif kind in RELATED_KINDS:
        state.mode = "related"
    return kind


def _rule_kind(line: Line, position: int, state: _State) -> str | None:
    text = line.text
    for rule in state.profile.rules:
        if rule.matches(text):
            return rule.kind
    if notices.is_notice(text):
        _note_translation(text, state)
        return "translation_notice"
    day = dateline_date(text)
    if day is not None:
        state.published = state.published or day
        return "dateline"
    return _people_kind(text, state) or _title_kind(text, position, state) or GENERIC.first_kind(text)


def _note_translation(text: str, state: _State) -> None:
    state.original_language = state.original_language or notices.notice_language(text)
    state.machine_translated = state.machine_translated or notices.notice_is_machine(text)


def _people_kind(text: str, state: _State) -> str | None:
    authors = bylines.byline_authors(text, (*state.profile.bylines, *bylines.GENERIC_BYLINES))
    if authors is not None:
        state.authors.extend(authors)
        return "byline"
    if bylines.repeats_author(text, state.authors):
        return "byline"
    if bylines.is_author_bio(text, state.authors):
        return "author_bio"
    return None


def _title_kind(text: str, position: int, state: _State) -> str | None:
    if position >= TITLE_ZONE or len(text) > TITLE_COMPARE_MAX:
        return None
    for title in {state.title, state.raw_title}:
        if len(title) <= TITLE_COMPARE_MAX and _similar(text, title):
            return "title"
    return None


def _similar(left: str, right: str) -> bool:
    return SequenceMatcher(None, left.casefold(), right.casefold()).ratio() >= TITLE_SIMILARITY


def _paragraphs(lines: list[Line], kinds: dict[int, str]) -> list[list[Line]]:
    paragraphs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.blank or line.index in kinds or (current and not _continues(current[-1], line)):
            if current:
                paragraphs.append(current)
            current = []
        if not line.blank and line.index not in kinds:
            current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _continues(previous: Line, line: Line) -> bool:
    return len(previous.text) >= WRAP_MIN_CHARS and not ends_sentence(previous.text) and not is_list_item(line.text)


def _judge_paragraphs(lines: list[Line], kinds: dict[int, str]) -> list[Segment]:
    body: list[Segment] = []
    for paragraph in _paragraphs(lines, kinds):
        first = paragraph[0]
        if len(paragraph) == 1 and _is_short(first.text):
            kinds[first.index] = "caption" if _next_to_caption(first, lines, kinds) else "heading"
        else:
            body.append(Segment(first.start, paragraph[-1].end))
    return body


def _is_short(text: str) -> bool:
    return word_count(text) <= HEADING_MAX_WORDS and not ends_sentence(text)


def _next_to_caption(line: Line, lines: list[Line], kinds: dict[int, str]) -> bool:
    neighbours = (line.index - 1, line.index + 1)
    return any(0 <= i < len(lines) and kinds.get(i) in _CAPTION_KINDS for i in neighbours)


def _cut_wire_dateline(text: str, body: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    if not body:
        return body, []
    first = body[0]
    match = _WIRE_DATELINE.match(text, first.start, first.end)
    if match is None or match.end() >= first.end:
        return body, []
    lead = Segment(first.start, first.start + len(match.group().rstrip()), "dateline")
    return [Segment(match.end(), first.end), *body[1:]], [lead]
