"""English versions of Korean newspaper articles: ``City = Agency`` photo credits.

Korean papers credit photos at the end of the caption as ``Almaty = AFP Yonhap News``
(place = agency) and sign articles with the name followed by the word reporter
(``Youngbin Cho reporter``, from "… 기자"), a word order that survives translation. When
these conventions appear in English text, the article was written in Korean. Pages hosted
on WordPress end with a ``Leave a Reply`` comment form (generic rule).
"""

from __future__ import annotations

import re

from kzdata.sources.profile import Profile, rule, signal

_CREDIT = r"\b[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)? ?= ?(?:[A-Z][\w-]* ){0,3}(?:Yonhap|Newsis|News1|News)(?: Agency)?\.?\s*$"

PROFILE = Profile(
    name="korean_wire",
    signals=(
        signal(_CREDIT),
        signal(r"^[A-Z][a-z]+(?:[- ][A-Z][a-z]+){1,2} (?:reporter|correspondent)\s*$"),
    ),
    rules=(rule("korean-place-agency-credit", "caption", _CREDIT, flags=0),),
    bylines=(re.compile(r"^(?P<authors>[A-Z][a-z]+(?:[- ][A-Z][a-z]+){1,2})\s+(?:reporter|correspondent)$"),),
    original_language="ko",
)
