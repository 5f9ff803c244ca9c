"""Why the rules produced a claim: its cue, its rule ids and how its claimant was resolved.

An :class:`Explanation` is data, one per claim, so that a contributor can check a rule's
work without reading the engine: ``explain(doc)`` returns the claims of
:func:`kzdata.rules.extract` with their explanations, in the same order. The claimant
chain reads left to right, e.g. ``"He" (pronoun) -> last person speaker "Jane Doe" ->
act-jane-doe`` or ``relay "Interfax" -> source "the prosecutor's office" -> act-...``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kzdata.records import ids
from kzdata.rules.actors import Mention

_HOW = {
    "alias": "named by a dictionary alias",
    "person": "a dictionary person's name",
    "fuzzy": "a dictionary name, spelled differently",
    "role": "a role phrase, resolved to its holder on the publication date",
    "generic": "a generic phrase, resolved to the dictionary's default body",
    "anaphor": "a reference back to the last matching actor named in the article",
    "office": "a person's office",
    "collective": "a leader's government",
    "new": "a new actor made from the name (not in the dictionary)",
    "pronoun": "a pronoun, resolved to the last speaker of a compatible kind",
    "carried": "a speaker carried over from an earlier sentence",
    "media": "a named outlet ('state broadcaster X', 'news agency X')",
}


@dataclass(frozen=True, slots=True)
class Explanation:
    """How one claim was found: the cue text, the rules that fired, the claimant chain."""

    claim_id: str
    cue: str
    rules: tuple[str, ...]
    claimant: tuple[str, ...]
    """Steps from the words of the text to the claimant id (or to the outlet)."""
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        """A one-paragraph reading for a terminal."""
        lines = [f"{self.claim_id}: cue {self.cue!r}, rules {' + '.join(self.rules)}"]
        lines.append("  claimant: " + " -> ".join(self.claimant))
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def describe(mention: Mention | None, role: str = "speaker") -> str:
    """One step of a claimant chain: the surface, how it was read, the actor id."""
    if mention is None or mention.name is None:
        return "no named speaker: the outlet's own statement (claimant null)"
    surface = f'"{mention.surface}" ' if mention.surface else ""
    how = _HOW.get(mention.kind, mention.kind)
    return f"{role} {surface}({how}) = {ids.actor_id(mention.name)}"
