"""Download a published release into a local cache, verified and all-or-nothing.

A release host serves, under one base URL, the release index ``index.json`` and one folder
per release (layout in the README: ``vX.Y.Z/`` with the tables, ``datapackage.json`` and
``SHA256SUMS``). :func:`download` reads the index, resolves ``latest``, fetches every file of
the version with pooch (which streams to a temporary file, checks the SHA-256 and retries
transient failures), cross-checks the index, ``SHA256SUMS`` and ``datapackage.json``, and
only then renames the complete folder into place. A file lock makes two processes that
download the same version at once wait for each other instead of racing.

Where things go: ``dest`` if given, else ``$KZDATA_CACHE``, else the platform cache dir
(``platformdirs.user_cache_path("kzdata")``); the release lands in ``<root>/vX.Y.Z``.
Where they come from: ``base_url`` if given, else ``$KZDATA_BASE_URL``, else
:data:`DEFAULT_BASE_URL`. ``http(s)://``, ``file://`` URLs and plain local paths work.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from filelock import FileLock, Timeout

from kzdata.errors import ChecksumError, FetchError, InputError, UsageError
from kzdata.progress import byte_bar
from kzdata.release import sums
from kzdata.release.folders import publish
from kzdata.release.index import ReleaseEntry, ReleaseIndex, parse_index, version_key
from kzdata.release.layout import INDEX_NAME, PACKAGE_NAME, SEMVER, SUMS_NAME, normalize_version, read_package
from kzdata.remote.transfer import TIMEOUT, fetch_file

DEFAULT_BASE_URL = "https://kzdata.github.io/kzdata/releases/"
"""Where the project intends to publish its releases (``index.json`` + ``vX.Y.Z/`` folders)."""

BASE_URL_ENV = "KZDATA_BASE_URL"
CACHE_ENV = "KZDATA_CACHE"
TIMEOUT_ENV = "KZDATA_TIMEOUT"
LOCK_TIMEOUT = 600.0
"""Seconds a process waits for another one downloading the same version."""

_INDEX_HINT = f"check the base URL (--base-url or ${BASE_URL_ENV}) and your network; cached versions load offline"
_FILE_HINT = "check your network and retry; nothing was kept"
_CACHED_HINT = "run 'kzdata download --force {version}' to fetch it again, or delete {folder}"


# --- public API ---------------------------------------------------------------------------


def download(
    version: str = "latest",
    *,
    base_url: str | None = None,
    dest: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    retries: int = 3,
    timeout: float | None = None,
    force: bool = False,
) -> Path:
    """Download and verify one release; return its local folder (``<cache>/vX.Y.Z``).

    A version already in the cache is checked against its ``SHA256SUMS`` and returned
    without touching the network (``force`` downloads it again); a damaged cached copy is
    downloaded again, and when that fails too the ChecksumError names the damaged file.
    ``latest`` always asks the index which version that is. ``timeout`` (seconds; default
    ``$KZDATA_TIMEOUT`` or 10) bounds the wait for a connection and between two reads; a 4xx
    answer is never retried. ``progress=None`` shows a progress bar only when stderr is a
    terminal. Raises :class:`~kzdata.errors.FetchError` (naming the URL and what it answered)
    when the host cannot be reached or a file is missing, and
    :class:`~kzdata.errors.ChecksumError` (naming the file, the expected and the found
    SHA-256) when a file is corrupt; nothing is left at the final path in either case.
    """
    root = cache_root(dest)
    url = resolve_base_url(base_url)
    wait = resolve_timeout(timeout)
    damaged: ChecksumError | None = None
    if version != "latest" and not force:
        cached, damaged = _cached(root / f"v{normalize_version(version)}")
        if cached is not None:
            return cached
    try:
        entry = _index_for_download(url, root, retries, wait).resolve(version)
        show = sys.stderr.isatty() if progress is None else progress
        _make_cache(root)
        with _locked(root / f".v{entry.version}.lock"):
            cached, _ = (None, None) if force else _cached(root / f"v{entry.version}")
            release_url = urllib.parse.urljoin(url, entry.path)
            return cached or _install(release_url, entry, root, show, retries=retries, timeout=wait)
    except FetchError as error:
        if damaged is None or isinstance(error, ChecksumError):
            raise
        raise ChecksumError(damaged.message, f"{damaged.hint} (downloading it again failed: {error.message})") from None


def resolve_timeout(timeout: float | None = None) -> float:
    """Seconds to wait on the network: ``timeout``, else ``$KZDATA_TIMEOUT``, else the default (10)."""
    if timeout is not None:
        return float(timeout)
    text = os.environ.get(TIMEOUT_ENV)
    if not text:
        return TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise UsageError(f"${TIMEOUT_ENV}={text!r} is not a number of seconds", f"set {TIMEOUT_ENV} to e.g. 10")
    return value


def _make_cache(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise UsageError(f"cannot use {root} as the cache: it is a file", "give a folder with --dest")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot use {root} as the cache: {error.strerror}", "give a folder with --dest") from None


def fetch_index(base_url: str | None = None, *, retries: int = 3, timeout: float = TIMEOUT) -> ReleaseIndex:
    """Read and check the release index ``index.json`` published at ``base_url``."""
    url = resolve_base_url(base_url)
    with tempfile.TemporaryDirectory(prefix="kzdata-index-") as tmp:
        path = fetch_file(url, INDEX_NAME, None, Path(tmp), retries=retries, hint=_INDEX_HINT, timeout=timeout)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise FetchError(f"{url}{INDEX_NAME} is not valid JSON: {error}", "check the base URL") from None
    return parse_index(document, url + INDEX_NAME)


def list_versions(base_url: str | None = None, *, retries: int = 3) -> list[ReleaseEntry]:
    """Every published version, oldest first (``kzdata download --list``)."""
    index = fetch_index(base_url, retries=retries)
    return sorted(index.entries.values(), key=lambda entry: version_key(entry.version))


def cached_versions(dest: str | os.PathLike[str] | None = None) -> list[str]:
    """Versions present in the cache, oldest first (complete folders only)."""
    root = cache_root(dest)
    if not root.is_dir():
        return []
    found = [p.name[1:] for p in root.iterdir() if p.is_dir() and SEMVER.match(p.name) and is_complete(p)]
    return sorted(found, key=version_key)


def is_complete(folder: Path) -> bool:
    """True when ``folder`` holds a finished release (its ``SHA256SUMS`` is written last)."""
    return (folder / SUMS_NAME).is_file()


def verify_checksums(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Hash every file listed in ``folder/SHA256SUMS``; return name -> SHA-256.

    Raises :class:`~kzdata.errors.ChecksumError` naming the first file whose hash differs
    (expected vs found) and :class:`~kzdata.errors.FetchError` when the list or a listed file is missing.
    """
    base = Path(folder)
    hint = _CACHED_HINT.format(version=base.name.removeprefix("v"), folder=base)
    try:
        return sums.check_folder(base, hint=hint, label="the cached copy of ")
    except InputError as error:
        raise FetchError(error.message, error.hint) from None


def cache_root(dest: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``dest``, else ``$KZDATA_CACHE``, else the platform user cache dir."""
    if dest is not None:
        return Path(dest).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    return platformdirs.user_cache_path("kzdata")


def resolve_base_url(base_url: str | None = None) -> str:
    """The release host URL, ending in '/': argument, else ``$KZDATA_BASE_URL``, else the default.

    A plain local path (no URL scheme) becomes a ``file://`` URL.
    """
    url = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    scheme = urllib.parse.urlparse(url).scheme
    if scheme not in {"http", "https", "file"}:
        if len(scheme) > 1:
            raise UsageError(f"unsupported base URL {url!r}", "use an http://, https:// or file:// URL or a local path")
        url = Path(url).expanduser().resolve().as_uri()
    return url if url.endswith("/") else url + "/"


# --- internals ----------------------------------------------------------------------------


def _index_for_download(url: str, root: Path, retries: int, timeout: float) -> ReleaseIndex:
    """The release index; when it cannot be read, the error also names the cached versions."""
    try:
        return fetch_index(url, retries=retries, timeout=timeout)
    except FetchError as error:
        known = cached_versions(root)
        if known:
            error.hint = f"{error.hint}; cached in {root}: {', '.join(known)}"
        raise


def _install(url: str, entry: ReleaseEntry, root: Path, show: bool, *, retries: int, timeout: float) -> Path:
    """Fetch a release into a staging folder beside its final place, verify it, rename it (under the lock)."""
    for stale in root.glob(f".v{entry.version}.tmp-*"):  # left by a killed download
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".v{entry.version}.tmp-", dir=root))
    final = root / f"v{entry.version}"
    try:
        _fetch_release(url, entry, staging, show, retries=retries, timeout=timeout)
        _follow_umask(staging)
        publish(staging, final, replace=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _cached(folder: Path) -> tuple[Path | None, ChecksumError | None]:
    """``(folder, None)`` if it holds a complete, verified release; ``(None, why)`` if a copy there is damaged."""
    if not is_complete(folder):
        return None, None
    try:
        verify_checksums(folder)
    except ChecksumError as error:
        return None, error
    except FetchError:
        return None, None
    return folder, None


def _follow_umask(folder: Path) -> None:
    """Give a staged release the modes the user's umask asks for (temporary files are created 0600/0700)."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)
    for path in folder.iterdir():
        path.chmod(0o666 & ~mask)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = FileLock(str(path), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            yield
    except Timeout:
        raise FetchError(
            f"another process has held {path} for {LOCK_TIMEOUT:.0f} s", "wait for it, or delete the lock file"
        ) from None


def _fetch_release(url: str, entry: ReleaseEntry, staging: Path, show: bool, *, retries: int, timeout: float) -> None:
    """Fetch SHA256SUMS, then every file it and the index list, then cross-check them."""
    with byte_bar(show, f"kzdata v{entry.version}", entry.size) as bar:
        listed = _fetch_sums(url, entry, staging, bar, retries=retries, timeout=timeout)
        wanted = {**{n: h for n, h in entry.files.items() if n != SUMS_NAME}, **listed}
        for name in sorted(wanted):
            fetch_file(url, name, wanted[name], staging, retries=retries, hint=_FILE_HINT, bar=bar, timeout=timeout)
    _check_package(staging, wanted)


def _fetch_sums(
    url: str, entry: ReleaseEntry, staging: Path, bar: Any, *, retries: int, timeout: float
) -> dict[str, str]:
    """Fetch and parse SHA256SUMS; it must agree with the hashes the index publishes."""
    expected = entry.files.get(SUMS_NAME) or None
    fetch_file(url, SUMS_NAME, expected, staging, retries=retries, hint=_FILE_HINT, bar=bar, timeout=timeout)
    try:
        listed = sums.read_sums(staging / SUMS_NAME)
    except InputError as error:
        raise FetchError(error.message, "the release is malformed") from None
    for name, expected in entry.files.items():
        if name != SUMS_NAME and listed.get(name, expected) != expected:
            raise ChecksumError(
                f"{url}: the index and {SUMS_NAME} disagree on {name}: {expected} vs {listed[name]}",
                "the release host is inconsistent; report it to the maintainers",
            )
    return listed


def _check_package(staging: Path, listed: dict[str, str]) -> None:
    """The hashes ``datapackage.json`` gives its resources must agree with SHA256SUMS."""
    try:
        resources = read_package(staging).get("resources", [])
    except InputError as error:
        raise FetchError(error.message, "the release is malformed") from None
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict):
            continue
        name, stated = str(resource.get("path", "")), str(resource.get("hash", ""))
        expected = listed.get(name)
        if expected is not None and stated and stated.removeprefix("sha256:") != expected:
            raise ChecksumError(
                f"{PACKAGE_NAME} gives {name} the hash {stated}, {SUMS_NAME} says {expected}",
                "the release is inconsistent; report it to the maintainers",
            )
