"""The committed dataset releases: every one verifies; the latest (exports/index.json) is complete
against the gold set and relates the contested figures the way the design describes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kzdata.build.gold import load_gold
from kzdata.records import ids
from kzdata.release.verify import verify
from kzdata.release.write import read_records

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "exports"
RELEASE = EXPORTS / f"v{json.loads((EXPORTS / 'index.json').read_text(encoding='utf-8'))['latest']}"
COMMITTED = sorted(p for p in EXPORTS.glob("v*") if p.is_dir())
ARTICLES = ROOT / "seeds" / "articles"


def _table(name: str) -> list[dict[str, Any]]:
    return [record.model_dump(mode="json") for record in read_records([RELEASE / f"{name}.jsonl"])]


@pytest.fixture(scope="module")
def claims() -> dict[str, dict[str, Any]]:
    return {claim["id"]: claim for claim in _table("claims")}


@pytest.mark.parametrize("release", COMMITTED, ids=lambda p: p.name)
def test_every_committed_release_verifies_with_its_texts(release: Path) -> None:
    report = verify(release, texts=ARTICLES)
    assert report.ok, report.problems
    assert report.files == len(list(release.iterdir()))


def test_every_gold_figure_is_in_the_release_with_its_claimant(claims: dict[str, dict[str, Any]]) -> None:
    missing = []
    for article in load_gold(ROOT / "tests" / "data" / "gold", ARTICLES):
        source = ids.source_id((ARTICLES / article.article).read_bytes())
        for gold in (claim for claim in article.claims if claim.numeric):
            found = [
                c
                for c in claims.values()
                if c["source_id"] == source
                and c["predicate"] == gold.predicate.value
                and c["value"] is not None
                and c["value"]["amount"] == gold.amount
                and c["claimant_id"] == gold.claimant_id
            ]
            if not found:
                missing.append((article.article, gold.predicate.value, gold.amount, gold.claimant))
    assert missing == []


def _relations(claims: dict[str, dict[str, Any]], predicate: str) -> set[tuple[Any, Any, str, Any, Any]]:
    def who(claim: dict[str, Any]) -> Any:
        return claim["claimant_id"]

    out = set()
    for relation in _table("claim_relations"):
        if relation["predicate"] != predicate:
            continue
        a, b = claims[relation["claim_id"]], claims[relation["other_claim_id"]]
        out.add((a["value"]["amount"], b["value"]["amount"], relation["relation"], who(a), who(b)))
    return out


MIA = "act-ministry-of-internal-affairs-of-kazakhstan"
HEALTH = "act-ministry-of-health-of-kazakhstan"


def test_detention_figures_are_related_as_the_design_describes(claims: dict[str, dict[str, Any]]) -> None:
    found = _relations(claims, "detained")
    assert (5969, 5800, "contradicts", MIA, "act-government-of-kazakhstan") in found
    assert (7939, 5969, "updates", MIA, MIA) in found
    assert (7989, 7939, "contradicts", MIA, MIA) in found
    assert (7939, 7939, "repeats", MIA, MIA) in found


def test_troop_figures_and_the_retracted_death_toll_are_related(claims: dict[str, dict[str, Any]]) -> None:
    troops = {(a, b, kind) for a, b, kind, _, _ in _relations(claims, "troops_deployed")}
    assert {(2500, 2030, "contradicts"), (2030, 2500, "contradicts")} <= troops
    assert (2500, 2500, "repeats") in troops
    killed = _relations(claims, "killed")
    assert (164, 164, "retracts", HEALTH, HEALTH) in killed
    retracted = [c for c in claims.values() if c["status"] == "retracted"]
    assert retracted
    assert all(c["value"]["amount"] == 164 for c in retracted)
