"""Moving one file from a release host to local disk: pooch, HTTP, ``file://``, progress.

:func:`fetch_file` hands pooch a one-file registry (name -> SHA-256) so that pooch streams the
file to a temporary name, checks its hash, retries transient failures and only then moves
it into place; failures become :class:`~kzdata.errors.FetchError` (naming the URL) or
:class:`~kzdata.errors.ChecksumError` (naming the file, expected and actual hash).
The progress bar it advances is :func:`kzdata.progress.byte_bar`.
"""

from __future__ import annotations

import logging
import shutil
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pooch
import requests

from kzdata.errors import ChecksumError, FetchError
from kzdata.release import sums

TIMEOUT = 10.0
"""Default seconds to wait for a connection, and between two reads of a response (``--timeout``,
``$KZDATA_TIMEOUT``)."""
STREAM_CHUNK = 1 << 16
"""Bytes an HTTP response is read and written in."""
Downloader = Callable[..., Any]


def fetch_file(
    url: str,
    name: str,
    sha256: str | None,
    folder: Path,
    *,
    retries: int,
    hint: str,
    bar: Any = None,
    timeout: float = TIMEOUT,
) -> Path:
    """Fetch ``url + name`` into ``folder`` with pooch, checking ``sha256`` and retrying.

    Raises FetchError (with ``hint``) when the transfer fails, ChecksumError when the bytes
    do not have the expected SHA-256; pooch deletes its temporary file in both cases.
    """
    file_url = url + urllib.parse.quote(name)
    seen: dict[str, str] = {}
    fetcher = pooch.create(
        path=folder, base_url=url, registry={name: f"sha256:{sha256}" if sha256 else None}, retry_if_failed=retries
    )
    fetcher.urls[name] = file_url
    try:
        with _quiet_pooch():
            return Path(fetcher.fetch(name, downloader=_hashing(_downloader(file_url, bar, timeout), seen)))
    except _ClientError as error:  # 4xx: asking again would get the same answer
        raise FetchError(f"{file_url} answered HTTP {error.status}", _CLIENT_HINT) from None
    except requests.exceptions.HTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        raise FetchError(f"{file_url} answered HTTP {status}", hint) from None
    except requests.exceptions.RequestException as error:
        raise FetchError(f"cannot download {file_url}: {_reason(error)}", hint) from None
    except ValueError:
        got = seen.get("sha256", "unknown")
        raise ChecksumError(
            f"{name} from {file_url}: SHA-256 mismatch: expected {sha256}, got {got}",
            "the download was corrupt or truncated; nothing was kept. Retry, or report it if it persists",
        ) from None
    except OSError as error:
        raise FetchError(f"cannot read {file_url}: {error.strerror or error}", hint) from None


def _reason(error: requests.exceptions.RequestException) -> str:
    if isinstance(error, requests.exceptions.Timeout):
        return "timed out: the server did not answer in time"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the connection broke mid-transfer (incomplete read)"
    if isinstance(error, requests.exceptions.ConnectionError):
        return "the connection failed or was closed without an answer"
    return type(error).__name__


def _hashing(inner: Downloader, seen: dict[str, str]) -> Downloader:
    """Wrap a pooch downloader to remember the SHA-256 of what it wrote (for error messages)."""

    def download(url: str, output_file: str, pooch: Any, check_only: bool = False) -> Any:
        result = inner(url, output_file, pooch)
        seen["sha256"] = sums.digest(Path(output_file)).sha256
        return result

    return download


def _downloader(url: str, bar: Any, timeout: float) -> Downloader:
    if urllib.parse.urlparse(url).scheme == "file":
        return _copy_file
    return _HttpDownloader(bar, timeout)


class _ClientError(Exception):
    """A 4xx answer. Not a ``requests`` error, so that pooch does not retry it."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


_CLIENT_HINT = "the host does not serve this file: check the base URL and the version (4xx errors are not retried)"


class _HttpDownloader:
    """pooch's HTTP downloader protocol, closing the connection even when a transfer breaks.

    (``pooch.HTTPDownloader`` leaves a broken streamed response to the garbage collector.)
    """

    def __init__(self, bar: Any, timeout: float) -> None:
        self.bar = bar
        self.timeout = timeout

    def __call__(self, url: str, output_file: str, pooch: Any, check_only: bool = False) -> None:
        with requests.get(url, stream=True, timeout=self.timeout) as response, open(output_file, "wb") as out:
            if 400 <= response.status_code < 500:
                raise _ClientError(response.status_code)
            response.raise_for_status()
            if self.bar is not None:
                self.bar.total = int(response.headers.get("content-length", 0))
            for chunk in response.iter_content(chunk_size=STREAM_CHUNK):
                out.write(chunk)
                if self.bar is not None:
                    self.bar.update(len(chunk))
        if self.bar is not None:
            self.bar.close()


def _copy_file(url: str, output_file: str, pooch: Any, check_only: bool = False) -> None:
    """A pooch downloader for ``file://`` URLs."""
    path = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
    shutil.copyfile(path, output_file)


@contextmanager
def _quiet_pooch() -> Iterator[None]:
    """pooch logs every download at INFO to stderr; kzdata shows its own progress instead."""
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
