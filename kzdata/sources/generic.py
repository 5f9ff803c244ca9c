"""The generic fallback profile: no outlet-specific knowledge, only the generic rules.

Used when no outlet profile recognises the text. Title = first non-empty line; bylines,
datelines, translation notices and boilerplate are found by the general rules of
:mod:`kzdata.sources.boilerplate`, :mod:`kzdata.sources.bylines`,
:mod:`kzdata.sources.datelines` and :mod:`kzdata.sources.notices`.
"""

from __future__ import annotations

from kzdata.sources.profile import Profile

PROFILE = Profile(name="generic")
