"""A progress display for long commands: a rich bar on a terminal, nothing when piped.

``progress_display(enabled)`` yields a callback ``(step, done, total)`` — the
:data:`kzdata.build.pipeline.Progress` protocol — that draws one bar per step on stderr, or does
nothing when ``enabled`` is false (stderr not a terminal, ``--quiet``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

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
