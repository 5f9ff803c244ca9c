"""kzdata.build.quantities: one row per quantity and day, low / best / high by a named rule.

Cases live in tests/data/quantities/: ``<case>.jsonl`` (claims, labelled by their ``notes``),
``<case>.expected.json`` (the rows, with claims named by label) and, optionally,
``<case>.responsible.yaml`` in place of the bundled responsible bodies.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.build.pipeline import build_records
from kzdata.build.quantities import WITHDRAWN, derive_quantities, load_responsible
from kzdata.build.relations import derive_relations
from kzdata.errors import DataError
from kzdata.records import ids
from kzdata.records.jsonl import iter_records
from kzdata.records.models import Claim, ClaimRelation, Quantity, Span, Value
from kzdata.records.vocab import BestRule, Method, Predicate, Qualifier, Relation, Status, Unit
from tests import strategies

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


CASES = Path(__file__).parent / "data" / "quantities"
NAMES = sorted(p.name.removesuffix(".jsonl") for p in CASES.glob("*.jsonl"))


def _claims(case: str) -> list[Claim]:
    lines = (CASES / f"{case}.jsonl").read_text(encoding="utf-8").splitlines()
    return [r for r in iter_records(lines, file=case) if isinstance(r, Claim)]


def _quantities(claims: list[Claim], case: str) -> list[Quantity]:
    yaml_file = CASES / f"{case}.responsible.yaml"
    responsible = load_responsible(yaml_file) if yaml_file.exists() else None
    return derive_quantities(claims, derive_relations(claims), responsible)


def _labelled(quantity: Quantity, label: dict[str, str]) -> dict[str, Any]:
    official = quantity.latest_official_claim_id
    return {
        "as_of": quantity.as_of.isoformat(),
        "predicate": quantity.predicate.value,
        "scope": quantity.scope,
        "low": quantity.low,
        "best": quantity.best,
        "high": quantity.high,
        "low_claims": sorted(label[i] for i in quantity.low_claim_ids),
        "best_claims": sorted(label[i] for i in quantity.best_claim_ids),
        "high_claims": sorted(label[i] for i in quantity.high_claim_ids),
        "rule": quantity.rule.value,
        "contested": quantity.contested,
        "latest_official": quantity.latest_official,
        "latest_official_claim": label[official] if official else None,
        "n_claims": quantity.n_claims,
        "n_claimants": quantity.n_claimants,
        "n_sources": quantity.n_sources,
    }


@pytest.mark.parametrize("case", NAMES)
def test_quantities_of_each_case(case: str) -> None:
    claims = _claims(case)
    label = {c.id: str(c.notes) for c in claims}
    rows = sorted((_labelled(q, label) for q in _quantities(claims, case)), key=lambda r: (r["scope"], r["as_of"]))
    expected = json.loads((CASES / f"{case}.expected.json").read_text(encoding="utf-8"))
    assert rows == sorted(expected, key=lambda r: (r["scope"], r["as_of"]))


@pytest.mark.parametrize("case", NAMES)
def test_quantities_do_not_depend_on_input_order(case: str) -> None:
    claims = _claims(case)
    shuffled = claims[:]
    random.Random(3).shuffle(shuffled)
    assert _quantities(shuffled, case) == _quantities(claims, case)


def test_rows_are_sorted_by_id_and_ids_name_quantity_and_day() -> None:
    rows = _quantities(_claims("detained_worked_example"), "detained_worked_example")
    assert [q.id for q in rows] == sorted(q.id for q in rows)
    first = rows[0]
    assert first.id == ids.quantity_id(first.predicate.value, first.scope, first.unit.value, first.as_of)


def test_an_undated_or_vaguely_dated_claim_gets_no_row() -> None:
    claims = _claims("detained_worked_example")
    undated = next(c for c in claims if c.notes == "government-undated")
    assert all(undated.id not in q.claim_ids for q in _quantities(claims, "detained_worked_example"))


def test_the_ties_of_one_official_day_go_to_the_figure_more_sources_carry() -> None:
    rows = _quantities(_claims("detained_worked_example"), "detained_worked_example")
    tenth = next(q for q in rows if q.as_of == date(2022, 1, 10))
    assert tenth.latest_official == 7939
    assert tenth.latest_official_claim_id == min(tenth.best_claim_ids)


def test_the_bundled_responsible_bodies_cover_the_casualty_counts() -> None:
    responsible = load_responsible()
    assert responsible[Predicate.DETAINED][0] == "act-ministry-of-internal-affairs-of-kazakhstan"
    assert "act-ministry-of-health-of-kazakhstan" in responsible[Predicate.KILLED]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("- a list\n", "mapping"), ("arrested_en_masse:\n  - act-x\n", "not a predicate"), ("killed: act-x\n", "list")],
)
def test_a_broken_responsible_file_is_a_data_error(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "responsible.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=fragment):
        load_responsible(path)


def _check_invariants(claims: list[Claim]) -> None:
    relations = derive_relations(claims)
    rows = derive_quantities(claims, relations)
    withdrawn = {r.other_claim_id for r in relations if r.relation is Relation.RETRACTS}
    by_id = {c.id: c for c in claims}
    for row in rows:
        standing = {i for i in row.claim_ids if by_id[i].status not in WITHDRAWN and i not in withdrawn}
        if row.best is not None:
            assert row.low is not None and row.high is not None
            assert row.low <= row.best <= row.high
            assert row.best_claim_ids
        else:
            assert row.rule is BestRule.NO_POINT_FIGURE
        if row.low is not None and row.high is not None:
            assert row.low <= row.high
        for chosen in (row.low_claim_ids, row.best_claim_ids, row.high_claim_ids):
            assert set(chosen) <= standing
        assert row.latest_official_claim_id is None or row.latest_official_claim_id in standing
        assert row.n_claims == len(row.claim_ids) == len(set(row.claim_ids))
    assert [q.id for q in rows] == sorted({q.id for q in rows})
    assert derive_quantities(list(reversed(claims)), relations) == rows


figures = st.tuples(
    st.sampled_from([5800, 5969, 7939, 7989, 8000]),
    st.sampled_from(list(Qualifier)),
    st.sampled_from([*CLAIMANTS, "act-ministry-of-health-of-kazakhstan"]),
    st.sampled_from(DAYS),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(figures, min_size=1, max_size=30), st.sampled_from([Predicate.DETAINED, Predicate.KILLED]))
def test_low_best_high_are_ordered_and_come_from_standing_claims(
    rows: list[tuple[int, Qualifier, str | None, date, bool]], predicate: Predicate
) -> None:
    claims = [
        synthetic_claim(i, amount, claimant=who, day=day, qualifier=qualifier, retracted=retracted, predicate=predicate)
        for i, (amount, qualifier, who, day, retracted) in enumerate(rows)
    ]
    _check_invariants(claims)


@settings(max_examples=60, deadline=None)
@given(st.lists(strategies.claims, max_size=8))
def test_invariants_hold_for_arbitrary_valid_claims(claims: list[Claim]) -> None:
    _check_invariants(list({c.id: c for c in claims}.values()))


def test_the_seed_detention_figures_give_the_documented_rows() -> None:
    records = build_records(Path(__file__).parent.parent / "seeds").records
    claims = [r for r in records if isinstance(r, Claim)]
    relations = [r for r in records if isinstance(r, ClaimRelation)]
    rows = {
        q.as_of.day: (q.low, q.best, q.high, q.rule, q.contested, q.latest_official)
        for q in derive_quantities(claims, relations)
        if q.predicate is Predicate.DETAINED and q.scope == "nationwide"
    }
    assert rows == {
        9: (5800, 5969, 5969, BestRule.OFFICIAL_LATEST, True, 5969),
        10: (7939, 7939, 8000, BestRule.OFFICIAL_LATEST, True, 7939),
        11: (8000, 8000, 8000, BestRule.MEDIAN_OF_CLAIMANTS, False, None),  # a headline's "8,000 arrested"
    }
