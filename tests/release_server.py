"""A real HTTP release host for tests: stdlib ThreadingHTTPServer on 127.0.0.1, random port.

It serves the files of a folder and can be told, per URL path, to misbehave:

- ``corrupt``: flip one byte of the body (right length, wrong SHA-256);
- ``truncate``: send the first half of the file as if it were all of it;
- ``short``: announce the full Content-Length, send half, close (an interrupted transfer);
- ``404``: answer 404 Not Found;
- ``drop``: close the connection without answering.

- ``stall``: accept the request and say nothing (until the server stops).

``fail(path, mode, times=n)`` misbehaves only for the first ``n`` requests of that path (a
transient failure). ``hold(path, parties=n)`` answers no request of that path until ``n``
requests of it are waiting (to make concurrent clients meet). ``requests`` lists every
path asked for, in order.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType


class ReleaseServer:
    """Serve ``root`` over HTTP until closed; use as a context manager."""

    def __init__(self, root: Path, *, delay: float = 0.0) -> None:
        self._stop_stalling = threading.Event()
        self.root = root
        self.delay = delay
        self.requests: list[str] = []
        self._faults: dict[str, tuple[str, int | None]] = {}
        self._barriers: dict[str, threading.Barrier] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def fail(self, path: str, mode: str, *, times: int | None = None) -> None:
        """Misbehave on ``path`` (relative to the root, e.g. 'v0.1.0/claims.parquet')."""
        self._faults["/" + path.lstrip("/")] = (mode, times)

    def hold(self, path: str, *, parties: int) -> None:
        """Answer requests of ``path`` only once ``parties`` of them are waiting (30 s at most)."""
        self._barriers["/" + path.lstrip("/")] = threading.Barrier(parties, timeout=30)

    def count(self, path: str) -> int:
        """How many times ``path`` was requested."""
        return Counter(self.requests)["/" + path.lstrip("/")]

    def __enter__(self) -> ReleaseServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._stop_stalling.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _fault_for(self, path: str) -> str | None:
        with self._lock:
            self.requests.append(path)
            mode, times = self._faults.get(path, (None, None))
            if mode is not None and times is not None:
                times -= 1
                self._faults[path] = (mode, times) if times > 0 else (None, None)
        return mode

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                """Stay quiet."""

            def do_GET(self) -> None:
                path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
                mode = server._fault_for(path)
                if path in server._barriers:
                    server._barriers[path].wait()
                if server.delay:
                    time.sleep(server.delay)
                file = server.root / path.lstrip("/")
                if mode == "stall":  # accept the request, then say nothing for a long time
                    server._stop_stalling.wait(30)
                    return
                if mode == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode == "404" or not file.is_file():
                    self.send_error(404)
                    return
                body = file.read_bytes()
                announced = len(body)
                if mode == "corrupt":
                    body = body[:-1] + bytes([body[-1] ^ 0xFF])
                elif mode == "truncate":
                    body = body[: len(body) // 2]
                    announced = len(body)
                elif mode == "short":
                    body = body[: len(body) // 2]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(announced))
                self.end_headers()
                self.wfile.write(body)
                if mode == "short":
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)

        return Handler
