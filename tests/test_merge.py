from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.build.merge import merge
from kzdata.records.jsonl import iter_records
from kzdata.records.models import Actor, AnyRecord, Claim, Source
from tests import strategies

CASE = Path(__file__).parent / "data" / "build" / "merge"


def _read(name: str) -> list[AnyRecord]:
    return list(iter_records((CASE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines(), file=name))


def _claim_labels(records: tuple[AnyRecord, ...]) -> list[str]:
    return sorted(str(r.notes) for r in records if isinstance(r, Claim))


def test_curated_claims_override_extracted_ones_with_the_same_id_or_passage() -> None:
    result = merge(_read("extracted"), _read("curated"))
    assert _claim_labels(result.records) == [
        "curated-corrected",
        "curated-new",
        "curated-overlap",
        "curated-same-id",
        "curated-second-figure",
        "duplicate",
        "neighbour",
        "other-predicate",
        "other-source",
        "sentence-first-figure",
        "untouched",
    ]
    assert result.extracted_claims == 10  # the exact duplicate counts once
    assert result.curated_claims == 5
    assert len(result.overridden) == 4


def test_overridden_ids_name_the_replaced_extracted_claims() -> None:
    extracted = {r.id: r for r in _read("extracted") if isinstance(r, Claim)}
    result = merge(extracted.values(), _read("curated"))
    assert sorted(str(extracted[i].notes) for i in result.overridden) == [
        "misread",
        "overlapping",
        "same-id",
        "sentence-second-figure",
    ]


def test_in_a_sentence_with_two_figures_only_the_curated_figure_is_overridden() -> None:
    result = merge(_read("extracted"), _read("curated"))
    labels = _claim_labels(result.records)
    assert "sentence-first-figure" in labels  # 5,969 stays
    assert "sentence-second-figure" not in labels  # "almost two thousand" re-read by the curator
    assert "misread" not in labels  # a corrected figure replaces the claim it overlaps most
    assert "neighbour" in labels


def test_actor_records_merge_into_one_with_curated_fields_winning() -> None:
    result = merge(_read("extracted"), _read("curated"))
    tokayev = [r for r in result.records if isinstance(r, Actor) and r.id == "act-kassym-jomart-tokayev"]
    assert len(tokayev) == 1
    actor = tokayev[0]
    assert actor.notes == "curated"
    assert actor.wikidata_id == "Q1133"  # filled from the extracted record
    assert actor.aliases == ["Kasim-Jomart Tokayev", "Kassem-Jomart Tokayev", "Kassym Jomart Tokayev", "Tokayev"]
    assert [role.title for role in actor.roles] == ["Chairman of the Security Council of Kazakhstan"]


def test_extracted_roles_are_kept_when_no_curated_record_gives_any() -> None:
    extracted = [r for r in _read("extracted") if isinstance(r, Actor)]
    result = merge(extracted, [])
    tokayev = next(r for r in result.records if isinstance(r, Actor) and r.id == "act-kassym-jomart-tokayev")
    assert [role.title for role in tokayev.roles] == ["President of Kazakhstan"]


def test_a_curated_source_replaces_the_parsed_one() -> None:
    result = merge(_read("extracted"), _read("curated"))
    sources = {r.id: r.title for r in result.records if isinstance(r, Source)}
    assert sources == {"src-111111111111": "Curated title", "src-222222222222": "Second"}


def test_merge_does_not_depend_on_input_order() -> None:
    extracted, curated = _read("extracted"), _read("curated")
    expected = merge(extracted, curated)
    for seed in range(5):
        rnd = random.Random(seed)
        a, b = extracted[:], curated[:]
        rnd.shuffle(a)
        rnd.shuffle(b)
        assert merge(a, b) == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(strategies.claims, max_size=6), st.lists(strategies.claims, max_size=4))
def test_every_claim_is_either_kept_or_overridden(extracted: list[Claim], curated: list[Claim]) -> None:
    result = merge(extracted, curated)
    kept = {r.id for r in result.records if isinstance(r, Claim)}
    extracted_ids = {c.id for c in extracted}
    assert extracted_ids <= kept | set(result.overridden)
    assert {c.id for c in curated} <= kept
    assert not set(result.overridden) & (kept - {c.id for c in curated})
