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

SUMS_NAME = "SHA256SUMS"
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
