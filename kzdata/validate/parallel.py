"""Scan the ranges of a file in worker processes, handing the chunks back in file order.

Used when ``--jobs`` is above 1 and a file is large enough to pay for the workers
(:data:`PARALLEL_MIN_BYTES`); otherwise the ranges are scanned in this process. At most
two ranges per worker are in flight, so memory stays bounded whatever the file size and
however far the workers run ahead of the ledger. Workers are forked where the platform
allows it (they inherit the loaded models; nothing is imported again), else spawned.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

from kzdata.validate.scan import Chunk, Task, scan_range, scan_range_packed, unpack

PARALLEL_MIN_BYTES = 4 * 1024 * 1024
"""Files smaller than this are scanned in-process: starting workers would cost more than it saves."""
IN_FLIGHT_PER_JOB = 2
GC_THRESHOLD = 100_000
T = TypeVar("T")
R = TypeVar("R")
_DONE: Any = object()
"""Allocations between two young-generation collections while scanning (Python's default: 700)."""


@contextmanager
def fewer_collections(threshold: int = GC_THRESHOLD) -> Iterator[None]:
    """Run the cyclic garbage collector less often (restored on exit).

    Scanning allocates a few containers per line and frees them by reference counting
    (records hold no cycles), while the ledger's dicts keep growing; with the default
    threshold the collector would walk them every few hundred lines. Forked workers
    inherit the setting.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], threshold), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def in_background(function: Callable[..., R], *args: Any, **kwargs: Any) -> Iterator[Callable[[], R]]:
    """Start ``function(*args, **kwargs)`` in one more process; the block gets a function that waits for its result.

    The wait re-raises the function's error (a RuntimeError when the process died without one). Leaving the
    block stops the process if it is still running (e.g. when this one failed meanwhile). ``function`` must be a
    module-level function; its result and error must pickle.
    """
    context = process_context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_report, args=(send, function, args, kwargs), daemon=True)  # type: ignore[attr-defined]
    process.start()
    send.close()

    def result() -> R:
        try:
            ok, value = receive.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"{function.__name__} stopped (exit code {process.exitcode})") from None
        process.join()
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    try:
        yield result
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()


def _report(send: Any, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        outcome = (True, function(*args, **kwargs))
    except BaseException as error:
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as error:
        send.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({error})")))
    send.close()


def process_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform allows it (workers inherit the loaded models and rules), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunks(tasks: list[Task], jobs: int) -> Iterator[Chunk]:
    """The chunk of every task, in the order of ``tasks``, using up to ``jobs`` processes."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(scan_range, tasks)
        return
    yield from map(unpack, ordered_map(scan_range_packed, tasks, min(jobs, len(tasks))))


def ordered_map(function: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """``map(function, tasks)`` in up to ``jobs`` worker processes, results in the order of ``tasks``.

    At most :data:`IN_FLIGHT_PER_JOB` tasks per worker are pending, so a slow consumer bounds
    the memory held by results waiting for it. ``function`` must be a module-level function.
    """
    if jobs <= 1:
        yield from map(function, tasks)
        return
    with process_context().Pool(jobs) as pool:
        pending: deque[AsyncResult[R]] = deque()
        try:
            queue = iter(tasks)
            for task in queue:
                pending.append(pool.apply_async(function, (task,)))
                if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    break
            while pending:
                result = pending.popleft().get()
                task_or_none = next(queue, _DONE)
                if task_or_none is not _DONE:
                    pending.append(pool.apply_async(function, (task_or_none,)))
                yield result
        finally:
            # Stopped early (an error in the tasks, the function or the consumer): let the few pending
            # tasks finish and the workers exit. Terminating a worker that holds the task queue's lock
            # would leave the pool's task thread waiting for it forever.
            for left in pending:
                left.wait()
            pool.close()
            pool.join()
