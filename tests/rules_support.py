"""Helpers for the rule tests: build a Document from plain text, read the case files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kzdata.records import ids
from kzdata.sources.document import Document, Segment

RULES_DATA = Path(__file__).parent / "data" / "rules"


def document(
    text: str, published: date | None = date(2022, 1, 12), body: tuple[Segment, ...] | None = None
) -> Document:
    """A Document whose whole text is body (or the given body segments)."""
    data = text.encode("utf-8", "surrogatepass")
    return Document(
        text=text,
        path="article.txt",
        sha256="0" * 64,
        source_id=ids.source_id(data),
        outlet="test",
        profile="generic",
        title="test",
        published=published,
        body=body if body is not None else (Segment(0, len(text)),),
    )


def cases(name: str) -> dict[str, Any]:
    """A case file of tests/data/rules/."""
    loaded: dict[str, Any] = yaml.safe_load((RULES_DATA / name).read_text(encoding="utf-8"))
    return loaded
