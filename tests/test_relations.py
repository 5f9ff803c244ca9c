from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata import ids
from kzdata.models import Claim, ClaimRelation, Span, Value
from kzdata.records import iter_records
from kzdata.relations import compatible, derive_relations, figure_bounds, same_figure
from kzdata.vocab import Method, Predicate, Qualifier, Relation, Status, Unit
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


DAYS = [date(2022, 1, 8), date(2022, 1, 9), date(2022, 1, 10)]
CLAIMANTS = [
    None,
    "act-ministry-of-internal-affairs-of-kazakhstan",
    "act-office-of-the-president-of-kazakhstan",
    "act-government-of-kazakhstan",
]


def synthetic_claim(
    index: int,
    amount: float,
    *,
    claimant: str | None = None,
    day: date = DAYS[0],
    qualifier: Qualifier = Qualifier.EXACT,
    retracted: bool = False,
    predicate: Predicate = Predicate.DETAINED,
) -> Claim:
    """A numeric claim in a source of its own (``src-`` + the index), as of ``day``."""
    source = f"src-{index:012x}"
    return Claim(
        record_type="claim",
        id=ids.claim_id(source, 0, 10, predicate.value),
        source_id=source,
        claimant_id=claimant,
        predicate=predicate,
        scope="nationwide",
        value=Value(
            amount=amount,
            unit=Unit.TROOPS if predicate is Predicate.TROOPS_DEPLOYED else Unit.PEOPLE,
            qualifier=qualifier,
        ),
        as_of=day,
        stated_on=day,
        quote="a figure",
        span=Span(start=0, end=10),
        method=Method.HAND,
        confidence=1.0,
        status=Status.RETRACTED if retracted else Status.REPORTED,
    )


def _components(claims: list[Claim], relations: list[ClaimRelation]) -> dict[str, str]:
    """Claim id → a representative id of its connected component (undirected)."""
    parent = {c.id: c.id for c in claims}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for relation in relations:
        parent[find(relation.claim_id)] = find(relation.other_claim_id)
    return {c.id: find(c.id) for c in claims}


figures = st.tuples(
    st.sampled_from([5800, 5969, 7939, 7989, 8000]),
    st.sampled_from([Qualifier.EXACT, Qualifier.ABOUT]),
    st.sampled_from(CLAIMANTS),
    st.sampled_from(DAYS),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(figures, min_size=1, max_size=40), st.sampled_from([Predicate.DETAINED, Predicate.TROOPS_DEPLOYED]))
def test_relations_are_linear_and_connect_each_day_and_each_claimant(
    rows: list[tuple[int, Qualifier, str | None, date, bool]], predicate: Predicate
) -> None:
    claims = [
        synthetic_claim(i, amount, claimant=who, day=day, qualifier=qualifier, retracted=retracted, predicate=predicate)
        for i, (amount, qualifier, who, day, retracted) in enumerate(rows)
    ]
    relations = derive_relations(claims)
    assert len(relations) <= 8 * len(claims)
    if predicate is Predicate.DETAINED:
        assert len(relations) <= 5 * len(claims)
    component = _components(claims, relations)
    for key in (lambda c: c.as_of, lambda c: c.claimant_id):
        together: dict[object, set[str]] = {}
        for claim in claims:
            if key(claim) is not None:
                together.setdefault(key(claim), set()).add(component[claim.id])
        assert all(len(roots) == 1 for roots in together.values())


def test_twenty_thousand_claims_of_one_quantity_are_related() -> None:
    rnd = random.Random(13)
    qualifiers = [Qualifier.EXACT, Qualifier.EXACT, Qualifier.ABOUT, Qualifier.OVER]
    claims = [
        synthetic_claim(
            i,
            rnd.randrange(1000, 10000, 10),
            claimant=f"act-claimant-{rnd.randrange(60)}",
            day=date(2022, 1, 1 + rnd.randrange(20)),
            qualifier=rnd.choice(qualifiers),
            retracted=rnd.random() < 0.02,
        )
        for i in range(20_000)
    ]
    relations = derive_relations(claims)
    assert 0 < len(relations) <= 5 * len(claims)
    assert {r.relation for r in relations} == set(Relation)


def test_a_series_is_a_chain_of_updates_and_a_day_a_chain_of_contradictions() -> None:
    claims = [
        synthetic_claim(i, amount, claimant=CLAIMANTS[1], day=DAYS[i]) for i, amount in enumerate([3000, 5969, 7939])
    ] + [synthetic_claim(10 + i, amount, claimant=CLAIMANTS[2], day=DAYS[2]) for i, amount in enumerate([7000, 9000])]
    found = {(r.claim_id, r.other_claim_id, r.relation) for r in derive_relations(claims)}
    ministry, others = claims[:3], claims[3:]
    assert (ministry[1].id, ministry[0].id, Relation.UPDATES) in found
    assert (ministry[2].id, ministry[1].id, Relation.UPDATES) in found
    assert not any(r == (ministry[2].id, ministry[0].id, Relation.UPDATES) for r in found)
    contradictions = {frozenset(r[:2]) for r in found if r[2] is Relation.CONTRADICTS}
    assert contradictions == {
        frozenset({others[0].id, ministry[2].id}),
        frozenset({ministry[2].id, others[1].id}),
    }
