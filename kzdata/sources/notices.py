"""Translation notices: lines saying the text was (machine-)translated, and from what.

Sites that publish machine translations usually say so in a line such as "The article has
been automatically translated into English by Google Translate from Russian", often
repeated in other languages. Any line naming a translation service or saying "automatically
/ machine translated" is a notice; the first notice that names a source language in
English ("from Russian") gives the original language.
"""

from __future__ import annotations

import re

NOTICE = re.compile(
    r"\b(?:google translate|deepl|yandex[ .]translate|machine[- ]translat\w*|automatically translated|"
    r"translated automatically|automatic(?:ally)? translation|auto-translated)\b",
    re.IGNORECASE,
)
_MACHINE = re.compile(r"\b(?:google translate|deepl|yandex|machine|automatic\w*|auto-translated)\b", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?P<language>[A-Z][a-z]+)\b")
LANGUAGES = {
    "Arabic": "ar", "Armenian": "hy", "Azerbaijani": "az", "Belarusian": "be", "Chinese": "zh",
    "English": "en", "French": "fr", "Georgian": "ka", "German": "de", "Hebrew": "he",
    "Italian": "it", "Japanese": "ja", "Kazakh": "kk", "Korean": "ko", "Kyrgyz": "ky",
    "Persian": "fa", "Polish": "pl", "Portuguese": "pt", "Russian": "ru", "Spanish": "es",
    "Tajik": "tg", "Turkish": "tr", "Turkmen": "tk", "Ukrainian": "uk", "Uzbek": "uz",
}  # fmt: skip
MAX_WORDS = 60


def is_notice(text: str) -> bool:
    """True for a translation notice line."""
    return len(text.split()) <= MAX_WORDS and bool(NOTICE.search(text))


def notice_language(text: str) -> str | None:
    """ISO 639-1 code of the language a notice says the text was translated from."""
    for match in _FROM.finditer(text):
        code = LANGUAGES.get(match["language"])
        if code:
            return code
    return None


def notice_is_machine(text: str) -> bool:
    """True when the notice says the translation was made by a machine."""
    return bool(_MACHINE.search(text))
