"""Where releases live, and the one resolution of ``VERSION|DIR`` that every command uses.

``kzdata verify``, ``info``, ``diff``, ``validate --against``, ``download`` and ``kzdata.load``
all name a release the same way. :func:`resolve` looks, in this order:

1. a **folder**: the argument is an existing directory → that folder;
2. **``exports/vX.Y.Z``** in a checkout (``exports`` is ``./exports`` unless given);
3. the **bundled** release shipped inside the installed package (``kzdata/bundled/vX.Y.Z``);
4. the **download cache** (``$KZDATA_CACHE`` or the platform cache dir), verified;
5. the **release host** (``$KZDATA_BASE_URL`` or ``--base-url``): downloaded into the cache,
   verified, then used — only when ``download`` is true.

``latest`` (or no version) is the newest version found in any of those places; the host's
index is asked once, with a short timeout and no retries, and an unreachable host is not
an error while another place has a release. When nothing is found, the error says which
places were tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kzdata.errors import ChecksumError, FetchError, UsageError
from kzdata.release.layout import Version, format_version, is_version, parse_version, releases
from kzdata.remote import fetch

LATEST = "latest"
BUNDLED_PACKAGE_DIR = "bundled"
"""Folder inside the installed ``kzdata`` package that holds the bundled release(s)."""
INDEX_TIMEOUT = 5.0
"""Seconds the host's index may take to answer when resolving ``latest``."""


@dataclass(frozen=True)
class Place:
    """One place releases live in, and the versions it holds."""

    name: str
    root: Path | None
    versions: dict[Version, Path]


def bundled_root() -> Path | None:
    """The folder of releases bundled with the installed package, or None."""
    root = Path(str(resources.files("kzdata").joinpath(BUNDLED_PACKAGE_DIR)))
    return root if root.is_dir() else None


def local_places(exports: Path = Path("exports"), *, cache: Path | None = None) -> list[Place]:
    """The places on this machine, in resolution order: exports/, bundled, cache."""
    bundled = bundled_root()
    cache_root = fetch.cache_root(cache)
    return [
        Place("exports", exports, releases(exports)),
        Place("bundled", bundled, releases(bundled) if bundled else {}),
        Place("cache", cache_root, {v: p for v, p in releases(cache_root).items() if fetch.is_complete(p)}),
    ]


def resolve(
    spec: str | Path | None = None,
    *,
    exports: Path = Path("exports"),
    cache: Path | None = None,
    base_url: str | None = None,
    download: bool = True,
) -> Path:
    """The local folder of the release named by ``spec`` (a folder, a version, ``latest`` or None)."""
    text = str(spec) if spec is not None else LATEST
    if spec is not None and Path(text).expanduser().is_dir():
        return Path(text).expanduser()
    if text != LATEST and not is_version(text):
        raise UsageError(f"{text} is neither a folder nor a version", "pass a release folder or a version like 0.1.0")
    places = local_places(exports, cache=cache)
    if text == LATEST:
        return _latest(places, cache=cache, base_url=base_url, download=download)
    wanted = parse_version(text)
    for place in places:
        if wanted in place.versions:
            return _checked(place, place.versions[wanted])
    name = format_version(wanted)
    if not download:
        raise UsageError(f"no release {name} found", f"looked in {_tried(places)}; {_FETCH_HINT}")
    try:
        return fetch.download(name, base_url=base_url, dest=cache)
    except ChecksumError:
        raise
    except FetchError as error:
        raise FetchError(
            f"no release {name} found", f"looked in {_tried(places)} and on the release host ({error}); {_FETCH_HINT}"
        ) from None


_FETCH_HINT = "pass a release folder, or download the release first ('kzdata download VERSION')"


def _tried(places: list[Place]) -> str:
    return ", ".join(f"{p.name} ({p.root})" if p.root else p.name for p in places)


def _latest(places: list[Place], *, cache: Path | None, base_url: str | None, download: bool) -> Path:
    """The newest release of every place; the host is asked once, briefly, when downloading is allowed."""
    local = {version: path for place in reversed(places) for version, path in place.versions.items()}
    remote: Version | None = None
    problem = ""
    if download:
        try:
            latest = fetch.fetch_index(base_url, retries=0, timeout=INDEX_TIMEOUT).latest
            remote = parse_version(latest) if latest else None
        except (FetchError, UsageError) as error:
            problem = f"; the release host: {error.message}"
    newest = max(local) if local else None
    if remote is not None and (newest is None or remote > newest):
        return fetch.download(format_version(remote), base_url=base_url, dest=cache)
    if newest is not None:
        return _preferred(places, newest)
    raise FetchError(
        "no release found",
        f"looked in {_tried(places)}{', the release host' if download else ''}{problem}; {_FETCH_HINT}",
    )


def _preferred(places: list[Place], version: Version) -> Path:
    """The folder of ``version`` from the first place (in resolution order) that has it."""
    place = next(place for place in places if version in place.versions)
    return _checked(place, place.versions[version])


_VERIFIED: set[Path] = set()
"""Bundled and cached folders already checked against their SHA256SUMS in this process."""


def _checked(place: Place, folder: Path) -> Path:
    """``folder``, checked once per process against its ``SHA256SUMS`` when it is bundled or cached.

    A damaged copy raises :class:`~kzdata.errors.ChecksumError` naming the file, the expected
    and the found SHA-256, and how to repair it.
    """
    if place.name in {"bundled", "cache"} and folder not in _VERIFIED:
        fetch.verify_checksums(folder)
        _VERIFIED.add(folder)
    return folder
