"""The Source record of a parsed article."""

from __future__ import annotations

from pydantic import ValidationError

from kzdata.errors import InputError
from kzdata.records.jsonl import describe
from kzdata.records.models import Source
from kzdata.sources.document import Document


def to_source(document: Document) -> Source:
    """The :class:`~kzdata.records.models.Source` record describing ``document``; InputError if invalid."""
    try:
        return Source(
            record_type="source",
            id=document.source_id,
            title=document.title,
            outlet=document.outlet,
            authors=list(document.authors),
            published=document.published,
            published_basis=document.published_basis,
            language=document.language,
            original_language=document.original_language,
            machine_translated=document.machine_translated,
            url=document.url,
            path=document.path,
            sha256=document.sha256,
            length=len(document.text),
            notes=document.notes,
        )
    except ValidationError as error:
        raise InputError(
            f"{document.path}: cannot describe the article as a Source record: {describe(error)}",
            "fix the metadata given in sources.toml or on the command line",
        ) from None
