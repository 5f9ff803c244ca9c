"""The benchmark generator (benchmarks/generate.py) writes what it promises, at small N.

Valid stream: every record parses, ids follow kzdata.records.ids, references resolve, quotes equal
their source text at the span. Invalid variant: exactly the manifest's lines differ.
Both are also run through ``kzdata validate``: the valid stream is clean and the invalid one
reports exactly the injected problems.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from kzdata.records import ids
from kzdata.records.jsonl import parse_record
from kzdata.records.models import Actor, Claim, Event, Source
from tests.benchmark_support import load_benchmark

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = 200


generate = load_benchmark("generate")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bench")
    generate.generate(directory, claims=CLAIMS, seed=7, invalid_share=0.1)
    return directory


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def _manifest(out: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in _lines(out / "invalid.manifest.jsonl")]


def test_valid_stream_parses_and_follows_the_id_rules(out: Path) -> None:
    records = [parse_record(line) for line in _lines(out / "records.jsonl")]
    counts = Counter(type(r).__name__ for r in records)
    assert counts["Claim"] == CLAIMS
    assert counts["Source"] >= 1
    assert counts["Actor"] >= 1
    assert counts["Event"] >= 1
    assert len({r.id for r in records}) == len(records)
    for record in records:
        if isinstance(record, Source):
            data = (out / record.path).read_bytes()
            assert record.id == ids.source_id(data)
            assert record.sha256 == hashlib.sha256(data).hexdigest()
            assert record.length == len(data.decode("utf-8"))
        elif isinstance(record, Actor):
            assert record.id == ids.actor_id(record.name)
        elif isinstance(record, Event):
            location = record.location.name if record.location else None
            assert record.id == ids.event_id(record.event_type, record.start, location, record.title)
        elif isinstance(record, Claim):
            assert record.id == ids.claim_id(record.source_id, record.span.start, record.span.end, record.predicate)


def test_references_resolve_and_quotes_match_the_texts(out: Path) -> None:
    records = [parse_record(line) for line in _lines(out / "records.jsonl")]
    known = {r.id for r in records}
    texts = {r.id: (out / r.path).read_text(encoding="utf-8") for r in records if isinstance(r, Source)}
    claims = [r for r in records if isinstance(r, Claim)]
    non_ascii = "".join(c.quote for c in claims)
    assert any("\u0400" <= ch <= "\u04ff" for ch in non_ascii)  # Cyrillic
    assert "’" in non_ascii or "“" in non_ascii
    for claim in claims:
        assert texts[claim.source_id][claim.span.start : claim.span.end] == claim.quote
        for reference in (claim.claimant_id, claim.event_id, *claim.relayed_by):
            assert reference is None or reference in known
        if claim.value is not None:
            bounds = [b for b in (claim.value.low, claim.value.amount, claim.value.high) if b is not None]
            assert bounds == sorted(bounds)
        assert claim.as_of is None or claim.stated_on is None or claim.as_of <= claim.stated_on


def test_invalid_variant_breaks_exactly_the_manifest_lines(out: Path) -> None:
    valid, invalid = _lines(out / "records.jsonl"), _lines(out / "invalid.jsonl")
    manifest = _manifest(out)
    assert len(valid) == len(invalid)
    assert len(manifest) == round(0.1 * len(valid))
    broken = {entry["line"] for entry in manifest}
    assert len(broken) == len(manifest)
    differing = {number for number, (a, b) in enumerate(zip(valid, invalid, strict=True), start=1) if a != b}
    assert differing == broken
    assert all(b'"record_type":"claim"' in valid[line - 1] for line in broken)
    assert {entry["kind"] for entry in manifest} <= {p.kind for p in generate.PROBLEMS}
    assert len({entry["kind"] for entry in manifest}) >= 10


def test_generation_is_deterministic(tmp_path: Path, out: Path) -> None:
    generate.generate(tmp_path / "again", claims=CLAIMS, seed=7, invalid_share=0.1)
    generate.generate(tmp_path / "other", claims=CLAIMS, seed=8, invalid_share=0.1)
    for name in ("records.jsonl", "invalid.jsonl", "invalid.manifest.jsonl", "claims.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()
    assert (tmp_path / "other" / "records.jsonl").read_bytes() != (out / "records.jsonl").read_bytes()


def test_claims_csv_has_one_row_per_claim(out: Path) -> None:
    import csv

    from kzdata.formats import csv as flat

    with (out / "claims.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == CLAIMS
    assert list(rows[0]) == flat.COLUMNS["claim"]
    first_claim = next(line for line in _lines(out / "records.jsonl") if b'"record_type":"claim"' in line)
    assert parse_record(first_claim) == parse_record(orjson.dumps(flat.unflatten(rows[0], "claim")))


def _validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kzdata", "validate", *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_kzdata_validate_accepts_the_valid_stream(out: Path) -> None:
    result = _validate(str(out / "records.jsonl"), "--format", "json", "--strict")
    report = orjson.loads(result.stdout)
    assert report["issues"] == []
    assert report["records"] == len(_lines(out / "records.jsonl"))
    assert result.returncode == 0


def test_kzdata_validate_reports_exactly_the_injected_problems(out: Path) -> None:
    result = _validate(str(out / "invalid.jsonl"), "--format", "json")
    assert result.returncode == 1
    found = Counter((i["line"], i["code"], i["pointer"]) for i in orjson.loads(result.stdout)["issues"])
    expected = Counter((e["line"], code, e["pointer"]) for e in _manifest(out) for code in e["codes"])
    assert found == expected


# --- benchmarks/corpus.py: the synthetic article corpus of the build benchmark ----------------


corpus = load_benchmark("corpus")
ARTICLES = 20
CORPUS_SEED = 6  # its 20 articles hold both known defects below, and 22 interior-ministry detention figures


def _possessive_according_to(truth: dict[str, Any]) -> bool:
    """'According to Kazakhstan's Interior Ministry, …': extracted with claimant Kazakhstan."""
    return str(truth["sentence"]).startswith("According to Kazakhstan's")


def _bare_year_like(truth: dict[str, Any]) -> bool:
    """'2004 peacekeepers', 'Nearly 2061 people': a figure in 1900–2100 without a comma is not extracted."""
    return 1900 <= truth["amount"] <= 2100 and str(truth["amount"]) in truth["sentence"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(seeds folder, build output) of a 20-article synthetic corpus."""
    seeds = tmp_path_factory.mktemp("corpus")
    corpus.generate(ARTICLES, seeds, seed=CORPUS_SEED)
    out = seeds.parent / f"{seeds.name}-out"
    result = subprocess.run(
        [sys.executable, "-m", "kzdata", "build", "--seeds", str(seeds), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return seeds, out


def _truth(seeds: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in _lines(seeds / "truth.jsonl")]


def _claims_by_file(out: Path) -> dict[str, list[dict[str, Any]]]:
    files = {r["id"]: r["path"].rsplit("/", 1)[-1] for r in map(orjson.loads, _lines(out / "sources.jsonl"))}
    claims: dict[str, list[dict[str, Any]]] = {}
    for claim in map(orjson.loads, _lines(out / "claims.jsonl")):
        claims.setdefault(files[claim["source_id"]], []).append(claim)
    return claims


def _claimed(truth: dict[str, Any], claims: dict[str, list[dict[str, Any]]], *, claimant: bool = True) -> bool:
    """A claim of the truth row's predicate and amount, inside its sentence (and by its claimant)."""
    return any(
        c["predicate"] == truth["predicate"]
        and (c["value"] or {}).get("amount") == truth["amount"]
        and truth["start"] <= c["span"]["start"] <= c["span"]["end"] <= truth["end"]
        and (not claimant or c["claimant_id"] == truth["claimant_id"])
        for c in claims.get(truth["file"], [])
    )


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    totals = corpus.generate(ARTICLES, tmp_path / "a", seed=CORPUS_SEED)
    corpus.generate(ARTICLES, tmp_path / "b", seed=CORPUS_SEED)
    corpus.generate(ARTICLES, tmp_path / "c", seed=CORPUS_SEED + 1)
    first = _files(tmp_path / "a")
    assert len([name for name in first if name.startswith("articles/")]) == ARTICLES
    assert first == _files(tmp_path / "b")
    assert first["sources.toml"] != _files(tmp_path / "c")["sources.toml"]
    assert 300 * ARTICLES <= totals["words"] <= 800 * ARTICLES


def test_build_on_the_corpus_extracts_every_interior_ministry_detention_figure(built: tuple[Path, Path]) -> None:
    seeds, out = built
    claims = _claims_by_file(out)
    expected = [
        t
        for t in _truth(seeds)
        if not t["decoy"] and t["predicate"] == "detained" and t["claimant_id"] == corpus.INTERIOR
    ]
    checked = [t for t in expected if not (_possessive_according_to(t) or _bare_year_like(t))]
    assert len(checked) >= 15
    assert [t["sentence"] for t in checked if not _claimed(t, claims)] == []


def test_figures_in_photo_captions_are_not_claims(built: tuple[Path, Path]) -> None:
    seeds, out = built
    claims = _claims_by_file(out)
    decoys = [t for t in _truth(seeds) if t["decoy"]]
    assert decoys
    assert [t["sentence"] for t in decoys if _claimed(t, claims, claimant=False)] == []


def test_according_to_a_states_ministry_credits_the_ministry(built: tuple[Path, Path]) -> None:
    seeds, out = built
    claims = _claims_by_file(out)
    cases = [t for t in _truth(seeds) if not t["decoy"] and _possessive_according_to(t)]
    assert cases
    assert [t["sentence"] for t in cases if not _claimed(t, claims)] == []


def test_four_digit_counts_before_a_person_noun_are_figures(built: tuple[Path, Path]) -> None:
    seeds, out = built
    claims = _claims_by_file(out)
    cases = [t for t in _truth(seeds) if not t["decoy"] and _bare_year_like(t)]
    assert cases
    assert [t["sentence"] for t in cases if not _claimed(t, claims, claimant=False)] == []


def test_build_on_the_corpus_in_two_processes_writes_the_bytes_of_one(built: tuple[Path, Path], tmp_path: Path) -> None:
    """``--jobs 2`` (articles in workers, the chart beside the tables) against ``--jobs 1``, chart included."""
    from kzdata.build.pipeline import build
    from kzdata.formats import chart

    seeds, _ = built
    one = build(seeds, tmp_path / "one", jobs=1)
    two = build(seeds, tmp_path / "two", jobs=2)
    assert one.ok and two.ok
    relations = [r for r in one.records if r.record_type == "claim_relation"]
    points = chart.points({"claims": [r for r in one.records if isinstance(r, Claim)], "claim_relations": relations})
    assert len(points) >= 10  # the chart draws many figures, not the empty placeholder
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
