from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.build.relations import compatible, derive_relations, figure_bounds, same_figure
from kzdata.records.jsonl import iter_records
from kzdata.records.models import Claim, Value
from kzdata.records.vocab import Qualifier, Relation, Unit
from tests import strategies

CASES = Path(__file__).parent / "data" / "build" / "relations"


def _claims(case: str) -> list[Claim]:
    lines = (CASES / f"{case}.jsonl").read_text(encoding="utf-8").splitlines()
    return [r for r in iter_records(lines, file=case) if isinstance(r, Claim)]


def _labelled(claims: list[Claim]) -> list[tuple[str, str, str]]:
    label = {c.id: c.notes for c in claims}
    return sorted(
        (str(label[r.claim_id]), str(label[r.other_claim_id]), r.relation.value) for r in derive_relations(claims)
    )


@pytest.mark.parametrize("case", sorted(p.name.removesuffix(".jsonl") for p in CASES.glob("*.jsonl")))
def test_relations_of_each_case(case: str) -> None:
    expected = sorted(tuple(item) for item in json.loads((CASES / f"{case}.expected.json").read_text()))
    assert _labelled(_claims(case)) == expected


@pytest.mark.parametrize("case", sorted(p.name.removesuffix(".jsonl") for p in CASES.glob("*.jsonl")))
def test_relations_do_not_depend_on_input_order(case: str) -> None:
    claims = _claims(case)
    shuffled = claims[:]
    random.Random(7).shuffle(shuffled)
    assert derive_relations(shuffled) == derive_relations(claims)


def test_relation_records_carry_predicate_scope_and_a_note_with_names() -> None:
    claims = _claims("updates_rising")
    names = {"act-ministry-of-internal-affairs-of-kazakhstan": "Ministry of Internal Affairs of Kazakhstan"}
    relation = next(r for r in derive_relations(claims, names) if r.relation is Relation.UPDATES)
    assert relation.predicate.value == "detained"
    assert relation.scope == "nationwide"
    assert relation.note is not None
    assert "Ministry of Internal Affairs of Kazakhstan" in relation.note
    assert "as of 2022-01-" in relation.note


def _value(amount: float | None, qualifier: Qualifier, low: float | None = None, high: float | None = None) -> Value:
    return Value(amount=amount, low=low, high=high, unit=Unit.PEOPLE, qualifier=qualifier)


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        (_value(7939, Qualifier.EXACT), (7939, 7939)),
        (_value(8000, Qualifier.ABOUT), (7500, 8500)),
        (_value(5800, Qualifier.ABOUT), (5750, 5850)),
        (_value(5000, Qualifier.OVER), (5000, float("inf"))),
        (_value(2000, Qualifier.ALMOST), (1500, 2000)),
        (_value(100, Qualifier.UP_TO), (0, 100)),
        (_value(None, Qualifier.RANGE, 2000, 2500), (2000, 2500)),
        (_value(None, Qualifier.VAGUE), None),
    ],
)
def test_figure_bounds(value: Value, bounds: tuple[float, float] | None) -> None:
    assert figure_bounds(value) == bounds


def test_a_rounded_figure_is_the_same_figure_but_a_near_one_is_not() -> None:
    assert same_figure(_value(8000, Qualifier.ABOUT), _value(7939, Qualifier.EXACT))
    assert not same_figure(_value(5800, Qualifier.ABOUT), _value(5969, Qualifier.EXACT))
    assert not same_figure(_value(7939, Qualifier.EXACT), _value(7989, Qualifier.EXACT))
    assert not same_figure(_value(5000, Qualifier.OVER), _value(5800, Qualifier.EXACT))
    assert compatible(_value(5000, Qualifier.OVER), _value(5800, Qualifier.EXACT))


@settings(max_examples=40, deadline=None)
@given(st.lists(strategies.claims, max_size=8), st.randoms(use_true_random=False))
def test_relations_are_deterministic_and_never_self_referencing(claims: list[Claim], rnd: random.Random) -> None:
    unique = list({c.id: c for c in claims}.values())
    relations = derive_relations(unique)
    shuffled = unique[:]
    rnd.shuffle(shuffled)
    assert derive_relations(shuffled) == relations
    by_id = {c.id: c for c in unique}
    for relation in relations:
        assert relation.claim_id != relation.other_claim_id
        first, second = by_id[relation.claim_id], by_id[relation.other_claim_id]
        assert (first.predicate, first.scope) == (second.predicate, second.scope)
    assert [r.id for r in relations] == sorted({r.id for r in relations})


def test_an_undated_claim_counts_as_of_its_source_publication_day() -> None:
    dated, undated = _claims("repeats_other_source")[0], _claims("repeats_other_source")[1]
    undated = undated.model_copy(update={"as_of": None, "stated_on": None})
    assert [(r.claim_id, r.other_claim_id) for r in derive_relations([dated, undated])] == [(dated.id, undated.id)]
    published = {undated.source_id: date(2022, 1, 11)}
    relations = derive_relations([dated, undated], published=published)
    assert [(r.claim_id, r.other_claim_id, r.relation) for r in relations] == [(undated.id, dated.id, Relation.REPEATS)]


def _group(n: int, seed: int) -> list[Claim]:
    """n claims about one quantity: a few claimants, sources and days, figures that repeat and differ."""
    rnd = random.Random(seed)
    claims = []
    for i in range(n):
        day = date(2022, 1, 5 + rnd.randrange(6))
        amount = rnd.choice([5800, 5969, 7939, 7989, 8000, 9900]) + (rnd.randrange(3) if rnd.random() < 0.1 else 0)
        claims.append(
            Claim.model_validate_json(
                json.dumps(
                    {
                        "record_type": "claim",
                        "id": f"clm-{i:016x}",
                        "source_id": f"src-{rnd.randrange(n // 3 + 1):012x}",
                        "claimant_id": rnd.choice([None, "act-a", "act-b", "act-c"]),
                        "predicate": "detained",
                        "scope": "nationwide",
                        "value": {"amount": amount, "unit": "people", "qualifier": rnd.choice(["exact", "about"])},
                        "as_of": day.isoformat(),
                        "stated_on": day.isoformat(),
                        "quote": "q",
                        "span": {"start": i, "end": i + 1},
                        "method": "hand",
                        "confidence": 1.0,
                    }
                )
            )
        )
    return claims


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 300), st.integers(0, 2**16))
def test_relations_grow_linearly_and_link_every_source_of_a_repeated_figure(n: int, seed: int) -> None:
    claims = _group(n, seed)
    relations = derive_relations(claims)
    assert len(relations) <= 4 * n
    linked = {r.claim_id for r in relations} | {r.other_claim_id for r in relations}
    by_figure: dict[tuple[float | None, str], list[Claim]] = {}
    for claim in claims:
        assert claim.value is not None
        by_figure.setdefault((claim.value.amount, claim.value.qualifier.value), []).append(claim)
    for same in by_figure.values():
        sources = {c.source_id for c in same}
        if len(sources) > 1:  # a figure two sources state: each source's report of it is related
            assert sources == {c.source_id for c in same if c.id in linked}


def test_twenty_thousand_claims_about_one_quantity_are_related_without_comparing_every_pair() -> None:
    relations = derive_relations(_group(20_000, 1))
    assert 0 < len(relations) <= 4 * 20_000
