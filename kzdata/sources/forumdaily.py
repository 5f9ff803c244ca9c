"""ForumDaily: Russian-language US outlet publishing Google-translated English versions.

Page shape: title ending in `` - ForumDaily``; a machine-translation notice in English,
Ukrainian and Azerbaijani; the title repeated as a subtitle; body with ``Photo: …`` credits
and ``On the subject: …`` links; an ``As ForumDaily wrote earlier:`` bullet list, a
``Read also on ForumDaily:`` headline list, tag line, subscription and donation pleas, and
a server footer (``1063 requests in 1,128 seconds.``). The notice, link lists, pleas and
footer are found by the generic rules; this profile adds detection, the outlet and its
title suffix, and marks lines promoting ForumDaily's own pages.
"""

from __future__ import annotations

import re

from kzdata.sources.profile import Profile, rule, signal

PROFILE = Profile(
    name="forumdaily",
    outlet="ForumDaily",
    signals=(
        signal(r"\bForumDaily\b"),
        signal(r"\btranslated\b[^\n]*\bGoogle Translate\b"),
        signal(r"^\d[\d,. ]*\s+requests in [\d.,]+ seconds\.?\s*$"),
        signal(r"^Read also on ForumDaily\b"),
    ),
    min_signals=2,
    rules=(
        rule("forumdaily-promo", "related", r"\bon ForumDaily(?: New York)?\s*[.:]?\s*$", max_words=40),
        rule("forumdaily-news-feed", "subscribe", r"^Subscribe to ForumDaily\b"),
    ),
    title_suffix=re.compile(r"\s+[-–—|]\s+ForumDaily\s*$"),
)
