"""A claim in its article: find the source text, dim its boilerplate, mark the quote — all escaped.

A Source record carries the path of its text (``seeds/articles/x.txt``) and the SHA-256 of
its bytes. :func:`find_text` looks for that file under the ``--texts`` folders (the path as
recorded, then its bare file name), then in the checkout a release folder sits in, then under
the working directory, and accepts it only when its hash matches: span offsets mean nothing in
another text. :func:`article_html` renders the text as HTML: every character escaped (the
text is untrusted), the excluded segments of the outlet parser (:func:`kzdata.sources.parse`)
in ``<span class="boilerplate">``, the quote in one ``<mark>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from kzdata.errors import KzdataError
from kzdata.sources import parse
from kzdata.sources.document import Segment


@dataclass(frozen=True)
class Article:
    """The article of a claim as the page shows it: HTML when the text is at hand, else why not."""

    expected: str
    """The path the source record gives for its text."""
    found: Path | None = None
    html: str | None = None
    """The whole text, escaped, boilerplate dimmed, the quote marked; None when not at hand."""
    problem: str | None = None
    """Why the text is not shown, or why the mark may be off."""


def places(path: str, texts: Sequence[Path], release: Path | None, cwd: Path | None = None) -> list[Path]:
    """Where the text of a source with this recorded path may be, in the order they are tried."""
    relative = Path(path)
    found = [p for folder in texts for p in (folder / relative, folder / relative.name)]
    if release is not None:
        found += [parent / relative for parent in Path(release).resolve().parents]
    found.append((cwd or Path.cwd()) / relative)
    return list(dict.fromkeys(found))


def find_text(candidates: Sequence[Path], sha256: str) -> tuple[Path | None, str | None]:
    """The first candidate file whose bytes have this SHA-256, else (None, what was found instead)."""
    other = None
    for candidate in candidates:
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == sha256:
            return candidate, None
        other = other or f"{candidate} is not the text of this source (its SHA-256 differs)"
    return None, other


def _dimmed(text: str, excluded: Sequence[Segment], start: int, end: int) -> str:
    """``text[start:end]`` escaped, the parts inside excluded segments wrapped as boilerplate."""
    out, position = [], start
    for segment in excluded:
        a, b = max(segment.start, start), min(segment.end, end)
        if a >= b:
            continue
        out.append(escape(text[position:a]))
        kind = escape(segment.kind)
        out.append(f'<span class="boilerplate" title="{kind} (not read by the rules)">{escape(text[a:b])}</span>')
        position = b
    out.append(escape(text[position:end]))
    return "".join(out)


def article_html(text: str, excluded: Sequence[Segment], start: int, end: int) -> str:
    """The text as HTML with the boilerplate dimmed and ``text[start:end]`` in one ``<mark>``."""
    ordered = sorted(excluded, key=lambda s: (s.start, s.end))
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return (
        _dimmed(text, ordered, 0, start)
        + '<mark id="quote">'
        + _dimmed(text, ordered, start, end)
        + "</mark>"
        + _dimmed(text, ordered, end, len(text))
    )


def _excluded(path: Path) -> tuple[Segment, ...]:
    try:
        return parse(path).excluded
    except KzdataError:
        return ()


def load_article(
    path: str, sha256: str, span: tuple[int, int], quote: str, *, texts: Sequence[Path], release: Path | None
) -> Article:
    """The article of one claim: found by :func:`find_text`, rendered by :func:`article_html`."""
    found, problem = find_text(places(path, texts, release), sha256)
    if found is None:
        return Article(path, problem=problem)
    text = found.read_bytes().decode("utf-8", errors="replace")
    start, end = span
    if text[start:end] != quote:
        problem = f"the text at {start}–{end} is not the quote; the mark may be off"
    return Article(path, found, article_html(text, _excluded(found), start, end), problem)
