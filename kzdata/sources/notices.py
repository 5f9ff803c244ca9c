"""Translation notices: lines saying the text was translated, from what, and by whom.

Sites that publish machine translations usually say so in a line such as "The article has
been automatically translated into English by Google Translate from Russian", often
repeated in other languages. Any line naming a translation service or saying "automatically
/ machine translated" is a machine-translation notice. A short line that starts by saying
the text was "translated from <language>" or "originally published in <language>" is a
(human) translation notice. The first notice naming a source language in English ("from
Russian", "in Kazakh") gives the original language.
"""

from __future__ import annotations

import re

LANGUAGES = {
    "Arabic": "ar", "Armenian": "hy", "Azerbaijani": "az", "Belarusian": "be", "Chinese": "zh",
    "English": "en", "French": "fr", "Georgian": "ka", "German": "de", "Hebrew": "he",
    "Italian": "it", "Japanese": "ja", "Kazakh": "kk", "Korean": "ko", "Kyrgyz": "ky",
    "Persian": "fa", "Polish": "pl", "Portuguese": "pt", "Russian": "ru", "Spanish": "es",
    "Tajik": "tg", "Turkish": "tr", "Turkmen": "tk", "Ukrainian": "uk", "Uzbek": "uz",
}  # fmt: skip
_LANGUAGE = "|".join(LANGUAGES)
MACHINE_NOTICE = re.compile(
    r"\b(?:google translate|deepl|yandex[ .]translate|machine[- ]translat\w*|automatically translated|"
    r"translated automatically|automatic(?:ally)? translation|auto-translated)\b",
    re.IGNORECASE,
)
HUMAN_NOTICE = re.compile(
    r"^[(\[*]?(?:this (?:article|story|text|interview|report) (?:was|has been|is) )?"
    rf"(?:translated from|originally (?:published|written) in|translated by [^.]{{1,40}} from)\s+(?:{_LANGUAGE})\b",
    re.IGNORECASE,
)
_NAMED = (re.compile(rf"\bfrom\s+(?P<language>{_LANGUAGE})\b"), re.compile(rf"\bin\s+(?P<language>{_LANGUAGE})\b"))
_MARKERS = ("transl", "deepl", "originally")  # every notice pattern contains one of these
MAX_WORDS = 60
HUMAN_MAX_WORDS = 30


def is_notice(text: str) -> bool:
    """True for a translation notice line (machine or human)."""
    folded = text.casefold()
    if not any(marker in folded for marker in _MARKERS):
        return False
    words = len(text.split())
    if words <= MAX_WORDS and MACHINE_NOTICE.search(text):
        return True
    return words <= HUMAN_MAX_WORDS and bool(HUMAN_NOTICE.match(text))


def notice_language(text: str) -> str | None:
    """ISO 639-1 code of the language a notice says the text was translated from."""
    for pattern in _NAMED:
        match = pattern.search(text)
        if match:
            return LANGUAGES[match["language"]]
    return None


def notice_is_machine(text: str) -> bool:
    """True when the notice says the translation was made by a machine."""
    return bool(MACHINE_NOTICE.search(text))
