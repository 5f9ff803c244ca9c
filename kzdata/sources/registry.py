"""The registry of outlet profiles and profile detection.

Profiles are tried in order; the one whose signals match most wins (ties go to the earlier
one). When none is recognised, the generic fallback is used.
"""

from __future__ import annotations

from kzdata.sources import ap_wire, epoch_times, forumdaily, generic, korean_wire
from kzdata.sources.profile import Profile

PROFILES: tuple[Profile, ...] = (epoch_times.PROFILE, forumdaily.PROFILE, korean_wire.PROFILE, ap_wire.PROFILE)
GENERIC = generic.PROFILE


def detect(text: str) -> Profile:
    """The profile that recognises ``text`` best, or the generic fallback."""
    best, best_score = GENERIC, 0
    for profile in PROFILES:
        score = profile.score(text)
        if score > best_score:
            best, best_score = profile, score
    return best


def by_name(name: str) -> Profile:
    """The profile called ``name`` (``generic`` included); KeyError if there is none."""
    for profile in (*PROFILES, GENERIC):
        if profile.name == name:
            return profile
    raise KeyError(name)
