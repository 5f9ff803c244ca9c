"""Extract articles in worker processes, handing back each article's records in article order.

``kzdata build --jobs N`` parses and extracts the seed articles in ``N`` processes. Articles
go to the workers in small chunks (:func:`chunk_size`: a few articles, fewer when there are
few articles per worker) and the records come back one list per article, in the order of the
articles, so the build that follows sees exactly what a one-process build sees and writes the
same bytes. At most :data:`IN_FLIGHT_PER_JOB` chunks per worker are pending at any time: memory
stays bounded however far the workers run ahead. Workers are forked where the platform allows
it (they inherit the loaded rules and models), else spawned; each parses a ``sources.toml``
once (:func:`kzdata.sources.load_metadata` caches it per process). An error in a worker (e.g.
an unreadable article) is raised here, as the one-process build would raise it.

:func:`chart_in_background` renders the release's chart (:mod:`kzdata.formats.chart`, the longest
step after extraction) in one more process while the build validates and writes the tables.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kzdata.extract import extract_article
from kzdata.formats import chart
from kzdata.records.kinds import BY_TYPE
from kzdata.records.models import AnyRecord
from kzdata.validate.parallel import default_jobs, in_background, process_context

__all__ = ["Article", "chart_in_background", "chunk_size", "default_jobs", "extract_articles"]

MAX_CHUNK = 4
"""Articles per task at most: enough to pay for the hand-over, small enough to balance the workers."""
IN_FLIGHT_PER_JOB = 2


@dataclass(frozen=True, slots=True)
class Article:
    """One article file and the ``path`` its Source record carries."""

    path: Path
    record_path: str


def extract_one(article: Article) -> list[AnyRecord]:
    """The records of one article, as :func:`kzdata.extract.extract_article` gives them."""
    return extract_article(article.path, record_path=article.record_path)


def extract_chunk(articles: Sequence[Article]) -> list[list[AnyRecord]]:
    """The records of each article of a chunk (run in a worker)."""
    return [extract_one(article) for article in articles]


def chunk_size(articles: int, jobs: int) -> int:
    """Articles per task: at most :data:`MAX_CHUNK`, and at least two tasks per worker when possible."""
    return max(1, min(MAX_CHUNK, math.ceil(articles / (2 * jobs))))


def extract_articles(articles: Sequence[Article], jobs: int = 1) -> Iterator[list[AnyRecord]]:
    """The records of every article, one list per article in the order of ``articles``.

    ``jobs`` is the number of processes; 1 (or a single article) extracts in this process.
    """
    if jobs <= 1 or len(articles) <= 1:
        yield from map(extract_one, articles)
        return
    size = chunk_size(len(articles), jobs)
    tasks = _batched(articles, size)
    workers = min(jobs, math.ceil(len(articles) / size))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=process_context())
    try:
        pending: deque[Future[list[list[AnyRecord]]]] = deque()
        for chunk in itertools.islice(tasks, workers * IN_FLIGHT_PER_JOB):
            pending.append(pool.submit(extract_chunk, chunk))
        while pending:
            done = pending.popleft().result()
            following = next(tasks, None)
            if following is not None:
                pending.append(pool.submit(extract_chunk, following))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def chart_in_background(records: Sequence[AnyRecord], jobs: int) -> Iterator[Callable[[], bytes] | None]:
    """A function returning the PNG of the records' chart, rendered in a worker from now on; None if ``jobs`` is 1.

    The points are those :mod:`kzdata.release.write` would draw from the same records, so the bytes are the
    same. Leaving the block stops the worker, finished or not (e.g. when validation refuses the records).
    """
    if jobs <= 1:
        yield None
        return
    tables: dict[str, list[AnyRecord]] = defaultdict(list)
    for record in records:
        tables[BY_TYPE[record.record_type].table].append(record)
    with in_background(chart.render_png, chart.points(tables)) as png:
        yield png


def _batched(articles: Sequence[Article], size: int) -> Iterator[tuple[Article, ...]]:
    # itertools.batched needs Python 3.12
    for start in range(0, len(articles), size):
        yield tuple(articles[start : start + size])
