"""Provenance: find a source's text file, check its hash and length, and check quotes.

Where the text of a Source is looked for (first match wins):

1. ``--texts DIR`` / ``path``, then ``--texts DIR`` / the file name of ``path``;
2. the directory of the records file / ``path``, then each ancestor directory of the
   records file / ``path`` (so ``path = "seeds/articles/000_x.txt"`` is found from
   ``seeds/curated/records.jsonl`` in a checkout, and ``"../articles/000_x.txt"`` too).

For records read from stdin the current directory stands for the records file's directory.
Offsets are Python ``str`` indices into the text decoded as UTF-8 (the file's bytes are
hashed as they are; nothing is normalised).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kzdata.records import ids
from kzdata.records.models import Source
from kzdata.validate.parse import Finding


@dataclass(slots=True)
class SourceText:
    """What the checks need of a source: its publication date and, if found, its text."""

    published: date | None
    text: str | None
    path: str
    base: Path | None
    loaded: bool = False
    reported_missing: bool = False
    published_day: int = field(init=False)
    """Day ordinal of ``published`` (0 when unknown), for cheap comparisons."""

    def __post_init__(self) -> None:
        self.published_day = self.published.toordinal() if self.published is not None else 0


@dataclass(slots=True)
class TextFinder:
    """Locates source text files by the rules in the module docstring."""

    texts_dir: Path | None = None
    tried: list[Path] = field(default_factory=list)

    def candidates(self, path: str, base: Path | None) -> list[Path]:
        out: list[Path] = []
        if self.texts_dir is not None:
            out += [self.texts_dir / path, self.texts_dir / Path(path).name]
        if base is not None:
            base = base.resolve()
            out += [directory / path for directory in (base, *base.parents)]
        return out

    def find(self, path: str, base: Path | None) -> Path | None:
        for candidate in self.candidates(path, base):
            try:
                if candidate.is_file():
                    return candidate
            except OSError:
                continue
        return None


def check_source_text(source: Source, found: Path | None) -> tuple[str | None, list[Finding]]:
    """The decoded text of a source (or None) and the findings of its provenance checks."""
    if found is None:
        return None, [
            (
                "KZ305",
                "/path",
                f"text file {source.path!r} not found next to the records file or its parent directories — "
                "put it there or pass --texts DIR; quotes of this source were not checked",
            )
        ]
    data = found.read_bytes()
    out: list[Finding] = []
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        out.append(
            (
                "KZ303",
                "/sha256",
                f"sha256 of {found} is {digest}, the record says {source.sha256} — "
                "the text changed or the wrong file is referenced; update sha256 (and id) if the text is right",
            )
        )
    expected = ids.source_id(data)
    if source.id != expected:
        out.append(
            ("KZ605", "/id", f"id {source.id!r} is not derived from the text's bytes; expected {expected!r} — use it")
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [*out, ("KZ308", "/path", f"{found} is not UTF-8 (byte {error.start}) — store the text as UTF-8")]
    if len(text) != source.length:
        out.append(
            (
                "KZ304",
                "/length",
                f"the text has {len(text)} characters, the record says {source.length} — set length to {len(text)}",
            )
        )
    return text, out


def check_quote(quote: str, start: int, end: int, text: str) -> list[Finding]:
    """The quote must equal the text at [start, end) (Python str indices)."""
    if end > len(text):
        return [
            (
                "KZ302",
                "/span/end",
                f"span end {end} is past the end of the source text ({len(text)} characters) — fix the span",
            )
        ]
    found = text[start:end]
    if found == quote:
        return []
    elsewhere = text.find(quote)
    hint = (
        f"the quote occurs at [{elsewhere}, {elsewhere + len(quote)})"
        if elsewhere >= 0
        else "copy the quote from the text"
    )
    return [
        (
            "KZ301",
            "/quote",
            f"quote differs from the source text at [{start}, {end}): "
            f"expected {_clip(quote)}, found {_clip(found)} — {hint}",
        )
    ]


def _clip(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")
