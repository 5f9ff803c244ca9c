"""Rule-based extraction of Claims and Actors from a parsed article.

The engine is small and generic; the rules are data files in ``kzdata/rules/data/`` that a
domain expert can read and extend without reading Python:

- ``quantities.yaml``  number words, multipliers, qualifiers, vague amounts, reject cues
- ``predicates.yaml``  head nouns, numeric rules (``num.*``) and statement rules (``stmt.*``)
- ``attribution.yaml`` speech verbs, "according to", "citing" (``attr.*``)
- ``dates.yaml``       month and weekday names, relative date phrases
- ``places.yaml``      places that narrow the scope of a figure
- ``actors.yaml``      the actor dictionary: canonical names, aliases, roles with dates
- ``text.yaml``        abbreviations whose period does not end a sentence

Public API: :func:`extract`, and :func:`explain` for the same claims with an
:class:`Explanation` each: the cue, the rule ids, and the claimant chain (a relay and the
source it cites, a pronoun and the speaker it refers back to, a generic phrase and the body
it stands for), plus notes (retracted, carried from the sentence before). Both read the
body only; ``title=True`` also reads the headline's figures ("Officials say 90 dead",
"90 killed — ministry"), which the gold sets and releases do not annotate yet.
"""

from __future__ import annotations

from kzdata.rules.engine import explain, extract
from kzdata.rules.explain import Explanation

__all__ = ["Explanation", "explain", "extract"]
