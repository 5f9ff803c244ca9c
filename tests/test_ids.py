from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzdata.records import ids


def test_source_id_is_the_sha256_prefix_of_the_bytes() -> None:
    assert ids.source_id(b"abc") == "src-ba7816bf8f01"
    assert re.fullmatch(ids.SOURCE_ID_PATTERN, ids.source_id(b""))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kassym-Jomart Tokayev", "act-kassym-jomart-tokayev"),
        ("Ministry of Internal Affairs of Kazakhstan", "act-ministry-of-internal-affairs-of-kazakhstan"),
        ("Kasım Cömert Tokayev", "act-kasim-comert-tokayev"),
        ("Касым-Жомарт Токаев", "act-kasym-zhomart-tokaev"),
        ("Mir-24", "act-mir-24"),
        ("  Agence France-Presse (AFP) ", "act-agence-france-presse-afp"),
    ],
)
def test_actor_id_slugs(name: str, expected: str) -> None:
    assert ids.actor_id(name) == expected


def test_actor_id_refuses_a_name_without_letters() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        ids.actor_id("—")


def test_claim_and_event_ids_depend_on_every_identifying_field() -> None:
    base = ids.claim_id("src-000000000000", 1, 5, "detained")
    assert base == ids.claim_id("src-000000000000", 1, 5, "detained")
    variants = {
        ids.claim_id("src-000000000001", 1, 5, "detained"),
        ids.claim_id("src-000000000000", 2, 5, "detained"),
        ids.claim_id("src-000000000000", 1, 6, "detained"),
        ids.claim_id("src-000000000000", 1, 5, "killed"),
    }
    assert base not in variants and len(variants) == 4
    event = ids.event_id("protest", date(2022, 1, 2), "Zhanaozen", "Protests begin")
    assert event != ids.event_id("protest", date(2022, 1, 3), "Zhanaozen", "Protests begin")
    assert event != ids.event_id("protest", date(2022, 1, 2), None, "Protests begin")


def test_claim_id_is_cut_from_the_digest_returned_with_it() -> None:
    key = "src-000000000000|1|5|detained"
    claim, digest = ids.claim_id_and_digest("src-000000000000", 1, 5, "detained")
    assert digest == hashlib.sha256(key.encode("utf-8")).digest()
    assert claim == "clm-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    assert ids.claim_id("src-000000000000", 1, 5, "detained") == claim


@given(st.text(max_size=60))
def test_actor_ids_always_match_the_pattern_or_refuse(name: str) -> None:
    try:
        identifier = ids.actor_id(name)
    except ValueError:
        return
    assert re.fullmatch(ids.ACTOR_ID_PATTERN, identifier)


@given(st.text("0123456789abcdef", min_size=1, max_size=20), st.integers(0, 10**7), st.integers(0, 10**7))
def test_generated_ids_match_their_patterns(src: str, start: int, end: int) -> None:
    claim = ids.claim_id("src-" + src, start, end, "killed")
    assert re.fullmatch(ids.CLAIM_ID_PATTERN, claim)
    assert re.fullmatch(ids.RELATION_ID_PATTERN, ids.relation_id(claim, claim, "repeats"))
    assert re.fullmatch(ids.EVENT_ID_PATTERN, ids.event_id("riot", None, None, src))
