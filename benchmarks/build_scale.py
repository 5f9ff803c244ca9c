"""How ``kzdata build`` scales with the number of articles, on a synthetic corpus.

    python benchmarks/build_scale.py                          # N = 1,000 and 10,000
    python benchmarks/build_scale.py --sizes 1000 2000 5000 --profile 1000
    python benchmarks/build_scale.py --sizes 200 --md /tmp/s.md --json /tmp/s.json   # smoke test

For each N: benchmarks/corpus.py writes N articles and their sources.toml into
``--data/nN-sS`` (reused when already there), then one fresh ``kzdata build --seeds …
--out … --quiet`` process is timed (``subprocess.Popen`` + ``os.wait4``: wall time from spawn
to exit, and the peak RSS of that child, ``ru_maxrss``). Reported per N: articles/s, MB of
article text per second, milliseconds per article (constant when build time grows linearly)
and its ratio to the smallest N, peak RSS, claims written. The build's tables are then
scored against the corpus's ``truth.jsonl``: the share of templated figures found as a claim
(same article, predicate and amount, span inside the templated sentence), the share of those
with the right claimant and qualifier, and decoy figures in captions that became claims.

``--jobs J [J …]`` builds every N once per J (``kzdata build --jobs J``), when ``kzdata build
--help`` offers ``--jobs`` (otherwise the report says it was skipped); each build of N after
the first is compared, file by file, with the first one's bytes ("same bytes"). CPU = user +
system seconds of the build and its workers (``ru_utime + ru_stime``; on a machine shared with
other work, wall time grows with the load, CPU time much less). ``--profile N`` runs one extra build of size N
under cProfile and reports the functions with the most own and cumulative time.
Results go to benchmarks/BUILD_SCALE.md and .json; an ``## Analysis`` section written by
hand into the Markdown file is kept when it is rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
KZDATA = [PYTHON, "-m", "kzdata"]
sys.path.insert(0, str(HERE))
import common  # noqa: E402  (benchmarks/ is not a package)
import corpus  # noqa: E402


@dataclass
class Run:
    """One timed build."""

    articles: int
    seed: int
    text_mb: float
    words: int
    generate_s: float
    catalogue: bool = True
    seconds: float = 0.0
    rss_mb: float = 0.0
    exit_code: int | None = None
    claims: int = 0
    jobs: int | None = None
    cpu_s: float = 0.0
    same_bytes: bool | None = None
    command: str = ""
    note: str = ""
    quality: dict[str, Any] = field(default_factory=dict)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.text_mb / self.seconds if self.seconds else 0.0

    @property
    def ms_per_article(self) -> float:
        return 1000 * self.seconds / self.articles


def corpus_dir(data: Path, size: int, seed: int, *, catalogue: bool = True) -> tuple[Path, dict[str, int], float]:
    """The corpus of ``size`` articles (generated unless already there), its totals, seconds.

    Without ``catalogue`` the corpus has no sources.toml: metadata comes from the texts only.
    """
    folder = data / (f"n{size}-s{seed}" + ("" if catalogue else "-bare"))
    totals_file = folder / "totals.json"
    if totals_file.exists():
        return folder, json.loads(totals_file.read_text()), float("nan")
    started = time.perf_counter()
    totals = corpus.generate(size, folder, seed=seed)
    elapsed = time.perf_counter() - started
    if not catalogue:
        (folder / corpus.CATALOGUE).unlink()
    totals_file.write_text(json.dumps(totals))
    return folder, totals, elapsed


def has_jobs() -> bool:
    """True when ``kzdata build`` takes ``--jobs``."""
    result = subprocess.run([*KZDATA, "build", "--help"], capture_output=True, text=True, check=False)
    return "--jobs" in result.stdout


def timed(argv: list[str], *, timeout: float, memory_mb: float, log: Path) -> tuple[float, float, float, int, str]:
    """(wall seconds, peak RSS in MB, CPU seconds, exit code, why it was killed) of one fresh process.

    The process is killed after ``timeout`` seconds or when its RSS passes ``memory_mb``
    (polled from /proc twice a second, so that a runaway build cannot take the machine down).
    Its output goes to ``log``.
    """
    killed: list[str] = []
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT)
        stop = threading.Event()
        limits = {"started": started, "timeout": timeout, "memory_mb": memory_mb}
        watcher = threading.Thread(target=_watch, kwargs={"process": process, "stop": stop, "killed": killed, **limits})
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        stop.set()
        watcher.join()
    process.returncode = code = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, code, "".join(killed)


def _watch(
    *,
    process: subprocess.Popen[bytes],
    started: float,
    timeout: float,
    memory_mb: float,
    stop: threading.Event,
    killed: list[str],
) -> None:
    status = Path(f"/proc/{process.pid}/status")
    while not stop.wait(0.5):
        rss_mb = next((int(ln.split()[1]) / 1024 for ln in _read_lines(status) if ln.startswith("VmRSS:")), 0.0)
        reason = (
            f"killed at the {timeout:.0f} s time limit" if time.perf_counter() - started > timeout else
            f"killed at the {memory_mb:.0f} MB memory limit (RSS {rss_mb:.0f} MB)" if rss_mb > memory_mb else ""
        )  # fmt: skip
        if reason:
            killed.append(reason)
            process.kill()
            return


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except OSError:
        return []


def build_once(
    run: Run, seeds: Path, out: Path, *, jobs: int | None, timeout: float, memory_mb: float, logs: Path
) -> Run:
    argv = [*KZDATA, "build", "--seeds", str(seeds), "--out", str(out), "--quiet"]
    if jobs is not None:
        argv += ["--jobs", str(jobs)]
    run.command = shlex.join(["kzdata", *argv[3:]])
    log = logs / f"build-n{run.articles}{'' if run.catalogue else '-bare'}-j{jobs}.log"
    run.seconds, run.rss_mb, run.cpu_s, run.exit_code, killed = timed(
        argv, timeout=timeout, memory_mb=memory_mb, log=log
    )
    if run.exit_code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        run.note = f"exit {run.exit_code}" + (f" ({killed})" if killed else "")
        run.note += ":\n" + "\n".join(tail)
        return run
    claims_file = out / "claims.jsonl"
    run.claims = sum(1 for _ in claims_file.open("rb"))
    run.quality = score(seeds, out)
    return run


def score(seeds: Path, out: Path) -> dict[str, Any]:
    """The build's claims against the corpus's truth.jsonl (see the module docstring)."""
    names = {}
    for line in (out / "sources.jsonl").open(encoding="utf-8"):
        source = json.loads(line)
        names[source["id"]] = source["path"].rsplit("/", 1)[-1]
    by_article: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for line in (out / "claims.jsonl").open(encoding="utf-8"):
        claim = json.loads(line)
        if claim.get("value") and claim["value"].get("amount") is not None:
            by_article.setdefault((names[claim["source_id"]], claim["predicate"]), []).append(claim)
    counts = {"figures": 0, "found": 0, "claimant_ok": 0, "qualifier_ok": 0, "decoys": 0, "decoys_claimed": 0}
    misses: list[str] = []
    wrong: list[str] = []
    for line in (seeds / "truth.jsonl").open(encoding="utf-8"):
        truth = json.loads(line)
        hits = [
            c
            for c in by_article.get((truth["file"], truth["predicate"]), [])
            if c["value"]["amount"] == truth["amount"]
            and truth["start"] <= c["span"]["start"]
            and c["span"]["end"] <= truth["end"]
        ]
        if truth["decoy"]:
            counts["decoys"] += 1
            counts["decoys_claimed"] += bool(hits)
            continue
        counts["figures"] += 1
        if not hits:
            misses.append(truth["sentence"])
            continue
        counts["found"] += 1
        claimant_ok = any(c["claimant_id"] == truth["claimant_id"] for c in hits)
        counts["claimant_ok"] += claimant_ok
        counts["qualifier_ok"] += any(c["value"]["qualifier"] == truth["qualifier"] for c in hits)
        if not claimant_ok:
            wrong.append(f"{hits[0]['claimant_id']} (expected {truth['claimant_id']}): {truth['sentence']}")
    return {**counts, "missed_examples": misses[:8], "wrong_claimant_examples": wrong[:8]}


def profile(seeds: Path, scratch: Path, top: int = 25) -> dict[str, Any]:
    """cProfile of one build: the functions with the most own time and cumulative time."""
    import pstats

    stats_file = scratch / "build.prof"
    argv = [PYTHON, "-m", "cProfile", "-o", str(stats_file), "-m", "kzdata", "build", "--seeds", str(seeds)]
    subprocess.run([*argv, "--out", str(scratch / "profiled-out"), "--quiet"], capture_output=True, check=False)
    stats = pstats.Stats(str(stats_file))
    raw = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]

    def rows(key: int) -> list[dict[str, Any]]:
        ranked = sorted(raw.items(), key=lambda item: item[1][key], reverse=True)[:top]
        return [
            {"function": _where(f, ln, name), "calls": calls, "own_s": own, "cumulative_s": cum}
            for (f, ln, name), (_, calls, own, cum, _) in ranked
        ]

    return {"total_s": total, "by_own": rows(2), "by_cumulative": rows(3)}


def _where(filename: str, line: int, name: str) -> str:
    short = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
    return f"{short}:{line}({name})"


def machine() -> dict[str, str]:
    def lines(path: str) -> list[str]:
        try:
            return Path(path).read_text().splitlines()
        except OSError:
            return []

    cpu = next((ln.split(":", 1)[1].strip() for ln in lines("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((ln.split()[1] for ln in lines("/proc/meminfo") if ln.startswith("MemTotal")), "0")
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": f"{int(mem) / 1024**2:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "kzdata git": head.stdout.strip() or "?",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "runner RSS (floor of ru_maxrss)": f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
    }


def render(runs: list[Run], info: dict[str, Any], prof: dict[str, Any] | None, analysis: str) -> str:
    bases = {
        (r.catalogue, r.jobs): min(
            (b for b in runs if b.exit_code == 0 and (b.catalogue, b.jobs) == (r.catalogue, r.jobs)),
            key=lambda b: b.articles,
            default=None,
        )
        for r in runs
    }
    out = [
        "# kzdata build: time against the number of articles\n",
        f"Generated by `{info['argv']}` on {info['date']}. Corpus: `python benchmarks/corpus.py N DIR "
        f"--seed {info['seed']}` (synthetic articles, see benchmarks/corpus.py). Every build is one fresh "
        "process: wall time from spawn to exit, peak RSS = the kernel's `ru_maxrss` of that child "
        "(`os.wait4`). MB = MB of article text (UTF-8 bytes / 10^6).\n",
        f"`--jobs`: {info['jobs']}\n",
        "## Machine\n",
        *[f"- {k}: {v}" for k, v in info["machine"].items()],
        "\n## Results\n",
        "| articles | sources.toml | jobs | text MB | words | build (s) | CPU (s) | articles/s | MB/s | ms/article "
        "| vs smallest N | peak RSS (MB) | claims | same bytes | exit |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in runs:
        base = bases[(r.catalogue, r.jobs)]
        ratio = f"{r.ms_per_article / base.ms_per_article:.2f}×" if base and r.exit_code == 0 else "–"
        out.append(
            f"| {r.articles:,} | {'yes' if r.catalogue else 'no'} | {r.jobs or '–'} | {r.text_mb:.1f} | {r.words:,} "
            f"| {r.seconds:.1f} | {r.cpu_s:.1f} | {r.articles_per_s:.1f} "
            f"| {r.mb_per_s:.3f} | {r.ms_per_article:.1f} | {ratio} | {r.rss_mb:.0f} | {r.claims:,} "
            f"| {_same(r.same_bytes)} | {r.exit_code} |"
        )
    out += ["", "Generation (benchmarks/corpus.py, in-process): " + ", ".join(
        f"{r.articles:,} articles in {r.generate_s:.2f} s" for r in runs if r.generate_s == r.generate_s
    ) + ".", ""]  # fmt: skip
    out += ["Commands:", "", "```", *[r.command for r in runs], "```", ""]
    for r in runs:
        if r.note:
            variant = "with" if r.catalogue else "without"
            out += [f"**N = {r.articles:,} ({variant} sources.toml): build failed**", "", "```", r.note, "```", ""]
    out += ["## Extraction against the corpus's answer key\n", _quality_table(runs)]
    if prof:
        out += [f"\n## Profile (cProfile, one build of {prof['articles']:,} articles)\n", _profile_tables(prof)]
    if analysis:
        out += ["", analysis.rstrip()]
    return "\n".join(out) + "\n"


def _same(same: bool | None) -> str:
    return "–" if same is None else "yes" if same else "**no**"


def _quality_table(runs: list[Run]) -> str:
    lines = [
        "| articles | sources.toml | templated figures | found as claims | right claimant | right qualifier "
        "| caption decoys | decoys claimed |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    examples: list[str] = []
    for r in runs:
        q = r.quality
        if not q:
            continue
        n = q["figures"] or 1
        lines.append(
            f"| {r.articles:,} | {'yes' if r.catalogue else 'no'} | {q['figures']:,} "
            f"| {q['found']:,} ({q['found'] / n:.1%}) | {q['claimant_ok']:,} ({q['claimant_ok'] / n:.1%}) "
            f"| {q['qualifier_ok']:,} ({q['qualifier_ok'] / n:.1%}) "
            f"| {q['decoys']:,} | {q['decoys_claimed']} |"
        )
        if not examples:
            examples = [f"- missed: {s}" for s in q["missed_examples"]]
            examples += [f"- claimant {s}" for s in q["wrong_claimant_examples"]]
    return "\n".join(lines) + ("\n\nExamples (first run):\n\n" + "\n".join(examples) if examples else "")


def _profile_tables(prof: dict[str, Any]) -> str:
    text = [f"Total profiled time: {prof['total_s']:.1f} s (cProfile overhead included).\n"]
    for key, title in (("by_own", "own time"), ("by_cumulative", "cumulative time")):
        text += [
            f"Top functions by {title}:\n",
            "| own (s) | cumulative (s) | calls | function |",
            "|---:|---:|---:|---|",
        ]
        text += [
            f"| {row['own_s']:.2f} | {row['cumulative_s']:.2f} | {row['calls']:,} | `{row['function']}` |"
            for row in prof[key]
        ]
        text.append("")
    return "\n".join(text)


def previous(path: Path, plan: list[tuple[int, bool, int | None]]) -> tuple[list[Run], dict[str, Any] | None]:
    """The runs of an earlier results file that ``plan`` does not measure again, and its profile."""
    if not path.exists():
        return [], None
    payload = json.loads(path.read_text(encoding="utf-8"))
    names = {f.name for f in fields(Run)}
    runs = [Run(**{k: v for k, v in row.items() if k in names}) for row in payload["runs"]]
    return [r for r in runs if (r.articles, r.catalogue, r.jobs) not in plan], payload.get("profile")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="numbers of articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jobs", type=int, nargs="*", default=[], help="build each N once per value (kzdata build --jobs J)"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a build is killed")
    parser.add_argument("--memory-limit", type=float, default=12000, help="MB of RSS at which a build is killed")
    parser.add_argument("--append", action="store_true", help="keep the runs of --json not measured again")
    parser.add_argument(
        "--bare-sizes",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="also build these sizes without sources.toml (metadata from the texts only)",
    )
    parser.add_argument("--profile", type=int, default=None, metavar="N", help="also profile a build of N articles")
    parser.add_argument("--data", type=Path, default=None, help="corpus cache folder (default: a temporary one)")
    parser.add_argument("--md", type=Path, default=HERE / "BUILD_SCALE.md")
    parser.add_argument("--json", type=Path, default=HERE / "BUILD_SCALE.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kzdata-scale-") as tmp:
        data = args.data or Path(tmp) / "data"
        scratch = Path(tmp)
        supports_jobs = has_jobs()
        jobs_list: list[int | None] = list(args.jobs) if supports_jobs and args.jobs else [None]
        info: dict[str, Any] = {
            "argv": shlex.join(["python", "benchmarks/build_scale.py", *(sys.argv[1:] if argv is None else argv)]),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "seed": args.seed,
            "machine": machine(),
            "jobs": (
                f"each N built with --jobs {', '.join(map(str, jobs_list))}" if jobs_list != [None] else
                "kzdata build has --jobs; not requested" if supports_jobs else
                "skipped: `kzdata build --help` offers no --jobs (single process)"
            ),
        }  # fmt: skip
        analysis = common.kept_analysis(args.md)
        plan = [(size, True, j) for size in sorted(args.sizes) for j in jobs_list]
        plan += [(size, False, j) for size in sorted(args.bare_sizes) for j in jobs_list]
        kept, prof = previous(args.json, plan) if args.append else ([], None)
        runs: list[Run] = list(kept)
        firsts: dict[tuple[int, bool], Path] = {}
        for size, catalogue, jobs in plan:
            seeds, totals, generate_s = corpus_dir(data, size, args.seed, catalogue=catalogue)
            run = Run(size, args.seed, totals["bytes"] / 1e6, totals["words"], generate_s, catalogue, jobs=jobs)
            label = "" if catalogue else " (no sources.toml)"
            print(f"n={size}{label} jobs={jobs}: generated in {generate_s:.2f} s; building …", flush=True)
            out = scratch / f"out-{size}{label and '-bare'}-j{jobs}"
            runs.append(
                build_once(
                    run,
                    seeds,
                    out,
                    jobs=jobs,
                    timeout=args.timeout,
                    memory_mb=args.memory_limit,
                    logs=scratch,
                )
            )
            first = firsts.setdefault((size, catalogue), out)
            if first != out and run.exit_code == 0 and first.is_dir():
                run.same_bytes = not common.differing_files(first, out)
                shutil.rmtree(out)  # outputs grow fast with N (claim_relations): keep only the first
            print(f"  {run.seconds:.1f} s (CPU {run.cpu_s:.1f} s), {run.articles_per_s:.1f} articles/s, "
                  f"{run.rss_mb:.0f} MB, exit {run.exit_code}, same bytes: {run.same_bytes}", flush=True)  # fmt: skip
            _write(args, runs, info, prof, analysis)
        runs.sort(key=lambda r: (not r.catalogue, r.articles, r.jobs or 0))
        if args.profile:
            print(f"profiling a build of {args.profile} articles …", flush=True)
            prof = {"articles": args.profile, **profile(corpus_dir(data, args.profile, args.seed)[0], scratch)}
        _write(args, runs, info, prof, analysis)
    return 0 if all(r.exit_code == 0 for r in runs) else 1


def _write(args: argparse.Namespace, runs: list[Run], info: dict[str, Any], prof: Any, analysis: str) -> None:
    """Rewrite both result files (after every build: a stopped run keeps what it measured)."""
    rows = [
        {**asdict(r), "articles_per_s": r.articles_per_s, "mb_per_s": r.mb_per_s, "ms_per_article": r.ms_per_article}
        for r in runs
    ]
    payload = {**info, "runs": rows, "profile": prof}
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    args.md.write_text(render(runs, info, prof, analysis), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
