"""The Epoch Times: byline, repeated author name and bio, glued dateline, photo labels.

Page shape: title; ``By Jane Doe``; the author's name repeated (avatar alt text and link);
a bio line (``Jane Doe is an Australian based reporter …``); a dateline
``January 10, 2022Updated: January 10, 2022``; body with photos introduced by an
``Epoch Times Photo`` label line (or a person's name) and a caption ending in a bracketed
credit; ``Related Topics`` and tag links at the end. Bylines, bios and datelines are found
by the generic rules; this profile adds detection and the photo label.
"""

from __future__ import annotations

from kzdata.sources.profile import Profile, rule, signal

PROFILE = Profile(
    name="epoch_times",
    outlet="The Epoch Times",
    signals=(
        signal(r"^(?:The )?Epoch Times (?:Photo|Staff)\s*$"),
        signal(r"\d{4}\s*Updated:\s*\w+\.? \d{1,2}, \d{4}\s*$"),
        signal(r"^Related Topics\s*$"),
        signal(r"\bThe Epoch Times\b"),
    ),
    min_signals=2,
    rules=(rule("epoch-times-photo-label", "credit", r"^(?:The )?Epoch Times Photo$"),),
)
