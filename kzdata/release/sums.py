"""SHA-256 of files, read in chunks, and the ``SHA256SUMS`` file of a release.

``SHA256SUMS`` has one line per file, ``"<64 hex>  <file name>\\n"``, sorted by name, in the
format of GNU ``sha256sum`` (so ``sha256sum -c SHA256SUMS`` checks a release too).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kzdata.errors import ChecksumError, InputError
from kzdata.release.layout import SUMS_NAME

CHUNK = 1 << 20
_LINE = re.compile(r"^([0-9a-f]{64})  ([^/\\\n]+)$")


@dataclass(frozen=True)
class FileDigest:
    """The size and SHA-256 of one file."""

    name: str
    bytes: int
    sha256: str


def digest(path: Path) -> FileDigest:
    """Size and SHA-256 of a file, hashed in 1 MiB chunks."""
    hasher = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return FileDigest(path.name, size, hasher.hexdigest())


def digest_all(directory: Path, names: Iterable[str]) -> dict[str, FileDigest]:
    """Digests of the named files of a directory, by name."""
    return {name: digest(directory / name) for name in sorted(names)}


def render_sums(digests: Mapping[str, FileDigest]) -> str:
    """Text of a ``SHA256SUMS`` file for the given digests, sorted by file name."""
    return "".join(f"{digests[name].sha256}  {name}\n" for name in sorted(digests))


@dataclass(frozen=True)
class SumsLine:
    """One parsed line of ``SHA256SUMS``; ``name`` is None when the line is malformed."""

    number: int
    text: str
    sha256: str | None
    name: str | None


def parse_sums(text: str) -> list[SumsLine]:
    """Parse ``SHA256SUMS`` text; malformed lines and path names (``.``, ``..``, ``a/b``) get ``name=None``."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        match = _LINE.match(line)
        if match and match.group(2) not in {".", ".."}:
            out.append(SumsLine(number, line, match.group(1), match.group(2)))
        else:
            out.append(SumsLine(number, line, None, None))
    return out


def read_sums(path: Path) -> dict[str, str]:
    """Parse a ``SHA256SUMS`` file into name → hex; InputError names a missing file or a malformed line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}", "download or rebuild the release") from None
    sums: dict[str, str] = {}
    for line in parse_sums(text):
        if line.name is None or line.sha256 is None:
            raise InputError(f"{path}:{line.number}: not a '<sha256>  <file>' line", "the release is malformed")
        sums[line.name] = line.sha256
    return sums


def mismatch(actual: FileDigest, sha256: str | None, size: int | None = None) -> tuple[str, str, str] | None:
    """The one comparison of a file with what a document says of it.

    ``None`` when it agrees (a ``None`` expectation agrees with anything), else
    ``(what, expected, found)`` with ``what`` ``'sha256'`` or ``'size'``.
    """
    if sha256 is not None and sha256 != actual.sha256:
        return "sha256", sha256, actual.sha256
    if size is not None and size != actual.bytes:
        return "size", str(size), str(actual.bytes)
    return None


def check_file(path: Path, sha256: str, *, hint: str, label: str = "") -> FileDigest:
    """Hash ``path`` and compare it with ``sha256``; ChecksumError (expected / found / ``hint``) if they differ.

    ``label`` prefixes the path in the message (e.g. ``"the cached copy of "``).
    """
    actual = digest(path)
    differs = mismatch(actual, sha256)
    if differs:
        _, expected, found = differs
        raise ChecksumError(f"{label}{path} failed its checksum: expected SHA-256 {expected}, found {found}", hint)
    return actual


def check_folder(folder: Path, *, hint: str, label: str = "") -> dict[str, str]:
    """Check every file listed in ``folder/SHA256SUMS``; return name → SHA-256.

    Raises InputError when the list or a listed file is missing, ChecksumError naming the
    first file whose hash differs.
    """
    listed = read_sums(folder / SUMS_NAME)
    for name, expected in listed.items():
        path = folder / name
        if not path.is_file():
            raise InputError(f"{path} is missing", f"it is listed in {folder / SUMS_NAME}; {hint}")
        check_file(path, expected, hint=hint, label=label)
    return listed
