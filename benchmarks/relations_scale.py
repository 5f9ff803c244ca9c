"""Claim relations at scale: the all-pairs derivation (before) against the candidate pairs (now).

``python benchmarks/relations_scale.py`` times :func:`kzdata.relations.derive_relations` and the
previous all-pairs version (kept below as :func:`all_pairs_relations`, the same ``relate``
rules applied to every pair of a group) on synthetic claims that all belong to **one**
quantity ("people detained nationwide"), the worst case for the quadratic version, at
1,000 / 5,000 / 20,000 claims, and writes ``benchmarks/RELATIONS.md``.

Synthetic claims (seed 13): amounts 1,000..9,990 in steps of 10; 60 claimants; 20 reference
days; qualifiers exact (50 %), about (25 %), over (25 %); 2 % retracted; one source per claim.
Each run is one in-process call after a warm-up on 200 claims, timed with
``time.perf_counter``; the best of ``--repeat`` runs is reported. The all-pairs version is not
run above ``--all-pairs-max`` claims (it needs n²/2 comparisons and keeps every relation it
finds); its time there is projected from the largest size it ran at, as n².
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path

from kzdata.build.relations import derive_relations, newness, relate
from kzdata.records import ids
from kzdata.records.models import Claim, ClaimRelation, Span, Value
from kzdata.records.vocab import Method, Predicate, Qualifier, Status, Unit

OUT = Path(__file__).parent / "RELATIONS.md"
SIZES = (1_000, 5_000, 20_000)


def all_pairs_relations(claims: Iterable[Claim]) -> list[ClaimRelation]:
    """The derivation before the candidate pairs: every pair of a group is classified."""
    groups: dict[tuple[str, str | None, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.value is not None:
            groups[(claim.predicate.value, claim.scope, claim.value.unit.value)].append(claim)
    relations: dict[str, ClaimRelation] = {}
    for group in groups.values():
        ordered = sorted(group, key=newness)
        for older, newer in combinations(ordered, 2):
            relation = relate(newer, older, days=(newness(newer)[0], newness(older)[0]))
            if relation is not None:
                relations[relation.id] = relation
    return [relations[key] for key in sorted(relations)]


def synthetic_claims(n: int, seed: int = 13) -> list[Claim]:
    """``n`` claims about one quantity; see the module docstring."""
    rnd = random.Random(seed)
    qualifiers = [Qualifier.EXACT, Qualifier.EXACT, Qualifier.ABOUT, Qualifier.OVER]
    claims = []
    for index in range(n):
        source = f"src-{index:012x}"
        day = date(2022, 1, 1 + rnd.randrange(20))
        claims.append(
            Claim(
                record_type="claim",
                id=ids.claim_id(source, 0, 10, "detained"),
                source_id=source,
                claimant_id=f"act-claimant-{rnd.randrange(60)}",
                predicate=Predicate.DETAINED,
                scope="nationwide",
                value=Value(amount=rnd.randrange(1000, 10000, 10), unit=Unit.PEOPLE, qualifier=rnd.choice(qualifiers)),
                as_of=day,
                stated_on=day,
                quote="a figure",
                span=Span(start=0, end=10),
                method=Method.HAND,
                confidence=1.0,
                status=Status.RETRACTED if rnd.random() < 0.02 else Status.REPORTED,
            )
        )
    return claims


def best_time(
    derive: Callable[[Sequence[Claim]], list[ClaimRelation]], claims: Sequence[Claim], repeat: int
) -> tuple[float, int]:
    """Best wall time of ``repeat`` runs, and the number of relations found."""
    times, found = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = len(derive(claims))
        times.append(time.perf_counter() - start)
    return min(times), found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--all-pairs-max", type=int, default=5_000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    load_start = os.getloadavg()
    warm = synthetic_claims(200)
    derive_relations(warm), all_pairs_relations(warm)
    rows, last_pairs = [], None
    for n in args.sizes:
        claims = synthetic_claims(n)
        new_time, new_found = best_time(derive_relations, claims, args.repeat)
        if n <= args.all_pairs_max:
            old_time, old_found = best_time(all_pairs_relations, claims, 1)
            last_pairs = (n, old_time)
            old = f"{old_time:.2f} | {old_found:,}"
        elif last_pairs is not None:
            projected = last_pairs[1] * (n / last_pairs[0]) ** 2
            old = f"not run (≈ {projected:,.0f} projected as n²) | –"
        else:
            old = "not run | –"
        rows.append(f"| {n:,} | {old} | {new_time:.2f} | {new_found:,} |")
        print(rows[-1], file=sys.stderr)
    loads = (load_start, os.getloadavg())
    args.out.write_text(report(rows, args, loads), encoding="utf-8")
    return 0


def report(rows: list[str], args: argparse.Namespace, loads: tuple[tuple[float, ...], ...]) -> str:
    """The Markdown page of the results."""
    command = "python benchmarks/relations_scale.py" + (f" --repeat {args.repeat}" if args.repeat != 3 else "")
    return "\n".join(
        [
            "# Claim relations at scale",
            "",
            f"Generated by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "All claims belong to one quantity (the worst case); see the docstring of",
            "`benchmarks/relations_scale.py` for the data. Times are seconds of one in-process call",
            f"(new: best of {args.repeat}; all pairs: one run).",
            "",
            f"- Python {platform.python_version()} on {platform.machine()} ({platform.system()}),"
            f" {os.cpu_count()} cores",
            "- load average at start / end: " + " / ".join(" ".join(f"{x:.2f}" for x in load) for load in loads),
            "  (a shared machine: other jobs ran at the same time, so single figures may vary ×2–4)",
            "",
            "| claims | all pairs (s) | all-pairs relations | candidate pairs (s) | relations |",
            "|---:|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
