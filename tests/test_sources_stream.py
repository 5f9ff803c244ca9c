"""kzdata.sources.reader on pipes: an article given as <(cat f), /dev/stdin or a named pipe."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kzdata.errors import InputError
from kzdata.sources import reader

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")


def _pipe(tmp_path: Path, data: bytes) -> tuple[Path, threading.Thread]:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with fifo.open("wb") as stream:
                stream.write(data)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return fifo, writer


def test_an_article_is_read_from_a_named_pipe(tmp_path: Path) -> None:
    fifo, writer = _pipe(tmp_path, b"Almaty, 6 January. Text.\n")
    data, text = reader.read_article(fifo)
    writer.join(5)
    assert text == "Almaty, 6 January. Text.\n" and data == text.encode()


def test_a_pipe_over_the_size_limit_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    fifo, writer = _pipe(tmp_path, b"word " * 1000)
    with pytest.raises(InputError, match="too large"):
        reader.read_article(fifo)
    writer.join(5)
