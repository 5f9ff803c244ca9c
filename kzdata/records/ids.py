"""Deterministic record ids: the same input always gives the same id, whatever the file order.

- ``src-`` + first 12 hex of the SHA-256 of the article file's bytes;
- ``act-`` + kebab slug of the canonical name (Cyrillic transliterated, accents dropped);
- ``evt-`` + first 16 hex of the SHA-256 of (event type, start date, location name, title);
- ``clm-`` + first 16 hex of the SHA-256 of (source id, span start, span end, predicate);
- ``rel-`` + first 16 hex of the SHA-256 of (claim id, other claim id, relation);
- ``qty-`` + first 16 hex of the SHA-256 of (predicate, scope, unit, as-of day).

The patterns below are enforced by the models and published in the JSON Schemas.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

SOURCE_ID_PATTERN = r"^src-[0-9a-f]{12}$"
ACTOR_ID_PATTERN = r"^act-[a-z0-9]+(?:-[a-z0-9]+)*$"
EVENT_ID_PATTERN = r"^evt-[0-9a-f]{16}$"
CLAIM_ID_PATTERN = r"^clm-[0-9a-f]{16}$"
RELATION_ID_PATTERN = r"^rel-[0-9a-f]{16}$"
QUANTITY_ID_PATTERN = r"^qty-[0-9a-f]{16}$"

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєғқңөұүһә",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "k",
            "n",
            "o",
            "u",
            "u",
            "h",
            "a",
        ],
        strict=True,
    )
)
_SPECIAL = {"ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slugify(name: str) -> str:
    """Kebab-case ASCII slug of a name: 'Kassym-Jomart Tokayev' -> 'kassym-jomart-tokayev'."""
    lowered = name.casefold()
    out: list[str] = []
    for char in lowered:
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char in _SPECIAL:
            out.append(_SPECIAL[char])
        else:
            out.append(char)
    ascii_text = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("-", ascii_text).strip("-")


def source_id(data: bytes) -> str:
    """Id of a source from the exact bytes of its text file."""
    return "src-" + hashlib.sha256(data).hexdigest()[:12]


def actor_id(canonical_name: str) -> str:
    """Id of an actor from its canonical name; raises ValueError if nothing is left to slug."""
    slug = slugify(canonical_name)
    if not slug:
        raise ValueError(f"cannot derive an actor id from {canonical_name!r}: no letters or digits")
    return "act-" + slug


def event_id(event_type: str, start: date | None, location_name: str | None, title: str) -> str:
    """Id of an event from its identifying fields."""
    key = "|".join([str(event_type), start.isoformat() if start else "", location_name or "", title])
    return "evt-" + _sha256_hex(key)[:16]


def claim_id(source: str, start: int, end: int, predicate: str) -> str:
    """Id of a claim from its source id, span and predicate."""
    return claim_id_and_digest(source, start, end, predicate)[0]


def claim_id_and_digest(source: str, start: int, end: int, predicate: str) -> tuple[str, bytes]:
    """The id of a claim and the SHA-256 digest it is cut from (one hash for both).

    The digest identifies the claim's key (source, span, predicate) wherever a compact
    duplicate key is needed (the validator keeps its first 16 bytes).
    """
    digest = hashlib.sha256(f"{source}|{start}|{end}|{predicate}".encode()).digest()
    return "clm-" + digest[:8].hex(), digest


def relation_id(claim: str, other_claim: str, relation: str) -> str:
    """Id of a derived claim relation."""
    return "rel-" + _sha256_hex(f"{claim}|{other_claim}|{relation}")[:16]


def quantity_id(predicate: str, scope: str | None, unit: str, as_of: date) -> str:
    """Id of a derived quantity row: one quantity (predicate, scope, unit) on one day."""
    return "qty-" + _sha256_hex(f"{predicate}|{scope or ''}|{unit}|{as_of.isoformat()}")[:16]
