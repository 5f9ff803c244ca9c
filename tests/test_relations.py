from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.build import relations
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


def _figures(amounts: list[tuple[float, str]]) -> list[Claim]:
    template = _group(1, 0)[0]
    return [
        template.model_copy(update={"id": f"clm-{i:016x}", "value": _value(amount, Qualifier(qualifier))})
        for i, (amount, qualifier) in enumerate(amounts)
    ]


def _clusters_by_every_pair(ordered: list[Claim]) -> list[int]:
    """The clustering rule stated plainly: the first earlier representative stating the same figure, else a new one."""
    representatives: list[Claim] = []
    out = []
    for claim in ordered:
        assert claim.value is not None
        same = [i for i, r in enumerate(representatives) if claim.value == r.value or _same_point(claim.value, r.value)]
        if not same:
            representatives.append(claim)
        out.append(same[0] if same else len(representatives) - 1)
    return out


def _same_point(a: Value, b: Value | None) -> bool:
    """Same figure, for a representative whose amount is within the claim's search window (what _clusters does:
    "about 10,000" admits 5,800 but lies outside 5,800's window, so they are not clustered)."""
    points = (Qualifier.EXACT, Qualifier.ABOUT)
    if b is None or b.amount is None or a.amount is None or a.qualifier not in points:
        return False
    low, high = relations._search_window(a)
    return low <= b.amount <= high and same_figure(a, b)


_AMOUNTS = st.one_of(st.sampled_from([0, 1, 50, 100, 950, 1000, 1050, 5800, 5969, 7500, 8000, 8500, 10000]),
                     st.integers(0, 12_000), st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_AMOUNTS, st.sampled_from(["exact", "about", "over", "almost"])), min_size=1, max_size=60))
def test_clusters_are_those_of_comparing_every_pair(amounts: list[tuple[float, str]]) -> None:
    claims = _figures(amounts)
    assert relations._clusters(claims) == _clusters_by_every_pair(claims)


def test_clustering_compares_a_new_figure_only_with_figures_it_may_state(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(relations, "same_figure", lambda a, b: calls.append(1) or same_figure(a, b))
    claims = _figures([(2000 + i, "exact") for i in range(3000)])  # dense distinct figures, none the same
    assert len(set(relations._clusters(claims))) == 3000
    assert len(calls) < 3000  # scanning every amount within 10^(digits-1) made ~n²/2 comparisons
