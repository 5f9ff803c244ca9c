"""kzdata: a versioned, validated dataset of claims about the January 2022 unrest in Kazakhstan.

Public API (everything else is internal)::

    from kzdata import Source, Actor, Event, Claim, parse_record, iter_records, dumps
"""

from __future__ import annotations

__version__ = "0.1.0"

from kzdata.errors import KzdataError
from kzdata.models import Actor, Claim, Event, Source
from kzdata.records import dumps, iter_records, parse_record

__all__ = [
    "Actor",
    "Claim",
    "Event",
    "KzdataError",
    "Source",
    "__version__",
    "dumps",
    "iter_records",
    "parse_record",
]
