"""The one progress-bar helper: rich bars on stderr on a terminal, nothing when piped or quiet.

- :func:`progress_display` yields a callback ``(step, done, total)`` — the
  :data:`kzdata.build.pipeline.Progress` protocol — that draws one bar per step (``kzdata build``);
- :func:`byte_bar` yields a bar over a number of bytes that downloads advance
  (``kzdata download``, :mod:`kzdata.remote.transfer`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

Callback = Callable[[str, int, int], None]


def _silent(step: str, done: int, total: int) -> None:
    return None


def enabled_by_default() -> bool:
    """True when stderr is an interactive terminal."""
    return sys.stderr.isatty()


@contextmanager
def progress_display(enabled: bool) -> Iterator[Callback]:
    """Yield a progress callback; the bar is cleared when the block ends."""
    if not enabled:
        yield _silent
        return
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        yield update


@contextmanager
def byte_bar(show: bool, label: str, size: int) -> Iterator[Any]:
    """A rich bar over ``size`` bytes on stderr for :func:`kzdata.remote.transfer.fetch_file`; None when quiet."""
    if not show:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(label, total=size or None)
        yield _RichBar(progress, task)


class _RichBar:
    """Advances one rich progress task by the bytes each file download reports."""

    def __init__(self, progress: Any, task: Any) -> None:
        self._progress, self._task = progress, task
        self.total = 0

    def update(self, amount: int) -> None:
        self._progress.advance(self._task, amount)

    def close(self) -> None:
        """Nothing to do per file: the task spans the whole release."""
