"""kzdata.validate.parallel: ordered results from worker processes, one job in the background, clean stops."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from kzdata.validate.parallel import in_background, ordered_map


def _square(n: int) -> int:
    return n * n


def _size(data: bytes) -> int:
    return len(data)


def _fail_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


def _run_with_deadline(target: object, seconds: float = 60) -> BaseException | None:
    """Run ``target()`` in a thread; fail the test if it has not returned within ``seconds`` (a hang)."""
    outcome: list[BaseException | None] = []

    def call() -> None:
        try:
            target()  # type: ignore[operator]
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "ordered_map hung instead of stopping"
    return outcome[0]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_task_order(jobs: int) -> None:
    assert list(ordered_map(_square, range(50), jobs)) == [n * n for n in range(50)]


def test_an_error_in_the_tasks_stops_the_workers_and_is_raised() -> None:
    def tasks() -> Iterator[bytes]:
        for _ in range(6):
            yield bytes(8 << 20)  # large: a worker is still reading one when the error comes
        raise LookupError("no more tasks")

    for _ in range(3):  # timing-dependent: the export test of a repeated id hung reliably before the fix
        error = _run_with_deadline(lambda: list(ordered_map(_size, tasks(), 2)))
        assert isinstance(error, LookupError)


def test_an_error_in_a_worker_is_raised_here() -> None:
    error = _run_with_deadline(lambda: list(ordered_map(_fail_on_seven, range(40), 2)))
    assert isinstance(error, ValueError)


def test_a_consumer_that_stops_early_stops_the_workers() -> None:
    def consume() -> None:
        for result in ordered_map(_square, range(1000), 2):
            if result > 100:
                raise KeyError("enough")

    assert isinstance(_run_with_deadline(consume), KeyError)


def _slow_square(n: int, seconds: float = 0.0) -> int:
    time.sleep(seconds)
    return n * n


def _fail(message: str) -> None:
    raise LookupError(message)


def _die() -> None:
    os._exit(3)


def test_in_background_hands_back_the_result() -> None:
    with in_background(_slow_square, 7, seconds=0.1) as result:
        assert result() == 49


def test_in_background_raises_the_functions_error_here() -> None:
    with in_background(_fail, "no such table") as result, pytest.raises(LookupError, match="no such table"):
        result()


def test_in_background_names_a_process_that_died_without_an_error() -> None:
    with in_background(_die) as result, pytest.raises(RuntimeError, match="exit code 3"):
        result()


def test_leaving_the_block_early_stops_the_process() -> None:
    started = time.monotonic()
    with pytest.raises(KeyError), in_background(_slow_square, 2, seconds=60):
        raise KeyError("this process failed first")
    assert time.monotonic() - started < 30
