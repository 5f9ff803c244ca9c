"""Time kzdata against the tools a user would otherwise reach for, as whole processes.

    python benchmarks/run.py --quick                  # small N, under a minute, RESULTS in $DATA
    python benchmarks/run.py                          # N = 100,000 and 1,000,000 -> benchmarks/RESULTS.md
    python benchmarks/run.py --sizes 100000 --runs 5 --profile

Every measurement is a fresh process (``subprocess.Popen`` + ``os.wait4``): wall time from
spawn to exit, and the peak RSS the kernel reports for that child (``ru_maxrss``; for a
process with workers, the largest process of the tree). Each command runs ``--runs`` times;
tables show the median and the min–max. Data comes from benchmarks/generate.py (cached in
``--data``, by default a temporary directory, never in the repository).

Scenarios (per size N):

1. ``kzdata validate records.jsonl`` (every check, provenance included) vs
   ``check-jsonschema`` with the published claim schema on the same claims (one JSON array
   document with the claim schema as ``items``, see peer_inputs.py: check-jsonschema
   validates whole documents, not JSON Lines; format checking is on, its default),
   ``frictionless validate`` on the claims CSV with kzdata's claims Table Schema, and the floor:
   a Python process that reads the JSONL and parses each line with orjson; and jsonschema-rs
   checking the claim schema alone on each claim line (benchmarks/jsonschema_rs_check.py).
2. ``kzdata validate --format json invalid.jsonl`` (10 % broken records).
3. ``kzdata export records.jsonl --out DIR`` (parse and validate every line, then JSONL, Parquet,
   CSV, datapackage.json, card, SHA256SUMS; workers on every core) vs the pyarrow floor:
   ``pyarrow.json.read_json`` + ``pyarrow.parquet.write_table`` of the same JSONL; and the export of
   the same records given in id order (``records-by-id.jsonl``, as every file kzdata writes), which
   skips the merge and writes ``kzdata.sqlite`` beside the tables.
4. Cold start: both validators on a file of 10 claims (plus the records they reference).
5. ``kzdata validate --jobs 1`` vs ``--jobs 2``, when the CLI has ``--jobs``.
6. ``kzdata build`` of N generated articles (benchmarks/corpus.py; ``--articles``, default 1,000 and
   10,000) with ``--jobs 1`` and ``--jobs 2``, their files compared.

check-jsonschema and frictionless take minutes per 100,000 claims: outside ``--quick`` they run
``--slow-runs`` times (default 1), last at each size, and are killed after ``--slow-timeout``
seconds, in which case their time is reported as a lower bound. check-jsonschema is not run
from N = 1,000,000 on unless ``--all-large`` (it took over 10 minutes there: killed at 600 s).

A hand-written ``## Analysis`` section of an existing results file is kept when it is rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import build_scale  # noqa: E402  (benchmarks/ is not a package)
import common  # noqa: E402

BIN = Path(sys.executable).parent
PYTHON = sys.executable
LARGE = 1_000_000  # from this size on, every command runs at most --large-runs times (time box)
FLOOR = "import orjson,sys\nfor line in open(sys.argv[1],'rb'):\n    orjson.loads(line)"
ARROW_FLOOR = (
    "import sys, pyarrow.json as pj, pyarrow.parquet as pq\n"
    "pq.write_table(pj.read_json(sys.argv[1]), sys.argv[2], compression='zstd')"
)


@dataclass
class Measure:
    """Several runs of one command."""

    scenario: str
    tool: str
    size: int
    argv: list[str]
    expect: int
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    note: str = ""
    timed_out: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def best(self) -> float:
        """The fastest run: on a shared machine the least disturbed one (ratios use it)."""
        return min(self.seconds) if self.seconds else float("nan")

    @property
    def ok(self) -> bool:
        return bool(self.exit_codes) and all(code == self.expect for code in self.exit_codes)


def run_once(argv: list[str], *, timeout: float, log: Path) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MB, exit code, CPU seconds) of one fresh process; stdout kept in LOG.out.

    CPU is user + system time of the process and the worker processes it waited for.
    """
    with log.open("ab") as err, log.with_suffix(".out").open("wb") as stdout:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=stdout, stderr=err, cwd=ROOT)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        timer.cancel()
    process.returncode = code = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


def measure(m: Measure, runs: int, *, timeout: float, logs: Path) -> Measure:
    log = logs / f"{m.size}-{m.tool.replace(' ', '_').replace('/', '_')}.log"
    if not Path(m.argv[0]).exists():
        m.note = f"not run: {Path(m.argv[0]).name} is not installed (pip install -e '.[bench]')"
        print(f"  {m.scenario:<10} {m.tool:<34} {m.note}", flush=True)
        return m
    for _ in range(runs):
        seconds, rss, code, cpu = run_once(m.argv, timeout=timeout, log=log)
        m.seconds.append(seconds)
        m.rss_mb.append(rss)
        m.cpu.append(cpu)
        m.exit_codes.append(code)
        print(
            f"  {m.scenario:<10} {m.tool:<34} {seconds:8.2f} s {cpu:8.2f} CPU s {rss:8.0f} MB exit {code}", flush=True
        )
        if code == -signal.SIGKILL and seconds >= timeout:
            m.timed_out = True
            m.note = f"killed at the {timeout:.0f} s limit: its time is a lower bound"
            break
        if code != m.expect:
            m.note = f"exit {code}, expected {m.expect}: see logs/{log.stem}.*"
            break
    return m


# --- inputs -------------------------------------------------------------------------------


def generated(data: Path, claims: int, seed: int) -> Path:
    """The generator's output for N claims (reused when already there)."""
    out = data / f"n{claims}-s{seed}"
    summary = out / "summary.json"
    if summary.exists() and json.loads(summary.read_text())["claims"] == claims:
        return out
    command = [PYTHON, str(HERE / "generate.py"), "--claims", str(claims), "--seed", str(seed), "--out", str(out)]
    subprocess.run(command, check=True)
    return out


SORT_BY_ID = (
    "import orjson, sys\n"
    "lines = open(sys.argv[1], 'rb').readlines()\n"
    "keys = [(r['record_type'], r['id']) for r in map(orjson.loads, lines)]\n"
    "with open(sys.argv[2], 'wb') as sink:\n"
    "    sink.writelines(lines[i] for i in sorted(range(len(lines)), key=keys.__getitem__))"
)


def records_by_id(out: Path) -> Path:
    """``records-by-id.jsonl``: the same records, each table's in id order (as kzdata writes its files).

    Sorted in a child process: the runner must stay small, since every process it starts inherits
    its peak RSS in ``ru_maxrss``.
    """
    target = out / "records-by-id.jsonl"
    if not target.exists():
        partial = target.with_suffix(".part")
        subprocess.run([PYTHON, "-c", SORT_BY_ID, str(out / "records.jsonl"), str(partial)], check=True)
        partial.replace(target)
    return target


def peer_inputs(out: Path) -> None:
    """claims.json, its wrapper schema and the claims Table Schema (see peer_inputs.py)."""
    subprocess.run([PYTHON, str(HERE / "peer_inputs.py"), str(out)], check=True)


def has_jobs() -> bool:
    help_text = subprocess.run(
        [str(BIN / "kzdata"), "validate", "--help"], check=False, capture_output=True, text=True
    ).stdout
    return "--jobs" in help_text


# --- scenarios ----------------------------------------------------------------------------


def commands(size: int, out: Path, scratch: Path, jobs: bool) -> list[Measure]:
    kz = str(BIN / "kzdata")
    records, invalid = str(out / "records.jsonl"), str(out / "invalid.jsonl")
    found = [
        Measure("1 validate", "kzdata validate", size, [kz, "validate", records], 0),
        Measure("1 validate", "orjson parse floor", size, [PYTHON, "-c", FLOOR, records], 0),
        Measure(
            "1 validate",
            "jsonschema-rs (claim schema only)",
            size,
            [PYTHON, str(HERE / "jsonschema_rs_check.py"), str(ROOT / "schema" / "claim.schema.json"), records],
            0,
        ),
        Measure(
            "1 validate",
            "check-jsonschema",
            size,
            [
                str(BIN / "check-jsonschema"),
                "--schemafile",
                str(out / "claims-array.schema.json"),
                str(out / "claims.json"),
            ],
            0,
        ),
        Measure(
            "1 validate",
            "frictionless validate",
            size,
            [
                str(BIN / "frictionless"),
                "validate",
                "--trusted",  # absolute paths are "unsafe" to frictionless without it
                "--schema",
                str(out / "claims.tableschema.json"),
                str(out / "claims.csv"),
            ],
            0,
        ),
        Measure("2 invalid", "kzdata validate --format json", size, [kz, "validate", "--format", "json", invalid], 1),
        Measure(
            "3 export",
            "kzdata export",
            size,
            [kz, "export", records, "--out", str(scratch / "export"), "--dataset-version", "0.0.0-bench", "-q"],
            0,
        ),
        Measure(
            "3 export",
            "kzdata export (input in id order)",
            size,
            [
                kz,
                "export",
                str(records_by_id(out)),
                "--out",
                str(scratch / "export-by-id"),
                "--dataset-version",
                "0.0.0-bench",
                "-q",
            ],
            0,
        ),
        Measure(
            "3 export",
            "pyarrow read_json + write_table",
            size,
            [PYTHON, "-c", ARROW_FLOOR, records, str(scratch / "floor.parquet")],
            0,
        ),
    ]
    if jobs:
        found += [
            Measure("5 jobs", f"kzdata validate --jobs {n}", size, [kz, "validate", "--jobs", str(n), records], 0)
            for n in (1, 2)
        ]
    return found


BUILD_JOBS = (1, 2)


def build_commands(articles: int, seeds: Path, scratch: Path) -> list[Measure]:
    """6 build: ``kzdata build`` of N generated articles with --jobs 1 and 2 (N counts articles here)."""
    kz = str(BIN / "kzdata")
    return [
        Measure("6 build", f"kzdata build --jobs {n}", articles,
                [kz, "build", "-q", "--seeds", str(seeds), "--out", str(scratch / f"build-j{n}"), "--jobs", str(n)], 0)
        for n in BUILD_JOBS
    ]  # fmt: skip


def export_phases(records: Path, scratch: Path) -> dict[str, Any]:
    """benchmarks/export_phases.py on one file: seconds per phase of an export, CPU of the parent and workers."""
    done = subprocess.run(
        [PYTHON, str(HERE / "export_phases.py"), str(records), str(scratch / "export-phases")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    return json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-2000:]}


def cold_start(out: Path) -> list[Measure]:
    return [
        Measure("4 cold", "kzdata validate", 10, [str(BIN / "kzdata"), "validate", str(out / "records.jsonl")], 0),
        Measure(
            "4 cold",
            "check-jsonschema",
            10,
            [
                str(BIN / "check-jsonschema"),
                "--schemafile",
                str(out / "claims-array.schema.json"),
                str(out / "claims.json"),
            ],
            0,
        ),
    ]


SLOW = ("check-jsonschema", "frictionless validate")
NOT_LARGE = ("check-jsonschema",)
"""Not run from N = LARGE on unless --all-large: over 10 minutes there (killed at 600 s in earlier runs)."""


def profile(out: Path, logs: Path, top: int = 25) -> str:
    """cProfile of one ``kzdata validate`` process: the functions with the most own time."""
    import pstats

    stats_file = logs / "validate.prof"
    subprocess.run(
        [PYTHON, "-m", "cProfile", "-o", str(stats_file), str(BIN / "kzdata"), "validate", str(out / "records.jsonl")],
        stdout=subprocess.DEVNULL,
        check=False,
        cwd=ROOT,
    )
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    lines = ["| own time (s) | share | cumulative (s) | calls | function |", "|---:|---:|---:|---:|---|"]
    for (filename, line, name), (_, calls, own, cumulative, _) in rows:
        where = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        lines.append(f"| {own:.2f} | {own / total:.0%} | {cumulative:.2f} | {calls} | `{where}:{line}({name})` |")
    return f"Total profiled time: {total:.2f} s (cProfile overhead included).\n\n" + "\n".join(lines)


# --- report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in _lines("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((ln.split()[1] for ln in _lines("/proc/meminfo") if ln.startswith("MemTotal")), "0")
    os_name = next((ln.split("=", 1)[1].strip('"') for ln in _lines("/etc/os-release") if ln.startswith("PRETTY")), "")
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": f"{int(mem) / 1024**2:.1f} GiB",
        "OS": f"{os_name} ({platform.platform()})",
        "Python": platform.python_version(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "runner RSS (floor of ru_maxrss)": f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def versions() -> dict[str, str]:
    names = (
        "kzdata",
        "check-jsonschema",
        "frictionless",
        "jsonschema",
        "jsonschema-rs",
        "orjson",
        "pyarrow",
        "pydantic",
        "pydantic-core",
    )
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "kzdata"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split("\n")
    changed = sorted(line[3:] for line in dirty if line.strip())
    found["kzdata"] += f" (git {head.stdout.strip() or '?'}" + (
        f"; uncommitted: {', '.join(changed)})" if changed else ")"
    )
    return found


def _short(argv: list[str], data: Path) -> str:
    text = shlex.join(argv).replace(str(data), "$DATA").replace(str(ROOT) + "/", "")
    return text.replace(PYTHON, "python").replace(str(BIN) + "/", "")


def _find(results: list[Measure], size: int, tool: str) -> Measure | None:
    return next((m for m in results if m.size == size and m.tool == tool and (m.ok or m.timed_out)), None)


class Ratio(float):
    """A measured ratio; ``lower_bound`` when the numerator was killed at its time limit."""

    lower_bound = False


def ratios(results: list[Measure], size: int) -> list[tuple[str, str, float | None, str]]:
    """(target, comparison, measured ratio, verdict) for one size."""

    def ratio(a: str, b: str, *, size_a: int = size, size_b: int = size) -> float | None:
        ma, mb = _find(results, size_a, a), _find(results, size_b, b)
        if not (ma and mb) or mb.timed_out:
            return None
        value = Ratio(ma.best / mb.best)
        value.lower_bound = ma.timed_out
        return value

    kz = _find(results, size, "kzdata validate")
    ex = _find(results, size, "kzdata export")
    rows = [
        (
            "≥ 10× faster than check-jsonschema",
            "check-jsonschema / kzdata",
            ratio("check-jsonschema", "kzdata validate"),
            ">=10",
        ),
        (
            "≥ 3× faster than frictionless",
            "frictionless / kzdata",
            ratio("frictionless validate", "kzdata validate"),
            ">=3",
        ),
        ("within 4× of the orjson floor", "kzdata / floor", ratio("kzdata validate", "orjson parse floor"), "<=4"),
        ("peak RSS ≤ 400 MB", "kzdata peak RSS (MB)", max(kz.rss_mb) if kz else None, "<=400"),
        (
            "scenario 2 within 1.5× of scenario 1",
            "invalid / valid",
            ratio("kzdata validate --format json", "kzdata validate"),
            "<=1.5",
        ),
        (
            "export within 4× of pyarrow",
            "kzdata export / pyarrow",
            ratio("kzdata export", "pyarrow read_json + write_table"),
            "<=4",
        ),
        (
            "export of input in id order within 4× of pyarrow",
            "kzdata export (input in id order) / pyarrow",
            ratio("kzdata export (input in id order)", "pyarrow read_json + write_table"),
            "<=4",
        ),
        (
            "export moonshot: within 3× of pyarrow",
            "kzdata export / pyarrow",
            ratio("kzdata export", "pyarrow read_json + write_table"),
            "<=3",
        ),
        ("export peak RSS ≤ 400 MB", "kzdata export peak RSS (MB)", max(ex.rss_mb) if ex else None, "<=400"),
        (
            "validate moonshot: no slower than jsonschema-rs (schema only)",
            "kzdata / jsonschema-rs",
            ratio("kzdata validate", "jsonschema-rs (claim schema only)"),
            "<=1",
        ),
        (
            "cold start ≤ check-jsonschema",
            "kzdata / check-jsonschema (10 claims)",
            ratio("kzdata validate", "check-jsonschema", size_a=10, size_b=10),
            "<=1",
        ),
        (
            "--jobs 2 speed-up (reported)",
            "jobs 1 / jobs 2",
            ratio("kzdata validate --jobs 1", "kzdata validate --jobs 2"),
            "",
        ),
    ]
    return [(target, what, value, _verdict(value, rule)) for target, what, value, rule in rows]


def build_targets(results: list[Measure], articles: list[int], info: dict[str, Any]) -> list[tuple[str, str, Any, str]]:
    """(target, comparison, measured, verdict) of the build at N articles."""
    rows: list[tuple[str, str, Any, str]] = []
    first = articles[0] if articles else None
    if first is None:
        return rows
    one, two = _find(results, first, "kzdata build --jobs 1"), _find(results, first, "kzdata build --jobs 2")
    speedup = Ratio(one.best / two.best) if one and two else None
    rows.append((f"--jobs 2 ≥ 1.6× faster than --jobs 1 ({first:,} articles)", "jobs 1 / jobs 2", speedup,
                 _verdict(speedup, ">=1.6")))  # fmt: skip
    for count in articles:
        differ = info.get("builds", {}).get(str(count), {}).get("differ")
        shown = "–" if differ is None else ("yes" if not differ else "no: " + ", ".join(differ[:5]))
        verdict = "not measured" if differ is None else ("**met**" if not differ else "**missed**")
        rows.append((f"--jobs 2 writes the same bytes as --jobs 1 ({count:,} articles)", "every file", shown, verdict))
    last = articles[-1]
    small, large = _find(results, first, "kzdata build --jobs 2"), _find(results, last, "kzdata build --jobs 2")
    if last != first:
        growth = Ratio((large.best / last) / (small.best / first)) if small and large else None
        rows.append((f"linear: ms/article at {last:,} within 1.2× of {first:,} (--jobs 2)",
                     f"ms/article {last:,} / {first:,}", growth, _verdict(growth, "<=1.2")))  # fmt: skip
    return rows


def _verdict(value: float | None, rule: str) -> str:
    if value is None:
        return "not measured"
    if getattr(value, "lower_bound", False):
        bound = float(rule[2:])
        if rule.startswith(">="):
            return "**met** (lower bound)" if value >= bound else "undetermined (lower bound below target)"
        return "**missed** (lower bound)" if value > bound else "undetermined (lower bound)"
    if not rule:
        return "reported"
    bound = float(rule[2:])
    met = value >= bound if rule.startswith(">=") else value <= bound
    return "**met**" if met else "**missed**"


def render_builds(results: list[Measure], info: dict[str, Any]) -> list[str]:
    """The build section of the report: one row per N articles and --jobs, then its targets."""
    out: list[str] = []
    articles = [int(n) for n in info.get("builds", {})]
    if not articles:
        return out
    out += [
        "",
        "## Build: N generated articles",
        "",
        "`python benchmarks/corpus.py N $DATA/articles/nN-s1 --seed 1`, then `kzdata build` of it (scenario 6; "
        "N counts articles). MB = MB of article text (10^6 bytes).",
        "",
        "| articles | text MB | jobs | min (s) | CPU of min (s) | articles/s | MB/s | ms/article | peak RSS (MB) "
        "| exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for count in articles:
        mb = info["builds"][str(count)]["mb"]
        for n in BUILD_JOBS:
            m = _find(results, count, f"kzdata build --jobs {n}")
            if m is None or not m.seconds:
                out.append(f"| {count:,} | {mb:.1f} | {n} | – | – | – | – | – | – | not run or failed |")
                continue
            cpu = m.cpu[m.seconds.index(m.best)]
            out.append(f"| {count:,} | {mb:.1f} | {n} | {m.best:.2f} | {cpu:.2f} | {count / m.best:.1f} | "
                       f"{mb / m.best:.3f} | {1000 * m.best / count:.2f} | {max(m.rss_mb):.0f} | "
                       f"{'ok' if m.ok else m.note} |")  # fmt: skip
    out += ["", "## Targets of the build", "", "| target | comparison | measured | verdict |", "|---|---|---:|---|"]
    for target, what, value, verdict in build_targets(results, articles, info):
        shown = value if isinstance(value, str) else ("–" if value is None else f"{value:.2f}")
        out.append(f"| {target} | {what} | {shown} | {verdict} |")
    return out


def render_phases(info: dict[str, Any]) -> list[str]:
    """Where an export's time goes (benchmarks/export_phases.py), per size it was run at."""
    out: list[str] = []
    for size, phases in info.get("export_phases", {}).items():
        out += [
            "",
            f"## Where the time of `kzdata export` goes at N = {int(size):,}",
            "",
            "`python benchmarks/export_phases.py $DATA/nN-s1/records.jsonl OUT` (in-process timers; one run):",
            "",
        ]
        if "error" in phases:
            out.append(f"failed: {phases['error']}")
            continue
        peaks = phases.get("peak_rss_mb", {})
        out += [
            "| phase | wall (s) | share | peak RSS after it: parent / largest worker (MB) |",
            "|---|---:|---:|---:|",
        ]
        for name, sec in phases["phases"].items():
            peak = " / ".join(str(v) for v in peaks.get(name, [])) or "–"
            out.append(f"| {name} | {sec:.2f} | {sec / phases['total']:.0%} | {peak} |")
        cpu = f"CPU: {phases['cpu_main']:.1f} s in the parent, {phases['cpu_workers']:.1f} s in the workers."
        out += [f"| **total** | {phases['total']:.2f} | | |", "", cpu]
    return out


def render(results: list[Measure], sizes: list[int], info: dict[str, Any], data: Path, analysis: str) -> str:
    out = [
        "# kzdata benchmarks",
        "",
        f"Generated by `{info['command']}` on {info['date']} "
        f"({info['wall']:.0f} s in all). Every figure is a whole process, timed from spawn to exit; "
        "ratios compare the fastest run of each command (min of the runs: the machine is shared); "
        "peak RSS is the kernel's `ru_maxrss` of that process (with workers: the largest one). "
        "Data: `python benchmarks/generate.py --claims N --seed 1 --out $DATA/nN-s1` "
        "(sources, actors and events about 1 % of the records; 10 % of the records broken in "
        "`invalid.jsonl`).",
        "",
        "## Machine",
        "",
    ]
    out += [f"- {key}: {value}" for key, value in info["machine"].items()]
    out += ["", "## Versions", ""] + [f"- {name} {version}" for name, version in info["versions"].items()]
    out += [
        "",
        "## Results",
        "",
        "| N | scenario | tool | runs | min (s) | median (s) | min–max (s) | CPU of min (s) | peak RSS (MB) | exit |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in results:
        spread = f"{min(m.seconds):.2f}–{max(m.seconds):.2f}" if m.seconds else "–"
        rss = f"{max(m.rss_mb):.0f}" if m.rss_mb else "–"
        cpu = f"{m.cpu[m.seconds.index(m.best)]:.2f}" if m.cpu else "–"
        status = "ok" if m.ok else f"**{m.note or 'not run'}**"
        out.append(
            f"| {m.size:,} | {m.scenario} | {m.tool} | {len(m.seconds)} | {m.best:.2f} | {m.median:.2f} | {spread} "
            f"| {cpu} | {rss} | {status} |"
        )
    if info.get("skipped"):
        out += ["", "Not run (over 10 minutes each in earlier runs; `--all-large` runs them): "
                + "; ".join(info["skipped"]) + "."]  # fmt: skip
    for size in sizes:
        out += ["", f"## Targets at N = {size:,}", "", "| target | ratio | measured | verdict |", "|---|---|---:|---|"]
        for target, what, value, verdict in ratios(results, size):
            shown = "–" if value is None else ("≥ " if getattr(value, "lower_bound", False) else "") + f"{value:.2f}"
            out.append(f"| {target} | {what} | {shown} | {verdict} |")
        if not info.get("jobs"):
            out.append("\n`kzdata validate` has no `--jobs` option (yet): scenario 5 was not run.")
    out += render_builds(results, info) + render_phases(info)
    out += ["", "## Commands", "", "`$DATA` is the data directory; `python` the project's virtualenv Python.", ""]
    seen = set()
    for m in results:
        key = (m.scenario, m.tool)
        if key not in seen:
            seen.add(key)
            out.append(f"- {m.scenario}, {m.tool}: `{_short(m.argv, data)}`")
    out += [
        "",
        "The floor scripts:",
        "",
        "```python",
        "# orjson parse floor",
        FLOOR,
        "",
        "# pyarrow floor",
        ARROW_FLOOR,
        "```",
    ]
    if info.get("profile"):
        out += ["", f"## Profile of `kzdata validate` at N = {info['profile_size']:,}", "", info["profile"]]
    if analysis:
        out += ["", analysis.rstrip()]
    return "\n".join(out) + "\n"


def write(path: Path, text: str) -> None:
    """Rewrite the results file (after every command, so a stopped run leaves what it measured)."""
    path.write_text(text, encoding="utf-8")


# --- main ---------------------------------------------------------------------------------


def run_builds(count: int, args: argparse.Namespace, info: dict[str, Any], results: list[Measure], save: Any) -> None:
    """Scenario 6 at N articles: build with each --jobs, then compare the files they wrote."""
    data, runs, logs = args.data_dir, args.runs_resolved, args.data_dir / "logs"
    seeds, totals, _ = build_scale.corpus_dir(data / "articles", count, args.seed)
    info["builds"][str(count)] = {"mb": totals["bytes"] / 1e6}
    with tempfile.TemporaryDirectory(dir=data) as scratch:
        for m in build_commands(count, seeds, Path(scratch)):
            n = min(runs, args.large_runs) if count >= 10_000 else runs
            results.append(measure(m, n, timeout=args.timeout, logs=logs))
            save()
        outs = [Path(scratch) / f"build-j{n}" for n in BUILD_JOBS]
        if all(o.is_dir() for o in outs):
            info["builds"][str(count)]["differ"] = common.differing_files(*outs)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 2,000, 1 run: a smoke test under a minute")
    parser.add_argument("--sizes", type=int, nargs="+", help="claim counts (default 100000 1000000)")
    parser.add_argument("--runs", type=int, help="runs per command (default 3; 1 with --quick)")
    parser.add_argument(
        "--slow-runs",
        type=int,
        default=1,
        help="runs of check-jsonschema and frictionless (default 1; they take minutes per 100k claims)",
    )
    parser.add_argument(
        "--large-runs", type=int, default=1, help=f"at most this many runs per command from N = {LARGE:,} (default 1)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="data directory (default: $TMPDIR/kzdata-bench)")
    parser.add_argument("--out", type=Path, help="results file (default benchmarks/RESULTS.md; $DATA/… with --quick)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed")
    parser.add_argument(
        "--slow-timeout",
        type=float,
        default=1200,
        help="seconds before a slow peer's run is killed; its time is then a lower bound (default 1200)",
    )
    parser.add_argument("--profile", action="store_true", help="add a cProfile of kzdata validate at the first size")
    parser.add_argument(
        "--articles", type=int, nargs="*", help="build N generated articles (default 1000 10000; none with --quick)"
    )
    parser.add_argument("--all-large", action="store_true", help=f"also run {', '.join(NOT_LARGE)} from N = {LARGE:,}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = args.sizes or ([2000] if args.quick else [100_000, 1_000_000])
    runs = args.runs or (1 if args.quick else 3)
    data = (args.data or Path(tempfile.gettempdir()) / "kzdata-bench").resolve()
    out_file = args.out or (data / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md")
    logs = data / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    args.data_dir, args.runs_resolved = data, runs
    started = time.perf_counter()
    info: dict[str, Any] = {
        "machine": machine(),
        "versions": versions(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": "python benchmarks/run.py " + shlex.join(argv if argv is not None else sys.argv[1:]),
    }
    jobs = has_jobs()
    info["jobs"] = jobs
    analysis = common.kept_analysis(out_file)
    results: list[Measure] = []
    skipped: list[str] = []
    info["skipped"] = skipped
    cold = generated(data, 10, args.seed)
    peer_inputs(cold)
    for m in cold_start(cold):
        results.append(measure(m, max(runs, 3), timeout=args.timeout, logs=logs))
    for size in sizes:
        out = generated(data, size, args.seed)
        peer_inputs(out)
        with tempfile.TemporaryDirectory(dir=data) as scratch:
            for m in sorted(commands(size, out, Path(scratch), jobs), key=lambda m: m.tool in SLOW):
                if size >= LARGE and m.tool in NOT_LARGE and not args.all_large:
                    skipped.append(f"{m.tool} at N = {size:,}")
                    continue
                slow = m.tool in SLOW and not args.quick
                n, limit = (args.slow_runs, args.slow_timeout) if slow else (runs, args.timeout)
                n = min(n, args.large_runs) if size >= LARGE else n
                results.append(measure(m, n, timeout=limit, logs=logs))
                write(out_file, render(results, sizes, info | {"wall": time.perf_counter() - started}, data, analysis))

    def progress() -> str:
        return render(results, sizes, info | {"wall": time.perf_counter() - started}, data, analysis)

    counts = args.articles if args.articles is not None else ([] if args.quick else [1000, 10000])
    info["builds"] = {}
    for count in counts:
        run_builds(count, args, info, results, lambda: write(out_file, progress()))
    with tempfile.TemporaryDirectory(dir=data) as scratch:
        records = generated(data, sizes[-1], args.seed) / "records.jsonl"
        info["export_phases"] = {str(sizes[-1]): export_phases(records, Path(scratch))}
    if args.profile:
        info["profile_size"] = sizes[0]
        info["profile"] = profile(generated(data, sizes[0], args.seed), logs)
    info["wall"] = time.perf_counter() - started
    info["machine"]["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = render(results, sizes, info, data, analysis)
    write(out_file, text)
    (out_file.with_suffix(".json")).write_text(
        json.dumps({"info": info, "results": [asdict(m) for m in results]}, indent=2) + "\n", encoding="utf-8"
    )
    print(text)
    print(f"written: {out_file}")
    return 0 if all(m.ok for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
