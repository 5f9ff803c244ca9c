"""Associated Press wire copy as republished by other sites.

Recognised by AP photo credits closing captions, ``(Jane Doe/AP)``; British republishers
add ``Mr``/``Mrs`` honorifics to names. The republishing outlet is seldom named in the text,
so the profile names no outlet (``seeds/sources.toml`` or ``--outlet`` can). Captions and the
``CITY (AP) —`` lead dateline are handled by the generic rules and the layout engine.
"""

from __future__ import annotations

from kzdata.sources.profile import Profile, signal

PROFILE = Profile(
    name="ap_wire",
    signals=(
        signal(r"\([A-Z][^()/\n]{1,60}/AP(?: Photo)?\)\s*$|\(AP Photo/[^()\n]{1,60}\)\s*$"),
        signal(r"^[A-Z][A-Z .'’-]+(?:, [A-Z][\w .]+)? \(AP\) [—–-]"),
    ),
    notes="AP wire copy (AP photo credits); the republishing outlet is not named in the text.",
)
