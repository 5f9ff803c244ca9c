"""Fill in and check the spans of the hand-made gold set (tests/data/gold/*.yaml).

Each gold claim carries the exact quote its annotator copied from the article; this script
finds it in seeds/articles/<article> and writes ``span: [start, end]`` under the quote line
(Python str offsets, end exclusive), or checks an existing span. A quote that is not in
the article, or is in it more than once, is an error to fix by hand.

    .venv/bin/python benchmarks/gold_spans.py [--check] [--gold DIR] [--articles DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
ARTICLES = ROOT / "seeds" / "articles"


def locate(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    if start < 0:
        raise ValueError(f"quote not in article: {quote[:80]!r}")
    if text.find(quote, start + 1) >= 0:
        raise ValueError(f"quote occurs more than once: {quote[:80]!r}")
    return start, start + len(quote)


def fill(path: Path, articles: Path, check: bool) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = (articles / data["article"]).read_text(encoding="utf-8")
    problems = []
    spans = []
    for claim in data["claims"]:
        try:
            spans.append(locate(text, claim["quote"]))
        except ValueError as error:
            problems.append(f"{path.name}: {error}")
            spans.append((-1, -1))
            continue
        if "span" in claim and tuple(claim["span"]) != spans[-1]:
            problems.append(f"{path.name}: span {claim['span']} != {list(spans[-1])} for {claim['quote'][:60]!r}")
    if problems or check:
        return problems
    out, index = [], 0
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for line in lines:
        if line.lstrip().startswith("span:"):
            continue
        out.append(line)
        if line.startswith("    quote: "):
            indent = line[: len(line) - len(line.lstrip())]
            start, end = spans[index]
            out.append(f"{indent}span: [{start}, {end}]\n")
            index += 1
    path.write_text("".join(out), encoding="utf-8")
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the spans; write nothing")
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of gold files")
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="folder of the articles")
    args = parser.parse_args()
    problems = [p for path in sorted(args.gold.glob("*.yaml")) for p in fill(path, args.articles, args.check)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
