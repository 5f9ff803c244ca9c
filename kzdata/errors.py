"""The one exception family of kzdata: problems with the tool or its use, never with the data.

Problems found *in the data* are values (``kzdata.validate`` Issues). Problems that stop a
command are exceptions, all derived from :class:`KzdataError` and caught in one place by
the CLI, which prints ``Error: what happened — how to fix it`` and exits 2::

    KzdataError                 anything kzdata raises on purpose (exit 2)
    ├── UsageError              an option, argument or path is wrong
    ├── InputError              an input file cannot be read or parsed at all
    │   └── RecordError         a record stream line is not a valid record (has file, line)
    ├── FetchError              a release could not be downloaded (names the URL tried)
    │   └── ChecksumError       a file's SHA-256 differs from the published one (exit 1)
    ├── SchemaDriftError        schema/ differs from what the models generate (exit 1)
    └── DataError               the data is invalid and the command cannot go on (exit 1)
"""

from __future__ import annotations


class KzdataError(Exception):
    """Base of every error kzdata raises on purpose; ``hint`` says how to fix it."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(KzdataError):
    """The tool was used wrongly: a bad option, argument or path."""


class InputError(KzdataError):
    """An input could not be read or parsed at all."""


class RecordError(InputError):
    """A line of a record stream is not a valid record."""

    def __init__(self, message: str, hint: str | None = None, *, file: str = "<stream>", line: int = 0) -> None:
        super().__init__(f"{file}:{line}: {message}", hint)
        self.file = file
        self.line = line


class FetchError(KzdataError):
    """A release, its index or one of its files could not be downloaded."""


class ChecksumError(FetchError):
    """A downloaded or cached file does not have the SHA-256 its release publishes."""

    exit_code = 1


class DataError(KzdataError):
    """The data is invalid and the command cannot go on."""

    exit_code = 1


class SchemaDriftError(DataError):
    """schema/ is out of date with the models."""
