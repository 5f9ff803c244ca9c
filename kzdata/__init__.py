"""kzdata: a versioned, validated dataset of claims about the January 2022 unrest in Kazakhstan.

Public API (everything else is internal)::

    from kzdata import Source, Actor, Event, Claim, parse_record, iter_records, dumps
    from kzdata import load, open_dataset      # release tables (imported lazily: pyarrow)
    from kzdata.validate import validate, validate_records  # the checks behind `kzdata validate`
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

from kzdata.errors import KzdataError
from kzdata.records.jsonl import dumps, iter_records, parse_record
from kzdata.records.models import Actor, Claim, Event, Source

_LAZY = {
    "load": "kzdata.remote.load",
    "open_dataset": "kzdata.remote.load",
}
"""Public names resolved on first use, so ``import kzdata`` stays light (no pyarrow)."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kzdata' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Claim",
    "Event",
    "KzdataError",
    "Source",
    "__version__",
    "dumps",
    "iter_records",
    "load",
    "open_dataset",
    "parse_record",
]
