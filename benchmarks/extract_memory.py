"""Memory of ``kzdata extract`` against the size of the article text.

    python benchmarks/extract_memory.py                    # 0.25, 1 and 4 MB, table on stdout
    python benchmarks/extract_memory.py --sizes 1 --top 15  # plus tracemalloc's top allocation sites

An article of N MB is the body paragraphs of the seed articles (``seeds/articles/*.txt``)
concatenated, repeated until the text reaches N MB, written to a temporary file. Each size runs in a fresh
process (``subprocess`` + ``os.wait4``): the peak RSS the kernel reports (``ru_maxrss``),
the wall time, and the peak of Python allocations seen by ``tracemalloc`` during
``kzdata.extract.extract_article`` (tracemalloc slows the run; the RSS run is separate and
does not trace). The baseline is the RSS of the same process on a 1-byte-long article
("import cost"), so "MB per MB" = (peak RSS - baseline) / text MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

CHILD = r"""
import resource, sys, tracemalloc
from pathlib import Path
from kzdata import sources
from kzdata.extract import order_records, rule_records
from kzdata.records import write_jsonl
import kzdata.rules  # noqa: F401 - imported before measuring, like the CLI does on its first call

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

path, trace, top = Path(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
if trace:
    tracemalloc.start(25 if top else 1)
stages = [("imports", rss())]
# what 'kzdata extract ARTICLE --published 2022-01-10' does (kzdata.extract.extract_article + the CLI's output)
document = sources.parse(path, meta=sources.from_options({"published": "2022-01-10"}))
stages.append(("parse", rss()))
records = order_records([sources.to_source(document), *rule_records(document)])
stages.append(("rules", rss()))
out = write_jsonl(records)
stages.append(("output", rss()))
if trace:
    snapshot = tracemalloc.take_snapshot()
    _, peak = tracemalloc.get_traced_memory()
    print(f"TRACED_PEAK {peak}")
    for stat in snapshot.statistics("traceback")[:top]:
        print(f"{stat.size / 1024 / 1024:8.1f} MB  {stat.count:8d} blocks")
        for line in stat.traceback.format()[-8:]:
            print("    " + line)
print("STAGES " + " ".join(f"{name}={value}" for name, value in stages))
print(f"RECORDS {len(records)} OUTPUT {len(out)}")
"""


def article_text(size_mb: float) -> str:
    """The seed articles' body paragraphs, repeated until the text has ``size_mb`` MB (UTF-8).

    Only body paragraphs (as :func:`kzdata.sources.parse` finds them): a whole seed file
    repeated would be mostly boilerplate after its first footer, and the rules would never
    see it.
    """
    from kzdata import sources

    pieces = []
    for article in sorted((ROOT / "seeds" / "articles").glob("*.txt")):
        document = sources.parse(article)
        pieces.extend(document.body_text(segment) for segment in document.body)
    block = "\n\n".join(pieces) + "\n\n"
    target = int(size_mb * MB)
    text = block * (target // len(block.encode("utf-8")) + 1)
    return text.encode("utf-8")[:target].decode("utf-8", "ignore")


def run(path: Path, *, trace: bool, top: int = 0) -> tuple[float, int, str]:
    """(wall seconds, peak RSS bytes, stdout) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), "1" if trace else "0", str(top)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"extract failed on {path} (status {status})")
    return time.perf_counter() - start, usage.ru_maxrss * 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 1.0, 4.0], help="text sizes in MB")
    parser.add_argument("--top", type=int, default=0, help="print tracemalloc's top N allocation sites")
    parser.add_argument("--no-trace", action="store_true", help="skip the (slow) tracemalloc runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.txt"
        tiny.write_text(article_text(0.001), "utf-8")
        _, baseline, _ = run(tiny, trace=False)
        print(f"baseline RSS (1 KB article): {baseline / MB:.0f} MB")
        print("| text MB | wall s | peak RSS MB | RSS - baseline, MB per text MB | tracemalloc peak MB | records |")
        print("|---:|---:|---:|---:|---:|---:|")
        steps: list[tuple[float, dict[str, float]]] = []
        for size in args.sizes:
            path = Path(tmp) / f"article_{size}.txt"
            path.write_text(article_text(size), "utf-8")
            wall, rss, out = run(path, trace=False)
            records = out.split("RECORDS ")[-1].split()[0]
            stages = dict(kv.split("=") for kv in out.split("STAGES ")[1].split("\n")[0].split())
            steps.append((size, {k: int(v) / MB for k, v in stages.items()}))
            traced = "-"
            if not args.no_trace or args.top:
                _, _, tout = run(path, trace=True, top=args.top)
                if args.top:
                    print(tout)
                traced = f"{int(tout.split('TRACED_PEAK ')[1].split()[0]) / MB:.0f}"
            per = (rss - baseline) / MB / size
            print(f"| {size:g} | {wall:.1f} | {rss / MB:.0f} | {per:.0f} | {traced} | {records} |")
        print("\npeak RSS after each step (MB, same process, untraced run):\n")
        print("| text MB | imports | parse | rules | output |")
        print("|---:|---:|---:|---:|---:|")
        for size, stages in steps:
            cells = " | ".join(f"{stages[k]:.0f}" for k in ("imports", "parse", "rules", "output"))
            print(f"| {size:g} | {cells} |")


if __name__ == "__main__":
    main()
