"""Where the time of one ``kzdata export`` goes, phase by phase (the profile behind RESULTS.md's export figure).

    python benchmarks/export_phases.py RECORDS.jsonl OUT_DIR

Runs :func:`kzdata.release.write.export_jsonl` in this process with a timer around each phase
(pass 1: parse, validate and sort into runs; pass 2 per table: JSONL, CSV, Parquet; the SQLite
file; card, codebook, chart; checksums) and prints one JSON object: phase → seconds of wall
time, plus this process's CPU seconds and those of its worker processes, and the peak RSS (MB) of
this process and of its largest worker when each phase ended. OUT_DIR is replaced
(it must be a folder an earlier run wrote, or not exist).
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kzdata.release import write

PEAKS: dict[str, tuple[float, float]] = {}
"""Phase → (peak RSS of this process, of the largest worker) in MB when it ended (ru_maxrss only grows)."""


def _timed(phases: dict[str, float], name: str, function: Callable[..., Any], label: Callable[..., str]) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            key = f"{name} {label(*args, **kwargs)}".strip()
            phases[key] = phases.get(key, 0.0) + time.perf_counter() - started
            PEAKS[key] = (_peak(resource.RUSAGE_SELF), _peak(resource.RUSAGE_CHILDREN))

    return wrapper


def _peak(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    records, out = Path(argv[0]), Path(argv[1])
    phases: dict[str, float] = {}
    write.spool_input = _timed(phases, "pass 1: parse, validate, sort into runs", write.spool_input, lambda *a, **k: "")
    write.write_table_files = _timed(
        phases, "pass 2: JSONL, CSV, Parquet of", write.write_table_files, lambda *a, **k: a[1]
    )
    write.sqlite.write_sqlite = _timed(phases, "kzdata.sqlite", write.sqlite.write_sqlite, lambda *a, **k: "")
    for module, name in ((write.card, "render_card"), (write.codebook, "render_codebook"), (write.chart, "render_png")):
        setattr(module, name, _timed(phases, "card, codebook, chart", getattr(module, name), lambda *a, **k: ""))
    write.sums.digest_all = _timed(phases, "checksums", write.sums.digest_all, lambda *a, **k: "")
    started = time.perf_counter()
    write.export_jsonl([records], out, dataset_version="0.0.0-bench")
    total = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "phases": {name: round(seconds, 3) for name, seconds in phases.items() if seconds >= 0.005},
        "total": round(total, 3),
        "cpu_main": round(own.ru_utime + own.ru_stime, 3),
        "cpu_workers": round(children.ru_utime + children.ru_stime, 3),
        "peak_rss_mb": {name: [round(own), round(worker)] for name, (own, worker) in PEAKS.items() if name in phases},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
