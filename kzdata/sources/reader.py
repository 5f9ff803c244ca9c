"""Reading an article file: exact bytes and their UTF-8 text, or a clear InputError.

The text is ``bytes.decode("utf-8")`` exactly as stored: nothing is stripped or normalised,
and a byte order mark, if present, stays as character 0 of the text (offsets count it; the
layout engine keeps it out of every segment). Empty, whitespace-only, binary (NUL bytes,
UTF-16) and non-UTF-8 files are refused, as are files over ``MAX_BYTES``. A pipe
(``<(cat f)``, ``/dev/stdin``, a named pipe) is read like a file, up to ``MAX_BYTES``.
"""

from __future__ import annotations

from pathlib import Path

from kzdata.errors import InputError

MAX_BYTES = 16 * 1024 * 1024
_HOW = "give a UTF-8 text file holding the article's text"


def read_article(path: Path) -> tuple[bytes, str]:
    """The file's bytes and text; raises InputError saying what is wrong and how to fix it."""
    data = _read_bytes(path)
    return data, decode_article(data, path)


def decode_article(data: bytes, path: str | Path) -> str:
    """The UTF-8 text of an article's bytes (read from a file or a table); InputError names ``path``."""
    if not data:
        raise InputError(f"{path}: the file is empty", _HOW)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: the file is UTF-16, not UTF-8", "re-save it as UTF-8")
    if b"\x00" in data:
        raise InputError(f"{path}: the file looks binary (it contains NUL bytes)", _HOW)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise InputError(
            f"{path}: not valid UTF-8 (byte 0x{byte:02x} at offset {error.start})", "re-save the file as UTF-8"
        ) from None
    if not text.replace("\ufeff", "").strip():
        raise InputError(f"{path}: the file has no text, only whitespace", _HOW)
    return text


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file", "check the path of the article")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an article file", "give the path of one text file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for an article (limit {MAX_BYTES})", _HOW)
        with path.open("rb") as stream:  # a pipe (<(cat f), /dev/stdin) has no size: read at most the limit
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror})", "check its permissions") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: more than {MAX_BYTES} bytes is too large for an article", _HOW)
    return data
