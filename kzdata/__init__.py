"""kzdata: a versioned, validated dataset of claims about the January 2022 unrest in Kazakhstan.

Public API (everything else is internal)::

    from kzdata import Source, Actor, Event, Claim, parse_record, iter_records, dumps
    from kzdata import load, open_dataset      # release tables (imported lazily: pyarrow)
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

from kzdata.errors import KzdataError
from kzdata.models import Actor, Claim, Event, Source
from kzdata.records import dumps, iter_records, parse_record

_LAZY = {"load": "kzdata.load", "open_dataset": "kzdata.load"}
"""Public names whose modules import pyarrow; resolved on first use so ``import kzdata`` stays light."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kzdata' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Keeps ``kzdata.load`` the function: importing the submodule kzdata.load would otherwise
    make the package attribute ``load`` that module (the import system sets it after loading)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
