"""What an outlet profile is: detection signals, extra line rules and defaults.

A :class:`Profile` describes a family of pages (an outlet, or a house style shared by
several): the ``signals`` that recognise it in a text (regular expressions searched over
the whole text, multiline), the line :class:`Rule` s it adds before the generic ones, the
byline patterns it adds, how to clean its title, and what it implies about the outlet and
the original language. The layout engine (:mod:`kzdata.sources.layout`) does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """A line rule: a line matching ``pattern`` (searched) is excluded as ``kind``."""

    id: str
    kind: str
    pattern: re.Pattern[str]
    max_words: int | None = None

    def matches(self, text: str) -> bool:
        """True when the (visible part of the) line is what this rule describes."""
        if self.max_words is not None and len(text.split()) > self.max_words:
            return False
        return self.pattern.search(text) is not None


class RuleSet:
    """Rules tried in order, with one combined regex to rule out most lines in a single pass."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        alternatives = [f"(?{'i' if r.pattern.flags & re.IGNORECASE else '-i'}:{r.pattern.pattern})" for r in rules]
        self._any = re.compile("|".join(alternatives) or "(?!)")

    def first_kind(self, text: str) -> str | None:
        """The kind of the first rule that matches ``text``, if any."""
        if self._any.search(text) is None:
            return None
        return next((r.kind for r in self.rules if r.matches(text)), None)


def rule(rule_id: str, kind: str, pattern: str, *, max_words: int | None = None, flags: int = re.IGNORECASE) -> Rule:
    """Build a :class:`Rule` from a pattern string (case-insensitive unless ``flags`` says)."""
    return Rule(rule_id, kind, re.compile(pattern, flags), max_words)


@dataclass(frozen=True, slots=True)
class Profile:
    """An outlet profile; see the module docstring."""

    name: str
    outlet: str | None = None
    signals: tuple[re.Pattern[str], ...] = ()
    min_signals: int = 1
    rules: tuple[Rule, ...] = ()
    bylines: tuple[re.Pattern[str], ...] = ()
    title_suffix: re.Pattern[str] | None = None
    original_language: str | None = None
    notes: str | None = None

    def score(self, text: str) -> int:
        """How many signals match ``text``; 0 when fewer than ``min_signals`` do."""
        matched = sum(1 for signal in self.signals if signal.search(text))
        return matched if self.signals and matched >= self.min_signals else 0

    def clean_title(self, title: str) -> str:
        """The title without the outlet's suffix (' - Outlet'), if the profile has one."""
        if self.title_suffix is None:
            return title
        cleaned = self.title_suffix.sub("", title).strip()
        return cleaned or title


def signal(pattern: str, flags: int = re.MULTILINE) -> re.Pattern[str]:
    """Compile a detection signal (multiline, case-sensitive unless ``flags`` says)."""
    return re.compile(pattern, flags)
