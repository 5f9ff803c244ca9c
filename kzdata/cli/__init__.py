"""The ``kzdata`` command line: parse → call one library function → render → exit code."""

from kzdata.cli.commands import app, main

__all__ = ["app", "main"]
